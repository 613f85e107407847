package dev.unfold.processor;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;

/**
 * {@link Example} for a float32 network: one input sequence and its targets in float, fed through
 * whichever float overload fits. Made by rounding an {@code Example}, whose {@link #widened} twin
 * holds exactly the same values in double, so that a float32 and a float64 network can be given
 * the same inputs.
 */
record FloatExample(float[][] xs, int[] tokens, float[][] targets, int[] labels) {

    /** {@code example} with every input and target rounded to the nearest float. */
    static FloatExample rounded(Example example) {
        return new FloatExample(rounded(example.xs()), example.tokens(), rounded(example.targets()), example.labels());
    }

    /** The example in double: the same values, each widened exactly. */
    Example widened() {
        return new Example(widened(xs), tokens, widened(targets), labels);
    }

    static float[][] rounded(double[][] rows) {
        if (rows == null) {
            return null;
        }
        float[][] copy = new float[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            copy[t] = new float[rows[t].length];
            for (int k = 0; k < rows[t].length; k++) {
                copy[t][k] = (float) rows[t][k];
            }
        }
        return copy;
    }

    static double[][] widened(float[][] rows) {
        if (rows == null) {
            return null;
        }
        double[][] copy = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            copy[t] = new double[rows[t].length];
            for (int k = 0; k < rows[t].length; k++) {
                copy[t][k] = rows[t][k];
            }
        }
        return copy;
    }

    int steps() {
        return xs != null ? xs.length : tokens.length;
    }

    void forward(SequenceModel net, float[][] outputs) {
        if (tokens != null) {
            net.forward(tokens, outputs);
        } else {
            net.forward(xs, outputs);
        }
    }

    double backward(SequenceModel net) {
        if (tokens != null) {
            return labels != null ? ((Classifier) net).backward(tokens, labels) : net.backward(tokens, targets);
        }
        return labels != null ? ((Classifier) net).backward(xs, labels) : net.backward(xs, targets);
    }

    double loss(SequenceModel net) {
        if (tokens != null) {
            return labels != null ? ((Classifier) net).loss(tokens, labels) : net.loss(tokens, targets);
        }
        return labels != null ? ((Classifier) net).loss(xs, labels) : net.loss(xs, targets);
    }
}
