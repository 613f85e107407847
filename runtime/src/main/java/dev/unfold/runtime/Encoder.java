package dev.unfold.runtime;

import dev.unfold.runtime.internal.Precisions;

/**
 * A network that hands on the state it ends in, and learns from the gradient that state receives:
 * the encoder of an {@link dev.unfold.runtime.seq2seq.EncoderDecoder}. It carries state, so it is
 * {@link Streaming}; it may not read its previous output, since an encoder has no targets to read
 * ({@code [UnfoldEncoderFeedback]}).
 */
public interface Encoder extends Streaming {

    /**
     * Encoder–decoder: copies the final state of the last sequence run (h_T of every layer, and c_T
     * of every LSTM layer), laid out as {@link #saveState} lays out a state, into {@code into} from
     * {@code offset}. A decoder starts from it through {@link #restoreState} and a stateful pass.
     */
    void finalState(double[] into, int offset);

    /**
     * Encoder–decoder: the encoder's backward pass. Runs the sequence, then BPTT from
     * ∂L/∂(final state), given in {@code gradient} from {@code offset} as {@link #saveState} lays out
     * a state, with no loss at this network's own output; adds the gradients to every parameter but
     * the output's.
     */
    default void backwardFromState(double[][] xs, double[] gradient, int offset) {
        throw Precisions.refused(this, "backwardFromState");
    }

    /** {@link #backwardFromState(double[][], double[], int)} for token input. */
    void backwardFromState(int[] tokens, double[] gradient, int offset);

    /**
     * After a batched {@code forward} or {@code backward}, writes into {@code into[b]} the state
     * sequence b ended in, at its own last step, laid out as {@link #saveState}'s: what an encoder
     * hands its decoders.
     */
    void finalStates(double[][] into);

    /**
     * {@link #backwardFromState(double[][], double[], int)} for a batch: forward over every sequence,
     * then BPTT seeded at each sequence's own last step with {@code gradients[b]}, no loss at the
     * output. Adds every parameter's gradient.
     */
    default void backwardFromStates(double[][][] xs, double[][] gradients) {
        throw Precisions.refused(this, "backwardFromStates");
    }

    /** {@link #backwardFromStates(double[][][], double[][])} for token input. */
    void backwardFromStates(int[][] tokens, double[][] gradients);

    /** {@link #backwardFromState(double[][], double[], int)} for a float32 network: the gradient is double, as states are. */
    default void backwardFromState(float[][] xs, double[] gradient, int offset) {
        throw Precisions.refused(this, "backwardFromState");
    }

    /** {@link #backwardFromStates(double[][][], double[][])} for a float32 network: the gradients are double, as states are. */
    default void backwardFromStates(float[][][] xs, double[][] gradients) {
        throw Precisions.refused(this, "backwardFromStates");
    }
}
