package dev.unfold.processor;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;

/**
 * One input sequence and its targets, each in either of the forms a network accepts (dense rows or
 * tokens; dense targets or class labels), fed through whichever overload fits.
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
