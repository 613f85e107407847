package dev.unfold.runtime;

import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.runtime.internal.Batches;
import dev.unfold.runtime.internal.Precisions;
import java.util.List;

/**
 * A recurrent network compiled by Unfold. Extend it with an interface annotated
 * {@code @Network}; the processor generates {@code Unfolded<Name>}, which implements every method
 * here for exactly the declared sizes. What only some networks can do is in the capabilities the
 * interface also extends ({@link Streaming}, {@link Encoder}, {@link Decoder}, {@link Contextual},
 * {@link Autoregressive}, {@link Traceable}, {@link Classifier}); the processor checks each against
 * the declaration and generates exactly the declared ones.
 *
 * <p>Sequences are given one step per row: {@code xs[t]} is x_{t+1}, of width {@link #inputSize()}.
 * Token sequences give each step as a column index instead of a one-hot row, which the network
 * reads as a column lookup of its input weights. Outputs and targets have one row per input step
 * ({@link Mapping#MANY_TO_MANY}) or a single row ({@link Mapping#MANY_TO_ONE}).
 *
 * <p>Every method that takes or fills real-valued arrays has a {@code double} and a {@code float}
 * form. A network implements the form of its {@link #precision()} ({@code @Network(precision = ...)},
 * float64 by default); the other form refuses the call with an {@link IllegalArgumentException}
 * and changes nothing. Losses are returned as {@code double} in both.
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

    /** Number of trainable scalars over all parameters. */
    int parameterCount();

    /** The named weights and their gradients, in a fixed order. */
    Parameters parameters();

    /** The recurrent layers, bottom first, as their declaring methods return them. */
    List<Layer> layers();

    /**
     * The type the network computes and keeps its parameters in ({@code @Network(precision = ...)}):
     * its methods take and fill arrays of this type, {@code double[]} for float64, {@code float[]}
     * for float32.
     */
    Precision precision();

    /**
     * Runs the network over {@code xs} (T × input) and writes the predictions into {@code ys}
     * (T × output, or 1 × output for many-to-one): the identity for MSE, probabilities for the
     * cross-entropies.
     */
    default void forward(double[][] xs, double[][] ys) {
        throw Precisions.refused(this, "forward");
    }

    /** {@link #forward(double[][], double[][])} for one-hot input given as token indices. */
    default void forward(int[] tokens, double[][] ys) {
        throw Precisions.refused(this, "forward");
    }

    /**
     * Forward pass and backpropagation through time for one sequence: adds ∂L/∂θ to every
     * parameter's gradient and returns the loss L summed over steps and outputs.
     */
    default double backward(double[][] xs, double[][] targets) {
        throw Precisions.refused(this, "backward");
    }

    /** {@link #backward(double[][], double[][])} for token input. */
    default double backward(int[] tokens, double[][] targets) {
        throw Precisions.refused(this, "backward");
    }

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

    /** {@link #backward(double[][][], double[][][])} for token input. */
    default double backward(int[][] tokens, double[][][] targets) {
        return Batches.backwardEach(this, tokens, targets);
    }

    /** The loss {@link #backward(double[][], double[][])} would return, without touching gradients. */
    default double loss(double[][] xs, double[][] targets) {
        throw Precisions.refused(this, "loss");
    }

    /** {@link #loss(double[][], double[][])} for token input. */
    default double loss(int[] tokens, double[][] targets) {
        throw Precisions.refused(this, "loss");
    }

    /** {@link #forward(double[][], double[][])} for a float32 network. */
    default void forward(float[][] xs, float[][] ys) {
        throw Precisions.refused(this, "forward");
    }

    /** {@link #forward(int[], double[][])} for a float32 network. */
    default void forward(int[] tokens, float[][] ys) {
        throw Precisions.refused(this, "forward");
    }

    /** {@link #backward(double[][], double[][])} for a float32 network. */
    default double backward(float[][] xs, float[][] targets) {
        throw Precisions.refused(this, "backward");
    }

    /** {@link #backward(int[], double[][])} for a float32 network. */
    default double backward(int[] tokens, float[][] targets) {
        throw Precisions.refused(this, "backward");
    }

    /** {@link #forward(double[][][], double[][][])} for a float32 network. */
    default void forward(float[][][] xs, float[][][] ys) {
        Batches.forwardEach(this, xs, ys);
    }

    /** {@link #forward(int[][], double[][][])} for a float32 network. */
    default void forward(int[][] tokens, float[][][] ys) {
        Batches.forwardEach(this, tokens, ys);
    }

    /** {@link #backward(double[][][], double[][][])} for a float32 network. */
    default double backward(float[][][] xs, float[][][] targets) {
        return Batches.backwardEach(this, xs, targets);
    }

    /** {@link #backward(int[][], double[][][])} for a float32 network. */
    default double backward(int[][] tokens, float[][][] targets) {
        return Batches.backwardEach(this, tokens, targets);
    }

    /** {@link #loss(double[][], double[][])} for a float32 network. */
    default double loss(float[][] xs, float[][] targets) {
        throw Precisions.refused(this, "loss");
    }

    /** {@link #loss(int[], double[][])} for a float32 network. */
    default double loss(int[] tokens, float[][] targets) {
        throw Precisions.refused(this, "loss");
    }

    /** Number of output rows for a sequence of {@code steps} inputs: {@code steps} or 1. */
    default int outputSteps(int steps) {
        return mapping() == Mapping.MANY_TO_ONE ? 1 : steps;
    }
}
