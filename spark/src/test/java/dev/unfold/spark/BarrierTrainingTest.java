package dev.unfold.spark;

import static dev.unfold.spark.TrainingEqualsOneMachineTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The barrier design's promise, on {@code local[2]} with two barrier tasks: the single-machine
 * {@code Trainer}'s losses and weights to 1e-12 over the same global minibatches, the bits of
 * {@link SparkMinibatches}' run (the same partial vectors summed in the same tree), the same bits on
 * every run, and a resume from the driver's checkpoint that equals the run that never stopped.
 */
class BarrierTrainingTest {
    private static final int EXAMPLES = 23;
    private static final int BATCH = 5;
    private static final int EPOCHS = 3;
    /** Two: a barrier stage needs all its tasks at once, and local[2] has two cores. */
    private static final int PARTITIONS = 2;

    /** Adam with clipping and a cosine schedule over the whole run: what every task builds. */
    private static final TrainerRecipe RECIPE = network -> new Trainer(network, new Adam(network.parameters(), 0.05))
            .seed(5)
            .clipNorm(1.0)
            .schedule(LearningRateSchedule.cosine(0.05, 0.005, (long) EPOCHS * 5));

    @Test
    void equalsOneMachineTo1e12AndTreeAggregateToTheBitAndRepeats() throws IOException {
        NetworkFactory factory = UnfoldedTestNetworks_StackedTagger::new;
        SequenceModel alone = factory.create(3);
        TestData data = TestData.random(alone, true, true, EXAMPLES, 11);
        List<Double> aloneLosses = epochLosses(alone, data.minibatches(alone, BATCH));

        SequenceModel barrier = factory.create(3);
        List<BarrierTraining.BarrierEpoch> epochs;
        try (BarrierTraining training = BarrierTraining.of(rdd(data), barrier, factory, BATCH)) {
            training.fit(RECIPE, EPOCHS, null);
            epochs = training.stages();
        }
        assertEquals(EPOCHS, epochs.size());
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(5L * (e + 1), epochs.get(e).steps(), "optimizer steps after epoch " + (e + 1));
            assertClose(aloneLosses.get(e), epochs.get(e).trainingLoss(), 1e-12, "training loss of epoch " + (e + 1));
        }
        double[] expected = FlatWeights.values(alone.parameters());
        double[] actual = FlatWeights.values(barrier.parameters());
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 1e-12, "weight " + i);
        }

        SequenceModel treeAggregated = factory.create(3);
        try (SparkMinibatches batches = SparkMinibatches.of(rdd(data), treeAggregated, factory, BATCH)) {
            epochLosses(treeAggregated, batches);
        }
        assertArrayEquals(FlatWeights.values(treeAggregated.parameters()), actual,
                "the barrier tasks sum the same partial vectors in the same tree as the driver does per step");

        SequenceModel again = factory.create(3);
        try (BarrierTraining training = BarrierTraining.of(rdd(data), again, factory, BATCH)) {
            training.fit(RECIPE, EPOCHS, null);
        }
        assertArrayEquals(actual, FlatWeights.values(again.parameters()), "the weights of a second run, bit for bit");
    }

    @Test
    void resumesFromTheDriversCheckpointExactly(@TempDir Path directory) throws IOException {
        NetworkFactory factory = UnfoldedTestNetworks_DenseRegressor::new;
        TestData data = TestData.random(factory.create(0), false, false, EXAMPLES, 13);

        SequenceModel straight = factory.create(4);
        try (BarrierTraining training = BarrierTraining.of(rdd(data), straight, factory, BATCH)) {
            training.fit(RECIPE, EPOCHS, null);
        }

        Path checkpoint = directory.resolve("run.ckpt");
        SequenceModel interrupted = factory.create(4);
        try (BarrierTraining training = BarrierTraining.of(rdd(data), interrupted, factory, BATCH)) {
            training.fit(RECIPE, 1, checkpoint);
            assertEquals(1, training.stages().size());
        }
        assertTrue(Files.exists(checkpoint), "the driver wrote the checkpoint of epoch 1");
        SequenceModel resumed = factory.create(99);   // other weights: the checkpoint's must replace them
        List<BarrierTraining.BarrierEpoch> rest;
        try (BarrierTraining training = BarrierTraining.of(rdd(data), resumed, factory, BATCH)) {
            training.fit(RECIPE, EPOCHS, checkpoint);
            rest = training.stages();
        }
        assertEquals(List.of(2, 3), rest.stream().map(BarrierTraining.BarrierEpoch::epoch).toList());
        assertArrayEquals(FlatWeights.values(straight.parameters()), FlatWeights.values(resumed.parameters()),
                "epochs 2 and 3 after a resume equal the run that never stopped, bit for bit");

        SequenceModel finished = factory.create(98);
        try (BarrierTraining training = BarrierTraining.of(rdd(data), finished, factory, BATCH)) {
            assertNull(training.fit(RECIPE, EPOCHS, checkpoint).last(), "nothing left to train");
            assertEquals(List.of(), training.stages(), "no stage ran");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> training.fit(RECIPE, 2, checkpoint));
            assertEquals(checkpoint + "'s training/epoch is 3, beyond this run's 2 epochs: it belongs to a longer run;"
                    + " ask for at least 3 epochs or use another checkpoint file", refused.getMessage());
        }
        assertArrayEquals(FlatWeights.values(straight.parameters()), FlatWeights.values(finished.parameters()),
                "a finished run's checkpoint still gives the driver its weights");
    }

    private static JavaRDD<Example> rdd(TestData data) {
        return LocalSpark.context().parallelize(data.examples(), PARTITIONS);
    }

    /** The same recipe on one machine: the training loss of each epoch. */
    private static List<Double> epochLosses(SequenceModel network, TrainingData data) throws IOException {
        List<Double> losses = new ArrayList<>();
        RECIPE.create(network).epochs(EPOCHS).listener(new TrainingListener() {
            @Override
            public void epochEnded(EpochReport report) {
                losses.add(report.trainingLoss());
            }
        }).fit(data);
        return losses;
    }
}
