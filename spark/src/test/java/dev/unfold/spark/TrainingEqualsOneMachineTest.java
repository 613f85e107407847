package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module's promise: N steps of a {@link Trainer} over {@link SparkMinibatches} on {@code local[2]}
 * give the losses and weights of the same trainer over {@link dev.unfold.runtime.data.Minibatches} of
 * the same examples on one machine, to 1e-12 in float64, and the same bits on every run. Each network
 * kind the module serves, over data spread unevenly on three partitions, with a last batch smaller
 * than the others, Adam, clipping and a schedule.
 */
class TrainingEqualsOneMachineTest {
    private static final int EXAMPLES = 23;
    private static final int BATCH = 5;
    private static final int EPOCHS = 2;

    /** A network kind, its factory, and the data it takes. */
    record Kind(String name, NetworkFactory factory, boolean tokens, boolean labels) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> float64Kinds() {
        return Stream.of(
                Arguments.of(new Kind("dense to dense targets, many-to-many", UnfoldedTestNetworks_DenseRegressor::new, false, false)),
                Arguments.of(new Kind("dense to a label, many-to-one LSTM", UnfoldedTestNetworks_DenseClassifier::new, false, true)),
                Arguments.of(new Kind("tokens to dense targets, many-to-many", UnfoldedTestNetworks_DenseRegressor::new, true, false)),
                Arguments.of(new Kind("tokens to a label, bidirectional LSTM", UnfoldedTestNetworks_TokenClassifier::new, true, true)),
                Arguments.of(new Kind("tokens to a label per step, stacked GRUs", UnfoldedTestNetworks_StackedTagger::new, true, true)),
                Arguments.of(new Kind("dense to a label, projected LSTM", UnfoldedTestNetworks_ProjectedClassifier::new, false, true)),
                Arguments.of(new Kind("dense to dense, output feedback", UnfoldedTestNetworks_FeedbackRegressor::new, false, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("float64Kinds")
    void float64TrainingOnTheClusterEqualsOneMachineTo1e12AndIsTheSameEveryRun(Kind kind) throws IOException {
        SequenceModel alone = kind.factory().create(3);
        TestData data = TestData.random(alone, kind.tokens(), kind.labels(), EXAMPLES, 11);
        List<Double> aloneLosses = train(alone, data.minibatches(alone, BATCH));

        SequenceModel clustered = kind.factory().create(3);
        JavaRDD<Example> rdd = LocalSpark.context().parallelize(data.examples(), 3);
        List<Double> clusteredLosses;
        try (SparkMinibatches batches = SparkMinibatches.of(rdd, clustered, kind.factory(), BATCH)) {
            clusteredLosses = train(clustered, batches);
        }
        assertEquals(aloneLosses.size(), clusteredLosses.size());
        assertEquals(EPOCHS * 5, clusteredLosses.size(), "23 examples in batches of 5: 5 updates an epoch");
        for (int step = 0; step < aloneLosses.size(); step++) {
            assertClose(aloneLosses.get(step), clusteredLosses.get(step), 1e-12, "loss of step " + (step + 1));
        }
        double[] expected = FlatWeights.values(alone.parameters());
        double[] actual = FlatWeights.values(clustered.parameters());
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 1e-12, "weight " + i);
        }

        SequenceModel again = kind.factory().create(3);
        try (SparkMinibatches batches = SparkMinibatches.of(LocalSpark.context().parallelize(data.examples(), 3), again,
                kind.factory(), BATCH)) {
            assertEquals(clusteredLosses, train(again, batches), "the losses of a second run");
        }
        assertArrayEquals(actual, FlatWeights.values(again.parameters()), "the weights of a second run, bit for bit");
    }

    /**
     * Over more than 8 partitions, neighbouring partitions are summed on the executors first
     * (reduceByKey), then on the driver: still the same tree, the same bits on every run. 23 examples on
     * 12 partitions, several of which hold none of an update's examples.
     */
    @Test
    void manyPartitionsSummedOnTheExecutorsFirstGiveTheSameResult() throws IOException {
        NetworkFactory factory = UnfoldedTestNetworks_StackedTagger::new;
        assertTrue(SparkMinibatches.groupShift(12) > 0, "12 partitions are grouped");
        SequenceModel alone = factory.create(8);
        TestData data = TestData.random(alone, true, true, EXAMPLES, 13);
        List<Double> aloneLosses = train(alone, data.minibatches(alone, BATCH));
        double[][] runs = new double[2][];
        for (int run = 0; run < 2; run++) {
            SequenceModel clustered = factory.create(8);
            try (SparkMinibatches batches = SparkMinibatches.of(LocalSpark.context().parallelize(data.examples(), 12),
                    clustered, factory, BATCH)) {
                assertEquals(12, batches.partitions());
                List<Double> losses = train(clustered, batches);
                for (int step = 0; step < aloneLosses.size(); step++) {
                    assertClose(aloneLosses.get(step), losses.get(step), 1e-12, "loss of step " + (step + 1));
                }
            }
            runs[run] = FlatWeights.values(clustered.parameters());
        }
        double[] expected = FlatWeights.values(alone.parameters());
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], runs[0][i], 1e-12, "weight " + i);
        }
        assertArrayEquals(runs[0], runs[1], "the weights of a second run, bit for bit");
    }

    /** More partitions than examples: the empty ones take part in every step and add nothing. */
    @Test
    void emptyPartitionsAddNothing() throws IOException {
        NetworkFactory factory = UnfoldedTestNetworks_DenseClassifier::new;
        SequenceModel alone = factory.create(9);
        TestData data = TestData.random(alone, false, true, 5, 14);
        List<Double> aloneLosses = train(alone, data.minibatches(alone, 2));
        SequenceModel clustered = factory.create(9);
        try (SparkMinibatches batches = SparkMinibatches.of(LocalSpark.context().parallelize(data.examples(), 8),
                clustered, factory, 2)) {
            List<Double> losses = train(clustered, batches);
            for (int step = 0; step < aloneLosses.size(); step++) {
                assertClose(aloneLosses.get(step), losses.get(step), 1e-12, "loss of step " + (step + 1));
            }
        }
        double[] expected = FlatWeights.values(alone.parameters());
        double[] actual = FlatWeights.values(clustered.parameters());
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 1e-12, "weight " + i);
        }
    }

    static Stream<Arguments> float32Kinds() {
        return Stream.of(
                Arguments.of(new Kind("float32 dense to dense targets", UnfoldedTestNetworks_FloatDenseRegressor::new, false, false),
                        (LongFunction<SequenceModel>) UnfoldedTestNetworks_DenseRegressor::new),
                Arguments.of(new Kind("float32 tokens to a label, bidirectional LSTM", UnfoldedTestNetworks_FloatTokenClassifier::new, true, true),
                        (LongFunction<SequenceModel>) UnfoldedTestNetworks_TokenClassifier::new));
    }

    /**
     * Float32: the cluster sums the partitions' float gradients in double and rounds once, one machine
     * sums them in float as the batch runs, so the two agree to float precision, not to the bit; both stay
     * near the float64 network trained from the same (rounded) weights.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("float32Kinds")
    void float32TrainingOnTheClusterEqualsOneMachineToFloatPrecision(Kind kind, LongFunction<SequenceModel> float64)
            throws IOException {
        SequenceModel alone = kind.factory().create(3);
        TestData data = TestData.random(alone, kind.tokens(), kind.labels(), EXAMPLES, 12);
        SequenceModel clustered = kind.factory().create(3);
        SequenceModel wide = float64.apply(3);
        FlatWeights.load(wide.parameters(), FlatWeights.values(alone.parameters()));   // the same start, widened
        TestData wideData = kind.labels() && kind.tokens() ? data : widened(data);

        List<Double> aloneLosses = train(alone, data.minibatches(alone, BATCH));
        List<Double> wideLosses = train(wide, wideData.minibatches(wide, BATCH));
        List<Double> clusteredLosses;
        try (SparkMinibatches batches = SparkMinibatches.of(LocalSpark.context().parallelize(data.examples(), 3),
                clustered, kind.factory(), BATCH)) {
            clusteredLosses = train(clustered, batches);
        }
        for (int step = 0; step < aloneLosses.size(); step++) {
            assertClose(aloneLosses.get(step), clusteredLosses.get(step), 1e-5, "float32 loss of step " + (step + 1));
            assertClose(wideLosses.get(step), clusteredLosses.get(step), 1e-4, "loss of step " + (step + 1)
                    + " against float64");
        }
        double[] expected = FlatWeights.values(alone.parameters());
        double[] actual = FlatWeights.values(clustered.parameters());
        double[] wideWeights = FlatWeights.values(wide.parameters());
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 1e-5, "float32 weight " + i);
            assertClose(wideWeights[i], actual[i], 1e-4, "weight " + i + " against float64");
        }
    }

    private static TestData widened(TestData data) {
        Object[] inputs = data.inputs instanceof float[][][] xs ? widen(xs) : data.inputs;
        Object[] targets = data.targets instanceof float[][][] ys ? widen(ys) : data.targets;
        return TestData.of(inputs, targets);
    }

    private static double[][][] widen(float[][][] values) {
        double[][][] wide = new double[values.length][][];
        for (int s = 0; s < values.length; s++) {
            wide[s] = new double[values[s].length][];
            for (int t = 0; t < values[s].length; t++) {
                wide[s][t] = new double[values[s][t].length];
                for (int j = 0; j < values[s][t].length; j++) {
                    wide[s][t][j] = values[s][t][j];
                }
            }
        }
        return wide;
    }

    /** Two epochs of Adam with clipping and a cosine schedule; the loss of every step. */
    static List<Double> train(SequenceModel network, TrainingData data) throws IOException {
        List<Double> losses = new ArrayList<>();
        new Trainer(network, new Adam(network.parameters(), 0.05))
                .epochs(EPOCHS)
                .seed(5)
                .clipNorm(1.0)
                .schedule(LearningRateSchedule.cosine(0.05, 0.005, (long) EPOCHS * data.updates()))
                .listener(new TrainingListener() {
                    @Override
                    public void updated(int epoch, int update, double loss, double gradientNorm) {
                        losses.add(loss);
                    }
                })
                .fit(data);
        return losses;
    }

    static void assertClose(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + ", got " + actual + " (difference " + Math.abs(expected - actual) + ")");
    }
}
