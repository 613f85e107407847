package dev.unfold.runtime.seq2seq;

import dev.unfold.Precision;
import java.util.Arrays;

/**
 * The arrays an {@link EncoderDecoder} gathers a minibatch of pairs into: the encoder's unused
 * outputs, each source's final state and its gradient, and for each decoder the pairs that are
 * its. A batched call takes a batch as long as its arrays, so these are kept for every size seen,
 * and a minibatch allocates nothing once its sizes have come up before.
 */
final class PairBatches {
    private final int stateSize;
    private final int outputSize;
    private final Precision precision;
    /**
     * [batch size]: arrays of that many references to output rows, {@code double[][][]} or
     * {@code float[][][]} as the encoder's precision is.
     */
    private Object[][] outputs = new Object[1][];
    private double[][][] states = new double[1][][];
    private double[][][] gradients = new double[1][][];
    private double[][][] pickedStates = new double[1][][];
    private double[][][] pickedGradients = new double[1][][];
    private int[][][] pickedInputs = new int[1][][];
    private int[][][] pickedLabels = new int[1][][];
    private int[][][] mixed = new int[1][][];
    /** [rows]: a scratch output array of that many rows, sharing one set of rows. */
    private Object[][] outputRows = new Object[1][];
    private Object[] rows;

    PairBatches(int stateSize, int outputSize, Precision precision) {
        this.stateSize = stateSize;
        this.outputSize = outputSize;
        this.precision = precision;
        this.rows = rows(precision, 0, outputSize);
    }

    /** {@code new double[count][width]}, or {@code new float[count][width]} for float32. */
    static Object[] rows(Precision precision, int count, int width) {
        return precision == Precision.FLOAT32 ? new float[count][width] : new double[count][width];
    }

    /**
     * Somewhere for the encoder's predictions of {@code batch} sources of the given output rows: a
     * {@code double[][][]}, or a {@code float[][][]} for a float32 encoder.
     */
    Object[] outputs(int batch, int[] outputRowCounts) {
        if (outputs.length <= batch) {
            outputs = Arrays.copyOf(outputs, batch + 1);
        }
        if (outputs[batch] == null) {
            outputs[batch] = precision == Precision.FLOAT32 ? new float[batch][][] : new double[batch][][];
        }
        Object[] into = outputs[batch];
        for (int b = 0; b < batch; b++) {
            into[b] = outputRows(outputRowCounts[b]);
        }
        return into;
    }

    private Object[] outputRows(int count) {
        if (outputRows.length <= count) {
            outputRows = Arrays.copyOf(outputRows, count + 1);
        }
        if (outputRows[count] == null) {
            if (rows.length < count) {
                rows = rows(precision, count, outputSize);
            }
            outputRows[count] = Arrays.copyOf(rows, count);
        }
        return outputRows[count];
    }

    /** {@code batch} states, one per source. */
    double[][] states(int batch) {
        states = grownRows(states, batch);
        return states[batch];
    }

    /** {@code batch} state gradients, one per source. */
    double[][] gradients(int batch) {
        gradients = grownRows(gradients, batch);
        return gradients[batch];
    }

    private double[][][] grownRows(double[][][] bySize, int batch) {
        if (bySize.length <= batch) {
            bySize = Arrays.copyOf(bySize, batch + 1);
        }
        if (bySize[batch] == null) {
            bySize[batch] = new double[batch][stateSize];
        }
        return bySize;
    }

    /** {@code batch} references to the inputs each pair's decoder reads (scheduled sampling's mix). */
    int[][] mixed(int batch) {
        mixed = grown(mixed, batch);
        return mixed[batch];
    }

    /** How many of the batch's pairs are decoder d's. */
    static int count(int[] decoders, int batch, int d) {
        int count = 0;
        for (int b = 0; b < batch; b++) {
            count += decoders[b] == d ? 1 : 0;
        }
        return count;
    }

    /**
     * Gathers decoder d's pairs, {@code count} of them, in order: their inputs, labels, and the rows
     * of {@code states} and {@code gradients} that are theirs (the same arrays, so what the decoder
     * writes into its gradients lands in the batch's). Read them with the accessors below.
     */
    void pick(int[] decoders, int batch, int d, int count, int[][] inputs, int[][] labels, double[][] states,
              double[][] gradients) {
        pickedInputs = grown(pickedInputs, count);
        pickedLabels = grown(pickedLabels, count);
        pickedStates = grownReferences(pickedStates, count);
        pickedGradients = grownReferences(pickedGradients, count);
        int i = 0;
        for (int b = 0; b < batch; b++) {
            if (decoders[b] == d) {
                pickedInputs[count][i] = inputs[b];
                pickedLabels[count][i] = labels[b];
                pickedStates[count][i] = states[b];
                pickedGradients[count][i] = gradients[b];
                i++;
            }
        }
    }

    int[][] pickedInputs(int count) {
        return pickedInputs[count];
    }

    int[][] pickedLabels(int count) {
        return pickedLabels[count];
    }

    double[][] pickedStates(int count) {
        return pickedStates[count];
    }

    double[][] pickedGradients(int count) {
        return pickedGradients[count];
    }

    private static int[][][] grown(int[][][] bySize, int count) {
        if (bySize.length <= count) {
            bySize = Arrays.copyOf(bySize, count + 1);
        }
        if (bySize[count] == null) {
            bySize[count] = new int[count][];
        }
        return bySize;
    }

    private static double[][][] grownReferences(double[][][] bySize, int count) {
        if (bySize.length <= count) {
            bySize = Arrays.copyOf(bySize, count + 1);
        }
        if (bySize[count] == null) {
            bySize[count] = new double[count][];
        }
        return bySize;
    }
}
