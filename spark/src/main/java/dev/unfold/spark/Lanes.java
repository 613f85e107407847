package dev.unfold.spark;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.Minibatches;

/**
 * A partition's share of one global minibatch: inputs and targets in arrays of the types
 * {@code Minibatches.of} takes. It runs through the runtime's own {@link Minibatches}, so that an
 * executor computes exactly what one machine computes for the same sequences: one masked batched
 * {@code backward} for several, the single-sequence pass for one, the single-sequence loss for each.
 */
record Lanes(Object[] inputs, Object[] targets) {

    /**
     * One forward and backward pass over these sequences, as one update, on {@code network}, whose
     * gradients it zeroes first: the partial sum a partition hands on, the gradient flattened
     * ({@link FlatWeights}), then the summed loss, then the number of output rows the loss sums over.
     */
    double[] backward(SequenceModel network) {
        Parameters parameters = network.parameters();
        parameters.zeroGradients();
        Minibatches batch = minibatches(network, inputs.length);
        double loss = batch.backward(0);
        double[] partial = new double[parameters.count() + 2];
        FlatWeights.gradients(parameters, partial);
        partial[parameters.count()] = loss;
        partial[parameters.count() + 1] = batch.outputs(0);
        return partial;
    }

    /**
     * Minibatches of {@code batchSize} over these sequences, in their order (never shuffled: no epoch
     * is started, so update u holds sequences u·batchSize onwards).
     */
    Minibatches minibatches(SequenceModel network, int batchSize) {
        if (targets instanceof int[][] labels) {
            Classifier classifier = (Classifier) network;   // ExampleBlock.check refuses labels for any other
            if (inputs instanceof int[][] tokens) {
                return Minibatches.of(classifier, tokens, labels, batchSize);
            }
            return inputs instanceof float[][][] xs ? Minibatches.of(classifier, xs, labels, batchSize)
                    : Minibatches.of(classifier, (double[][][]) inputs, labels, batchSize);
        }
        if (targets instanceof float[][][] floats) {
            return inputs instanceof int[][] tokens ? Minibatches.of(network, tokens, floats, batchSize)
                    : Minibatches.of(network, (float[][][]) inputs, floats, batchSize);
        }
        double[][][] doubles = (double[][][]) targets;
        return inputs instanceof int[][] tokens ? Minibatches.of(network, tokens, doubles, batchSize)
                : Minibatches.of(network, (double[][][]) inputs, doubles, batchSize);
    }
}
