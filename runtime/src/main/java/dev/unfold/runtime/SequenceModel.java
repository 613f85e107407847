package dev.unfold.runtime;

import dev.unfold.Mapping;
import dev.unfold.runtime.internal.Batches;
import dev.unfold.runtime.train.TruncatedBptt;
import java.util.List;

/**
 * A recurrent network compiled by Unfold. Extend it with an interface annotated
 * {@code @Network}; the processor generates {@code Unfolded<Name>}, which implements every method
 * here for exactly the declared sizes.
 *
 * <p>Sequences are given one step per row: {@code xs[t]} is x_{t+1}, of width {@link #inputSize()}.
 * Token sequences give each step as a column index instead of a one-hot row, which the network
 * reads as a column lookup of its input weights. Outputs and targets have one row per input step
 * ({@link Mapping#MANY_TO_MANY}) or a single row ({@link Mapping#MANY_TO_ONE}).
 *
 * <p>After the first call with a sequence of a given length, no method here allocates. An instance
 * is not thread-safe: give each thread its own.
 */
public interface SequenceModel {

    /** Width of x_t; for token input, the vocabulary size. */
    int inputSize();

    /** Width of ŷ_t; for cross-entropy, the number of classes. */
    int outputSize();

    /** Whether there is one output per step or one per sequence. */
    Mapping mapping();

    /**
     * Width of the context vector the network reads at every step ({@code @Network(context = C)},
     * equations.md (7.1)), or 0 when it declares none.
     */
    default int contextSize() {
        return 0;
    }

