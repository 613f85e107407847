package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.SequenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Bad input is refused with a message naming what was expected and what came, the first bad example by
 * its index in the RDD, before any step; a refused call caches nothing and changes no weight.
 */
class RefusalsTest {
    private static final NetworkFactory REGRESSOR = UnfoldedTestNetworks_DenseRegressor::new;
    private static final NetworkFactory CLASSIFIER = UnfoldedTestNetworks_TokenClassifier::new;

    @Test
    void aBatchSizeBelowOne() {
        SequenceModel network = REGRESSOR.create(1);
        refused("batch size must be at least 1, got 0",
                () -> SparkMinibatches.of(rdd(TestData.random(network, false, false, 4, 1).examples()), network, REGRESSOR, 0),
                network);
    }

    @Test
    void anEmptyRdd() {
        SequenceModel network = REGRESSOR.create(1);
        refused("the RDD has no examples: training needs at least one sequence",
                () -> SparkMinibatches.of(rdd(List.of()), network, REGRESSOR, 4), network);
    }

    @Test
    void aStepOfTheWrongWidthIsNamedByItsExample() {
        SequenceModel network = REGRESSOR.create(1);
        List<Example> examples = new ArrayList<>(TestData.random(network, false, false, 9, 2).examples());
        examples.set(7, Example.of(new double[][] {{1, 2, 3}, {1, 2}}, new double[][] {{0, 0}, {0, 0}}));
        refused("example 7: xs[1] has 2 values, expected 3 (the network's input size)",
                () -> SparkMinibatches.of(rdd(examples), network, REGRESSOR, 4), network);
    }

    @Test
    void aLabelOutOfRangeAndATokenOutOfTheVocabulary() {
        SequenceModel network = CLASSIFIER.create(1);
        List<Example> examples = new ArrayList<>(TestData.random(network, true, true, 9, 3).examples());
        examples.set(4, Example.of(new int[] {1, 2}, new int[] {3}));
        examples.set(6, Example.of(new int[] {9}, new int[] {0}));
        refused("example 4: labels[0] is 3, outside the classes [0, 3) of the network's output size",
                () -> SparkMinibatches.of(rdd(examples), network, CLASSIFIER, 4), network);
        examples.set(4, Example.of(new int[] {1, 2}, new int[] {2}));
        refused("example 6: tokens[0] is 9, outside the vocabulary [0, 7) of the network's input size",
                () -> SparkMinibatches.of(rdd(examples), network, CLASSIFIER, 4), network);
    }

    @Test
    void targetsOfTheWrongNumberOfRows() {
        SequenceModel network = REGRESSOR.create(1);
        List<Example> examples = new ArrayList<>(TestData.random(network, false, false, 5, 4).examples());
        examples.set(2, Example.of(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[][] {{0, 0}}));
        refused("example 2: targets has 1 rows, expected 2",
                () -> SparkMinibatches.of(rdd(examples), network, REGRESSOR, 4), network);
    }

    @Test
    void examplesOfMixedKinds() {
        SequenceModel network = CLASSIFIER.create(1);
        List<Example> examples = new ArrayList<>(TestData.random(network, true, true, 8, 5).examples());
        examples.set(6, Example.of(new double[][] {{1}}, new int[] {0}));   // parallelize(8 examples, 3): 0-1, 2-4, 5-7
        refused("example 6 has double[][] steps with int[] labels, but example 5 has int[] tokens with int[] labels:"
                        + " the examples of one data set must all be of one kind",
                () -> SparkMinibatches.of(rdd(examples), network, CLASSIFIER, 4), network);
    }

    @Test
    void aNullExample() {
        SequenceModel network = REGRESSOR.create(1);
        List<Example> examples = new ArrayList<>(TestData.random(network, false, false, 6, 9).examples());
        examples.set(3, null);
        refused("example 3 is null: give an Example for every element",
                () -> SparkMinibatches.of(rdd(examples), network, REGRESSOR, 4), network);
    }

    @Test
    void dataOfTheOtherPrecision() {
        SequenceModel network = REGRESSOR.create(1);
        List<Example> examples = List.of(Example.of(new float[][] {{1, 2, 3}}, new float[][] {{0, 0}}));
        refused("the examples have float[][] steps with float[][] targets: UnfoldedTestNetworks_DenseRegressor computes"
                        + " in FLOAT64: call SparkMinibatches.of with double arrays, not float arrays",
                () -> SparkMinibatches.of(rdd(examples), network, REGRESSOR, 4), network);
    }

