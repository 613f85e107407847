package dev.unfold.processor;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;

/**
 * One input sequence and its targets, each in either of the forms a network accepts (dense rows or
 * tokens; dense targets or class labels), fed through whichever overload fits: the form's, and the
 * network's precision's. A float32 network is given the values rounded to nearest float (exact for
 * values that are floats already, as those of fixtures PyTorch computed in float32 are).
 */
record Example(double[][] xs, int[] tokens, double[][] targets, int[] labels) {

    int steps() {
        return xs != null ? xs.length : tokens.length;
    }

    void forward(SequenceModel net, double[][] outputs) {
        if (tokens != null) {
            net.forward(tokens, outputs);
        } else {
            net.forward(xs, outputs);
        }
    }

    /** The network's predictions, one row per output step, through the forward pass of its precision. */
    double[][] predictions(SequenceModel net) {
        int rows = net.outputSteps(steps());
        if (net.precision() == Precision.FLOAT32) {
            float[][] outputs = new float[rows][net.outputSize()];
            if (tokens != null) {
                net.forward(tokens, outputs);
            } else {
                net.forward(floats(xs), outputs);
            }
            return widened(outputs);
        }
        double[][] outputs = new double[rows][net.outputSize()];
        forward(net, outputs);
        return outputs;
    }

    double backward(SequenceModel net) {
        if (net.precision() == Precision.FLOAT32) {
            float[][] xs = floats(this.xs);
            float[][] targets = floats(this.targets);
            if (tokens != null) {
                return labels != null ? ((Classifier) net).backward(tokens, labels) : net.backward(tokens, targets);
            }
            return labels != null ? ((Classifier) net).backward(xs, labels) : net.backward(xs, targets);
        }
        if (tokens != null) {
            return labels != null ? ((Classifier) net).backward(tokens, labels) : net.backward(tokens, targets);
        }
        return labels != null ? ((Classifier) net).backward(xs, labels) : net.backward(xs, targets);
    }

    double loss(SequenceModel net) {
        if (net.precision() == Precision.FLOAT32) {
            float[][] xs = floats(this.xs);
            float[][] targets = floats(this.targets);
            if (tokens != null) {
                return labels != null ? ((Classifier) net).loss(tokens, labels) : net.loss(tokens, targets);
            }
            return labels != null ? ((Classifier) net).loss(xs, labels) : net.loss(xs, targets);
        }
        if (tokens != null) {
            return labels != null ? ((Classifier) net).loss(tokens, labels) : net.loss(tokens, targets);
        }
        return labels != null ? ((Classifier) net).loss(xs, labels) : net.loss(xs, targets);
    }

    /** {@code rows} rounded to nearest float, or null for null. */
    static float[][] floats(double[][] rows) {
        if (rows == null) {
            return null;
        }
        float[][] floats = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            floats[r] = new float[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                floats[r][c] = (float) rows[r][c];
            }
        }
        return floats;
    }

    /** {@code rows} widened to double, exactly. */
    static double[][] widened(float[][] rows) {
        double[][] doubles = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            doubles[r] = new double[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                doubles[r][c] = rows[r][c];
            }
        }
        return doubles;
    }
}
