package dev.unfold.samples;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;

/**
 * Sequences of one length with their answers, one per sequence: a value to regress
 * ({@code targets[b]} is 1 × outputs) or a class ({@code labels[b]} is one label). A
 * {@link MemoryTask} draws into the arrays in place, so every update's batch reuses the same ones.
 */
final class Examples {
    final double[][][] xs;
    final double[][][] targets;
    final int[][] labels;

    private Examples(double[][][] xs, double[][][] targets, int[][] labels) {
        this.xs = xs;
        this.targets = targets;
        this.labels = labels;
    }

    /** {@code count} sequences of {@code length} steps of {@code inputs} values, each with a target of {@code outputs}. */
    static Examples withTargets(int count, int length, int inputs, int outputs) {
        return new Examples(new double[count][length][inputs], new double[count][1][outputs], null);
    }

    /** {@code count} sequences of {@code length} steps of {@code inputs} values, each with a class label. */
    static Examples withLabels(int count, int length, int inputs) {
        return new Examples(new double[count][length][inputs], null, new int[count][1]);
    }

    int size() {
        return xs.length;
    }

    int length() {
        return xs[0].length;
    }

    /** The batch's forward and backward pass: adds the summed gradient, returns the summed loss. */
    double backward(SequenceModel net) {
        return targets != null ? net.backward(xs, targets) : ((Classifier) net).backward(xs, labels);   // labels: a classifier
    }

    /** The summed loss, gradients untouched. */
    double loss(SequenceModel net) {
        double loss = 0;
        for (int b = 0; b < xs.length; b++) {
            loss += targets != null ? net.loss(xs[b], targets[b]) : ((Classifier) net).loss(xs[b], labels[b]);
        }
        return loss;
    }
}
