package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training with dropout is reproducible without any random state: the Trainer draws each update's
 * masks from its seed and its step, so the same seed gives the same weights, and a run resumed
 * from a checkpoint ends with the weights of the uninterrupted run, to the bit, in float64 and float32.
 */
class DropoutTrainingTest {
    private static String declaration(String name, String precision) {
        return "@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE" + precision
                + ") public interface " + name + " extends Classifier {"
                + " @Recurrent(hidden = 6, cell = Cell.LSTM, dropout = 0.2, recurrentDropout = 0.3) Layer lower();"
                + " @Recurrent(hidden = 4, cell = Cell.GRU, dropout = 0.3) Layer upper(); }";
    }

    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("DroppingSorter", declaration("DroppingSorter", "")),
            TestCompiler.inTestPackage("DroppingSorterF32",
                    declaration("DroppingSorterF32", ", precision = Precision.FLOAT32"))));

    @TempDir
    Path directory;

    private static Classifier network(String name, long seed) {
        return TestCompiler.instantiate(NETWORKS.loader(TestCompiler.JAVAC), "test.Unfolded" + name, seed);
    }

    /** 23 sequences of 2 to 7 steps; the label says whether the first value exceeds the last. */
    private static Minibatches data(Classifier net) {
        Random random = new Random(1);
        double[][][] xs = new double[23][][];
        int[][] labels = new int[23][];
        for (int s = 0; s < xs.length; s++) {
            xs[s] = new double[2 + random.nextInt(6)][3];
            for (double[] x : xs[s]) {
                for (int j = 0; j < 3; j++) {
                    x[j] = random.nextGaussian();
                }
            }
            labels[s] = new int[] {xs[s][0][0] > xs[s][xs[s].length - 1][0] ? 1 : 0};
        }
        if (net.precision() == dev.unfold.Precision.FLOAT32) {
            float[][][] rounded = new float[xs.length][][];
            for (int s = 0; s < xs.length; s++) {
                rounded[s] = FloatExample.rounded(xs[s]);
            }
            return Minibatches.of(net, rounded, labels, 5);
        }
        return Minibatches.of(net, xs, labels, 5);
    }

    private static Trainer trainer(SequenceModel net, Adam adam, int epochs, long seed) {
        return new Trainer(net, adam).epochs(epochs).seed(seed);
    }

    private static double[][] weights(SequenceModel net) {
        return net.parameters().names().stream().map(name -> {
            dev.unfold.runtime.Parameter parameter = net.parameters().get(name);
            double[] values = new double[parameter.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = parameter.value(i);
            }
            return values;
        }).toArray(double[][]::new);
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherOther() throws IOException {
        for (String name : List.of("DroppingSorter", "DroppingSorterF32")) {
            Classifier first = network(name, 3);
            trainer(first, new Adam(first.parameters(), 0.01), 3, 7).fit(data(first));
            Classifier second = network(name, 3);
            trainer(second, new Adam(second.parameters(), 0.01), 3, 7).fit(data(second));
            assertArrayEquals(weights(first), weights(second), name);
            Classifier other = network(name, 3);
            trainer(other, new Adam(other.parameters(), 0.01), 3, 8).fit(data(other));
            assertFalse(Arrays.deepEquals(weights(first), weights(other)), name + ": another seed, other masks");
        }
    }

    @Test
    void aResumedRunDrawsTheMasksOfAnUninterruptedOne() throws IOException {
        for (String name : List.of("DroppingSorter", "DroppingSorterF32")) {
            Classifier straight = network(name, 3);
            Adam straightAdam = new Adam(straight.parameters(), 0.01);
            trainer(straight, straightAdam, 6, 7).fit(data(straight));

            Path checkpoint = directory.resolve(name + ".safetensors");
            Classifier interrupted = network(name, 3);
            trainer(interrupted, new Adam(interrupted.parameters(), 0.01), 3, 7).checkpoint(checkpoint)
                    .fit(data(interrupted));
            // a new process: a new network, whose own draws would start again at sequence 0
            Classifier resumed = network(name, 99);
            Adam resumedAdam = new Adam(resumed.parameters(), 0.01);
            trainer(resumed, resumedAdam, 6, 7).checkpoint(checkpoint).fit(data(resumed));
            assertEquals(straightAdam.steps(), resumedAdam.steps());
            assertArrayEquals(weights(straight), weights(resumed), name);
        }
    }
}