    @Test
    void labelsForANetworkThatIsNoClassifier() {
        SequenceModel network = REGRESSOR.create(1);
        List<Example> examples = List.of(Example.of(new double[][] {{1, 2, 3}}, new int[] {0}));
        refused("the examples have class labels, but UnfoldedTestNetworks_DenseRegressor is no Classifier",
                () -> SparkMinibatches.of(rdd(examples), network, REGRESSOR, 4), network);
    }

    @Test
    void aFactoryOfAnotherNetwork() {
        SequenceModel network = REGRESSOR.create(1);
        refused("the factory builds dev.unfold.spark.UnfoldedTestNetworks_TokenClassifier with",
                () -> SparkMinibatches.of(rdd(TestData.random(network, false, false, 4, 1).examples()), network,
                        CLASSIFIER, 4), network);
    }

    @Test
    void aFactoryThatCannotTravel() {
        SequenceModel network = REGRESSOR.create(1);
        Object unserialisable = new Object();
        NetworkFactory capturing = seed -> unserialisable == null ? null : new UnfoldedTestNetworks_DenseRegressor(seed);
        refused("the factory cannot be sent to the executors (java.io.NotSerializableException: java.lang.Object)",
                () -> SparkMinibatches.of(rdd(TestData.random(network, false, false, 4, 1).examples()), network,
                        capturing, 4), network);
    }

    @Test
    void aNetworkWithDropout() {
        SequenceModel network = new UnfoldedTestNetworks_DroppingRegressor(1);
        refused("UnfoldedTestNetworks_DroppingRegressor has dropout, which SparkMinibatches cannot train",
                () -> SparkMinibatches.of(rdd(TestData.random(network, false, false, 4, 1).examples()), network,
                        UnfoldedTestNetworks_DroppingRegressor::new, 4), network);
    }

    /** Both designs cache and check the data alike ({@link CachedExamples}), so they refuse alike. */
    @Test
    void theBarrierDesignRefusesTheSameData() {
        SequenceModel network = REGRESSOR.create(1);
        List<Example> examples = new ArrayList<>(TestData.random(network, false, false, 9, 2).examples());
        examples.set(7, Example.of(new double[][] {{1, 2, 3}, {1, 2}}, new double[][] {{0, 0}, {0, 0}}));
        refused("example 7: xs[1] has 2 values, expected 3 (the network's input size)",
                () -> BarrierTraining.of(rdd(examples), network, REGRESSOR, 4), network);
        refused("the RDD has no examples: training needs at least one sequence",
                () -> BarrierTraining.of(rdd(List.of()), network, REGRESSOR, 4), network);
        Object unserialisable = new Object();
        NetworkFactory capturing = seed -> unserialisable == null ? null : new UnfoldedTestNetworks_DenseRegressor(seed);
        refused("the factory cannot be sent to the executors (java.io.NotSerializableException: java.lang.Object)",
                () -> BarrierTraining.of(rdd(TestData.random(network, false, false, 4, 1).examples()), network,
                        capturing, 4), network);
    }

    @Test
    void anUpdateOutsideTheEpochChangesNoGradient() {
        SequenceModel network = REGRESSOR.create(1);
        try (SparkMinibatches batches = SparkMinibatches.of(rdd(TestData.random(network, false, false, 9, 6).examples()),
                network, REGRESSOR, 4)) {
            network.parameters().zeroGradients();
            batches.backward(1);
            double[] gradients = gradients(network);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> batches.backward(3));
            assertEquals("update 3 is outside the epoch's 3 updates", refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> batches.loss(-1));
            assertArrayEquals(gradients, gradients(network));
        }
    }

    private static double[] gradients(SequenceModel network) {
        double[] flat = new double[network.parameterCount()];
        FlatWeights.gradients(network.parameters(), flat);
        return flat;
    }

    /** The call is refused with a message starting so, nothing stays cached, and the weights are as they were. */
    private static void refused(String message, Supplier<?> call, SequenceModel network) {
        JavaSparkContext spark = LocalSpark.context();
        int cached = spark.getPersistentRDDs().size();
        double[] weights = FlatWeights.values(network.parameters());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, call::get);
        assertEquals(message, refused.getMessage().substring(0, Math.min(message.length(), refused.getMessage().length())),
                refused.getMessage());
        assertEquals(cached, spark.getPersistentRDDs().size(), "RDDs left cached");
        assertArrayEquals(weights, FlatWeights.values(network.parameters()));
    }

    private static JavaRDD<Example> rdd(List<Example> examples) {
        return LocalSpark.context().parallelize(examples, 3);
    }
}
