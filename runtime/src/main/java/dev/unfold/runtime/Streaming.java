package dev.unfold.runtime;

import dev.unfold.runtime.internal.Precisions;
import dev.unfold.runtime.train.TruncatedBptt;

/**
 * A network that carries its state on: it runs step by step ({@link #step}), continues a sequence
 * across calls ({@link #setStateful}), and saves and restores what it carries. Extend it in a
 * {@code @Network} interface to have the processor generate these methods. Every layer must run
 * forward in time: a bidirectional layer needs the whole sequence, so the processor refuses a
 * {@code Streaming} network with one ({@code [UnfoldStreamingBidirectional]}).
 *
 * <p>A state is handed over as {@code double} values in both precisions ({@link #saveState},
 * {@link #restoreState}, and an encoder's and a decoder's states and their gradients): a float32
 * network widens its state exactly when it gives it and rounds what it is given to nearest, so a
 * state it saved comes back bit for bit.
 */
public interface Streaming extends SequenceModel {

    /**
     * Streaming: forgets the state carried between {@link #step} calls (h = 0, and c = 0 for an
     * LSTM), as at the start of a sequence, and the streams a stateful batch carries
     * ({@link #streamCount()} becomes 0). A new network starts this way.
     */
    void resetState();

    /**
     * Truncated BPTT and stateful inference over long streams: when on, {@code forward},
     * {@code backward} and {@code loss} start each sequence from the state the previous call (or
     * {@link #step}) ended in, instead of zero, and carry their own last state on to the next call.
     * The gradient stops at the carried state: calling {@code backward} on consecutive chunks of k
     * steps is truncated BPTT with k1 = k2 = k (see {@link TruncatedBptt}). {@link #resetState()}
     * starts the stream again. Off for a new network.
     *
     * <p>While on, a batched {@code forward} or {@code backward} ({@code double[][][]},
     * {@code float[][][]} or {@code int[][]} sequences) runs B independent streams at once: sequence
     * b starts from the state stream b's previous chunk ended in, and each stream's own last state
     * (at its sequence's own length) is carried on to the next batched call, the gradient stopping
     * there as above. The first stateful batch after {@link #resetState()} (or of a new network)
     * starts its B streams from zero; a later one with another number of sequences is refused, as
     * the streams it would continue are B. The batch's streams and the single carried state are
     * kept apart: single-sequence calls and {@link #step} neither read nor change the streams, and
     * batched calls neither read nor change the single carried state ({@link #saveStates} and
     * {@link #restoreStates} save and restore the streams). A network that feeds its output back
     * runs a batch one sequence at a time and refuses batches while on.
     */
    void setStateful(boolean stateful);

    /** Whether sequences continue from the carried state; see {@link #setStateful(boolean)}. */
    boolean isStateful();

    /**
     * Streaming: how many values the carried state holds (h of every layer, and c of every LSTM
     * layer), the length {@link #saveState} writes.
     */
    int stateSize();

    /**
     * Streaming: copies the carried state into {@code into[offset .. offset + stateSize())}, so that
     * a caller can come back to it (beam search keeps one per beam). Allocates nothing.
     */
    void saveState(double[] into, int offset);

    /** Streaming: makes {@code from[offset .. offset + stateSize())}, as {@link #saveState} wrote it, the carried state. */
    void restoreState(double[] from, int offset);

    /**
     * Stateful batches: how many streams the network carries from its last stateful batched call,
     * each one sequence of the next (0 for a new network, and after {@link #resetState()}).
     */
    int streamCount();

    /**
     * Stateful batches: copies stream b's carried state into {@code into[b][0 .. stateSize())}, laid
     * out as {@link #saveState} lays out one state. {@code into} holds exactly
     * {@link #streamCount()} arrays. Allocates nothing.
     */
    void saveStates(double[][] into);

    /**
     * Stateful batches: makes {@code from.length} streams, stream b carrying {@code from[b]} as
     * {@link #saveStates} wrote it; the next stateful batch has one sequence per stream. An empty
     * array forgets the streams, as {@link #resetState()} does; the single carried state is left
     * as it is.
     */
    void restoreStates(double[][] from);

    /**
     * Streaming: one time step from the carried state. Reads x_t, writes ŷ_t into {@code y} (the
     * identity for MSE, probabilities for the cross-entropies) and carries h_t to the next call.
     * Steps 1..T after {@link #resetState()} give the rows {@link #forward(double[][], double[][])}
     * gives for the whole sequence (for many-to-one, its one row after the last step).
     */
    default void step(double[] x, double[] y) {
        throw Precisions.refused(this, "step");
    }

    /** {@link #step(double[], double[])} for one-hot input given as a token index. */
    default void step(int token, double[] y) {
        throw Precisions.refused(this, "step");
    }

    /** {@link #step(double[], double[])} for a float32 network. */
    default void step(float[] x, float[] y) {
        throw Precisions.refused(this, "step");
    }

    /** {@link #step(int, double[])} for a float32 network. */
    default void step(int token, float[] y) {
        throw Precisions.refused(this, "step");
    }
}