    /**
     * Sets the context vector x that the sequences and steps to come read at every step through the
     * first layer's R, until set again. Allocates nothing. Batched calls read
     * {@link #setContexts}'s instead, one per sequence.
     *
     * @throws UnsupportedOperationException if the network declares no context
     */
    default void setContext(double[] x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " declares no context vector: add"
                + " context = <width> to its @Network");
    }

    /**
     * Scheduled sampling (Bengio et al., 2015) for a network whose first layer reads its previous
     * output ({@code @Recurrent(recurrence = OUTPUT | HIDDEN_AND_OUTPUT)}): from now on, at each step
     * after the first, {@code backward} feeds the network's own previous prediction instead of the
     * previous target with {@code probability}, flipping {@code random}'s coins. The choice is made
     * running forward step by step first (one more forward pass per call); the fed values are data,
     * so no gradient flows through them. 0, the default, is teacher forcing; {@code loss} always is.
     *
     * @throws UnsupportedOperationException if the network does not read its output
     */
    default void setScheduledSampling(double probability, java.util.Random random) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not feed its output back: scheduled"
                + " sampling needs a first layer declared with recurrence = OUTPUT or HIDDEN_AND_OUTPUT");
    }

    /**
     * Sets one context vector per sequence for the batched calls to come: {@code contexts[b]} is what
     * sequence b of each batch reads at every step, until set again. The batches must have as many
     * sequences as there are contexts. Copies the vectors; allocates only for a larger batch than
     * before.
     *
     * @throws UnsupportedOperationException if the network declares no context
     */
    default void setContexts(double[][] contexts) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " declares no context vector: add"
                + " context = <width> to its @Network");
    }

    /** Number of trainable scalars over all parameters. */
    int parameterCount();

    /** The named weights and their gradients, in a fixed order. */
    Parameters parameters();

    /** The recurrent layers, bottom first, as their declaring methods return them. */
    List<Layer> layers();

    /**
     * Runs the network over {@code xs} (T × input) and writes the predictions into {@code ys}
     * (T × output, or 1 × output for many-to-one): the identity for MSE, probabilities for the
     * cross-entropies.
     */
    void forward(double[][] xs, double[][] ys);

    /** {@link #forward(double[][], double[][])} for one-hot input given as token indices. */
    void forward(int[] tokens, double[][] ys);

    /**
     * Forward pass and backpropagation through time for one sequence: adds ∂L/∂θ to every
     * parameter's gradient and returns the loss L summed over steps and outputs.
     */
    double backward(double[][] xs, double[][] targets);

    /** {@link #backward(double[][], double[][])} with one class index per output row (cross-entropy). */
    double backward(double[][] xs, int[] labels);

    /** {@link #backward(double[][], double[][])} for token input. */
    double backward(int[] tokens, double[][] targets);

    /** {@link #backward(double[][], double[][])} for token input and class labels: a language model's step. */
    double backward(int[] tokens, int[] labels);

    /**
     * {@link #forward(double[][], double[][])} for a batch: ys[b] receives the predictions for
     * xs[b]. The generated network runs the batch as one pass with the batch as the innermost
     * dimension, reading each weight once per step for all sequences.
     * Sequences may differ in length: each is masked past its end, so it gets the rows it would get
     * alone (ys[b] has one row per step of xs[b], or one row for many-to-one).
     */
    default void forward(double[][][] xs, double[][][] ys) {
        Batches.forwardEach(this, xs, ys);
    }

    /** {@link #forward(double[][][], double[][][])} for one-hot input given as token indices. */
    default void forward(int[][] tokens, double[][][] ys) {
        Batches.forwardEach(this, tokens, ys);
    }

    /**
     * {@link #backward(double[][], double[][])} for a batch: adds the sum of the sequences'
     * gradients to every parameter's gradient and returns the sum of their losses, as PyTorch
     * does with a summed loss over a batch. The batch runs as one masked pass (see
     * {@link #forward(double[][][], double[][][])}); the result equals the sequences' single calls
     * up to rounding.
     */
    default double backward(double[][][] xs, double[][][] targets) {
        return Batches.backwardEach(this, xs, targets);
    }

    /** {@link #backward(double[][][], double[][][])} with class labels. */
    default double backward(double[][][] xs, int[][] labels) {
        return Batches.backwardEach(this, xs, labels);
    }

    /** {@link #backward(double[][][], double[][][])} for token input. */
    default double backward(int[][] tokens, double[][][] targets) {
        return Batches.backwardEach(this, tokens, targets);
    }

    /** {@link #backward(double[][][], double[][][])} for token input and class labels. */
    default double backward(int[][] tokens, int[][] labels) {
        return Batches.backwardEach(this, tokens, labels);
    }

    /**
     * Streaming: forgets the state carried between {@link #step} calls (h = 0, and c = 0 for an
     * LSTM), as at the start of a sequence. A new network starts this way.
     *
     * @throws UnsupportedOperationException if a layer is bidirectional: it would need the future
     */
    default void resetState() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /**
     * Truncated BPTT and stateful inference over long streams: when on, {@code forward},
     * {@code backward} and {@code loss} start each sequence from the state the previous call (or
     * {@link #step}) ended in, instead of zero, and carry their own last state on to the next call.
     * The gradient stops at the carried state: calling {@code backward} on consecutive chunks of k
     * steps is truncated BPTT with k1 = k2 = k (see {@link TruncatedBptt}). {@link #resetState()}
     * starts the stream again. Off for a new network. The batched calls refuse to run while on:
     * each of their sequences starts from zero.
     *
     * @throws UnsupportedOperationException if turned on and a layer is bidirectional
     */
    default void setStateful(boolean stateful) {
        if (stateful) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot carry state");
        }
    }

    /** Whether sequences continue from the carried state; see {@link #setStateful(boolean)}. */
    default boolean isStateful() {
        return false;
    }

    /**
     * Streaming: how many values the carried state holds (h of every layer, and c of every LSTM
     * layer), the length {@link #saveState} writes.
     *
     * @throws UnsupportedOperationException if a layer is bidirectional
     */
    default int stateSize() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /**
     * Streaming: copies the carried state into {@code into[offset .. offset + stateSize())}, so that
     * a caller can come back to it (beam search keeps one per beam). Allocates nothing.
     */
    default void saveState(double[] into, int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /** Streaming: makes {@code from[offset .. offset + stateSize())}, as {@link #saveState} wrote it, the carried state. */
    default void restoreState(double[] from, int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /**
     * Encoder–decoder: copies the final state of the last sequence run (h_T of every layer, and c_T
     * of every LSTM layer), laid out as {@link #saveState} lays out a state, into {@code into} from
     * {@code offset}. A decoder starts from it through {@link #restoreState} and a stateful pass.
     */
    default void finalState(double[] into, int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /**
     * Encoder–decoder: after a {@code backward}, ∂L/∂(the state it started from), laid out as
     * {@link #saveState} lays out a state: what a decoder passes back to its encoder.
     */
    default void initialStateGradient(double[] into, int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /**
     * Encoder–decoder: the encoder's backward pass. Runs the sequence, then BPTT from
     * ∂L/∂(final state), given in {@code gradient} from {@code offset} as {@link #saveState} lays out
     * a state, with no loss at this network's own output; adds the gradients to every parameter but
     * the output's.
     */
    default void backwardFromState(double[][] xs, double[] gradient, int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /** {@link #backwardFromState(double[][], double[], int)} for token input. */
    default void backwardFromState(int[] tokens, double[] gradient, int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /**
     * Streaming: one time step from the carried state. Reads x_t, writes ŷ_t into {@code y} (the
     * identity for MSE, probabilities for the cross-entropies) and carries h_t to the next call.
     * Steps 1..T after {@link #resetState()} give the rows {@link #forward(double[][], double[][])}
     * gives for the whole sequence (for many-to-one, its one row after the last step).
     *
     * @throws UnsupportedOperationException if a layer is bidirectional: it would need the future
     */
    default void step(double[] x, double[] y) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /** {@link #step(double[], double[])} for one-hot input given as a token index. */
    default void step(int token, double[] y) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot stream");
    }

    /**
     * Sets one initial state per sequence for the batched calls to come, each laid out as
     * {@link #saveState} lays one out: sequence b of each batch starts from {@code states[b]} instead
     * of zero, until set again; {@code null} goes back to zero states. The batches must have as many
     * sequences as there are states. Copies them; allocates only for a larger batch than before. A
     * decoder's batched pass, each sequence started from its encoder's final state.
     *
     * @throws UnsupportedOperationException if the network cannot carry state (a bidirectional layer)
     */
    default void setInitialStates(double[][] states) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot start a batch from given states");
    }

    /**
     * After a batched {@code backward}, writes into {@code into[b]} (each {@link #stateSize()} long)
     * what sequence b's initial state received: {@link #initialStateGradient} for every sequence.
     */
    default void initialStateGradients(double[][] into) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot start a batch from given states");
    }

    /**
     * After a batched {@code forward} or {@code backward}, writes into {@code into[b]} the state
     * sequence b ended in, at its own last step, laid out as {@link #saveState}'s: what an encoder
     * hands its decoders.
     */
    default void finalStates(double[][] into) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot hand on final states");
    }

    /**
     * {@link #backwardFromState(double[][], double[], int)} for a batch: forward over every sequence,
     * then BPTT seeded at each sequence's own last step with {@code gradients[b]}, no loss at the
     * output. Adds every parameter's gradient.
     */
    default void backwardFromStates(double[][][] xs, double[][] gradients) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot hand on final states");
    }

    /** {@link #backwardFromStates(double[][][], double[][])} for token input. */
    default void backwardFromStates(int[][] tokens, double[][] gradients) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot hand on final states");
    }

    /**
     * Gradient diagnostics (equations.md (11.1), (11.2)): while on, every single-sequence {@code backward} and
     * {@code backwardFromState} records ‖∂L/∂h_k‖ at every step k of every layer and direction, and
     * an LSTM's forget gates, for {@link #stateGradientNorms} and {@link #forgetGates}. Off for a
     * new network; off, it costs one branch a step and allocates nothing. Batched {@code backward}
     * calls refuse to run while it is on.
     */
    default void traceStateGradients(boolean on) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not trace state gradients");
    }

    /**
     * After a traced backward pass of T steps, writes ‖∂L/∂h_k‖ for k = 1..T into {@code into[k − 1]}
     * ({@code into} has T values): the complete gradient the state of layer {@code layer} (bottom
     * first) receives, from above and through the recurrence. {@code direction} is 0, or 1 for the
     * reverse direction of a bidirectional layer, whose state g_k is still indexed by its step k.
     */
    default void stateGradientNorms(int layer, int direction, double[] into) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not trace state gradients");
    }

    /**
     * After a traced backward pass of T steps, writes for an LSTM layer's direction the norm of the
     * gradient its cell state c_k receives from c_{k+1} (k = 1..T, into {@code into[k − 1]}): f_{k+1} ⊙
     * δc_{k+1}, the memory path, on which the gradient is a product of forget gates (equations.md (4.8));
     * what reaches c_k through h_k is not part of it. Zero at k = T unless a decoder's gradient
     * seeded the pass ({@code backwardFromState}).
     */
    default void cellStateGradientNorms(int layer, int direction, double[] into) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not trace state gradients");
    }

    /**
     * After a traced backward pass of T steps, writes the forget gates f_k (k = 1..T) of an LSTM layer's
     * direction into the rows of {@code into} (T × hidden): ∂c_t/∂c_k = diag(f_t ⊙ … ⊙ f_{k+1}).
     */
    default void forgetGates(int layer, int direction, double[][] into) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not trace state gradients");
    }

    /** The loss {@link #backward(double[][], double[][])} would return, without touching gradients. */
    double loss(double[][] xs, double[][] targets);

    /** {@link #loss(double[][], double[][])} with class labels. */
    double loss(double[][] xs, int[] labels);

    /** {@link #loss(double[][], double[][])} for token input. */
    double loss(int[] tokens, double[][] targets);

    /** {@link #loss(double[][], double[][])} for token input and class labels. */
    double loss(int[] tokens, int[] labels);

    /** Number of output rows for a sequence of {@code steps} inputs: {@code steps} or 1. */
    default int outputSteps(int steps) {
        return mapping() == Mapping.MANY_TO_ONE ? 1 : steps;
    }
}
