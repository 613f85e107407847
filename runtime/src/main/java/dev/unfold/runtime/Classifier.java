package dev.unfold.runtime;

import dev.unfold.runtime.internal.Batches;
import dev.unfold.runtime.internal.Precisions;

/**
 * A network trained with {@code loss = CROSS_ENTROPY}, which also takes its targets as class
 * indices: one label per output row. A cross-entropy network must extend it, and only such a
 * network may: class labels are indices into a softmax.
 */
public interface Classifier extends SequenceModel {

    /** {@link #backward(double[][], double[][])} with one class index per output row (cross-entropy). */
    default double backward(double[][] xs, int[] labels) {
        throw Precisions.refused(this, "backward");
    }

    /** {@link #backward(double[][], double[][])} for token input and class labels: a language model's step. */
    double backward(int[] tokens, int[] labels);

    /** {@link #backward(double[][][], double[][][])} with class labels. */
    default double backward(double[][][] xs, int[][] labels) {
        return Batches.backwardEach(this, xs, labels);
    }

    /** {@link #backward(double[][][], double[][][])} for token input and class labels. */
    default double backward(int[][] tokens, int[][] labels) {
        return Batches.backwardEach(this, tokens, labels);
    }

    /** {@link #loss(double[][], double[][])} with class labels. */
    default double loss(double[][] xs, int[] labels) {
        throw Precisions.refused(this, "loss");
    }

    /** {@link #backward(double[][], int[])} for a float32 network. */
    default double backward(float[][] xs, int[] labels) {
        throw Precisions.refused(this, "backward");
    }

    /** {@link #backward(double[][][], int[][])} for a float32 network. */
    default double backward(float[][][] xs, int[][] labels) {
        return Batches.backwardEach(this, xs, labels);
    }

    /** {@link #loss(double[][], int[])} for a float32 network. */
    default double loss(float[][] xs, int[] labels) {
        throw Precisions.refused(this, "loss");
    }

    /** {@link #loss(double[][], double[][])} for token input and class labels. */
    double loss(int[] tokens, int[] labels);
}
