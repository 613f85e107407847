package dev.unfold.spark;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.Minibatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random sequences of different lengths for a network, as two views of the same data: the arrays
 * {@link Minibatches} takes on one machine and the {@link Example}s of an RDD, in the same order.
 */
final class TestData {
    final Object[] inputs;
    final Object[] targets;

    private TestData(Object[] inputs, Object[] targets) {
        this.inputs = inputs;
        this.targets = targets;
    }

    static TestData of(Object[] inputs, Object[] targets) {
        return new TestData(inputs, targets);
    }

    /** {@code count} sequences of 1 to 7 steps fitting {@code network}: tokens or dense rows, labels or targets. */
    static TestData random(SequenceModel network, boolean tokens, boolean labels, int count, long seed) {
        Random random = new Random(seed);
        boolean floats = network.precision() == dev.unfold.Precision.FLOAT32;
        Object[] inputs = tokens ? new int[count][] : floats ? new float[count][][] : new double[count][][];
        Object[] targets = labels ? new int[count][] : floats ? new float[count][][] : new double[count][][];
        for (int s = 0; s < count; s++) {
            int steps = 1 + random.nextInt(7);
            int rows = network.outputSteps(steps);
            if (tokens) {
                inputs[s] = random.ints(steps, 0, network.inputSize()).toArray();
            } else {
                inputs[s] = floats ? floatRows(random, steps, network.inputSize())
                        : doubleRows(random, steps, network.inputSize());
            }
            if (labels) {
                targets[s] = random.ints(rows, 0, network.outputSize()).toArray();
            } else {
                targets[s] = floats ? floatRows(random, rows, network.outputSize())
                        : doubleRows(random, rows, network.outputSize());
            }
        }
        return new TestData(inputs, targets);
    }

    private static double[][] doubleRows(Random random, int rows, int width) {
        double[][] values = new double[rows][width];
        for (double[] row : values) {
            for (int j = 0; j < width; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return values;
    }

    private static float[][] floatRows(Random random, int rows, int width) {
        float[][] values = new float[rows][width];
        for (float[] row : values) {
            for (int j = 0; j < width; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return values;
    }

    /** The examples, in order, for an RDD. */
    List<Example> examples() {
        List<Example> examples = new ArrayList<>();
        for (int s = 0; s < inputs.length; s++) {
            examples.add(example(inputs[s], targets[s]));
        }
        return examples;
    }

    private static Example example(Object input, Object target) {
        if (target instanceof int[] labels) {
            return input instanceof int[] tokens ? Example.of(tokens, labels)
                    : input instanceof float[][] xs ? Example.of(xs, labels) : Example.of((double[][]) input, labels);
        }
        if (target instanceof float[][] floats) {
            return input instanceof int[] tokens ? Example.of(tokens, floats) : Example.of((float[][]) input, floats);
        }
        double[][] doubles = (double[][]) target;
        return input instanceof int[] tokens ? Example.of(tokens, doubles) : Example.of((double[][]) input, doubles);
    }

    /** The same data on one machine. */
    Minibatches minibatches(SequenceModel network, int batchSize) {
        return new Lanes(inputs, targets).minibatches(network, batchSize);
    }
}
