package dev.unfold.spark;

import static dev.unfold.spark.TrainingEqualsOneMachineTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.io.SafeTensors;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingListener;
import dev.unfold.runtime.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the driver does around the barrier stages, on {@code local[2]}: validation on a metric other
 * than the loss, the best weights, early stopping and the listeners, as the single-machine
 * {@code Trainer} does them with the same data and recipe; a resume whose checkpoint holds the
 * driver's validated progress; and the runs it refuses, changing nothing.
 */
class BarrierValidationTest {
    private static final NetworkFactory FACTORY = UnfoldedTestNetworks_TokenClassifier::new;
    private static final int EXAMPLES = 23;
    private static final int BATCH = 5;
    private static final int VALIDATION_BATCH = 4;
    private static final int EPOCHS = 12;
    private static final int PATIENCE = 2;
    private static final int PARTITIONS = 2;

    private static final TrainerRecipe RECIPE = network -> new Trainer(network, new Adam(network.parameters(), 0.05))
            .seed(7)
            .clipNorm(1.0)
            .schedule(LearningRateSchedule.cosine(0.05, 0.005, (long) EPOCHS * 5));

    private static final TestData TRAIN = TestData.random(FACTORY.create(0), true, true, EXAMPLES, 31);
    private static final TestData VALID = TestData.random(FACTORY.create(0), true, true, 9, 32);

    @TempDir
    Path directory;

    @Test
    void validationOnAccuracyWithPatienceEqualsOneMachine() throws IOException {
        SequenceModel alone = FACTORY.create(3);
        Path aloneCheckpoint = directory.resolve("alone.safetensors");
        Recorder aloneEvents = new Recorder();
        TrainingResult aloneResult = RECIPE.create(alone).epochs(EPOCHS)
                .validation(VALID.minibatches(alone, VALIDATION_BATCH), PATIENCE)
                .validateOn(Metric.ACCURACY)
                .checkpoint(aloneCheckpoint)
                .listener(aloneEvents)
                .fit(TRAIN.minibatches(alone, BATCH));
        assertTrue(aloneResult.stoppedEarly(), "the single-machine run stops early, so the comparison covers it");

        SequenceModel barrier = FACTORY.create(3);
        Path barrierCheckpoint = directory.resolve("barrier.safetensors");
        Recorder barrierEvents = new Recorder();
        TrainingResult barrierResult;
        try (BarrierTraining training = BarrierTraining.of(rdd(), barrier, FACTORY, BATCH)) {
            barrierResult = training.validation(VALID.minibatches(barrier, VALIDATION_BATCH), PATIENCE)
                    .validateOn(Metric.ACCURACY)
                    .listener(barrierEvents)
                    .fit(RECIPE, EPOCHS, barrierCheckpoint);
            assertEquals(aloneResult.lastEpoch(), training.stages().size(), "one stage per epoch run");
        }

        assertEquals(aloneEvents.events, barrierEvents.events, "the listeners hear the same run");
        assertEquals(aloneEvents.reports.size(), barrierEvents.reports.size());
        for (int e = 0; e < aloneEvents.reports.size(); e++) {
            assertSameReport(aloneEvents.reports.get(e), barrierEvents.reports.get(e));
        }
        assertSameResult(aloneResult, barrierResult);
        assertWeightsClose(FlatWeights.values(alone.parameters()), FlatWeights.values(barrier.parameters()),
                "the last epoch's weights");
        assertWeightsClose(weights(Trainer.bestWeights(aloneCheckpoint)),
                weights(Trainer.bestWeights(barrierCheckpoint)), "the best weights file");
    }

    @Test
    void aRunInterruptedAtItsBestEpochAndResumedEqualsOneThatNeverStopped() throws IOException {
        SequenceModel straight = FACTORY.create(4);
        Path straightCheckpoint = directory.resolve("straight.safetensors");
        Recorder straightEvents = new Recorder();
        TrainingResult straightResult;
        try (BarrierTraining training = BarrierTraining.of(rdd(), straight, FACTORY, BATCH)) {
            straightResult = validated(training, straight).listener(straightEvents)
                    .fit(RECIPE, EPOCHS, straightCheckpoint);
        }
        // interrupted right after its best epoch: the resumed run must judge every later epoch against
        // the best value and epoch the checkpoint holds, and stop early by them
        int interruption = straightResult.bestEpoch();
        assertTrue(interruption >= 1 && interruption < straightResult.lastEpoch(),
                "the best epoch " + interruption + " is before the last, " + straightResult.lastEpoch());

        Path checkpoint = directory.resolve("interrupted.safetensors");
        SequenceModel interrupted = FACTORY.create(4);
        try (BarrierTraining training = BarrierTraining.of(rdd(), interrupted, FACTORY, BATCH)) {
            validated(training, interrupted).fit(RECIPE, interruption, checkpoint);
        }
        SequenceModel resumed = FACTORY.create(99);   // other weights: the checkpoint's replace them
        Recorder resumedEvents = new Recorder();
        TrainingResult resumedResult;
        try (BarrierTraining training = BarrierTraining.of(rdd(), resumed, FACTORY, BATCH)) {
            resumedResult = validated(training, resumed).listener(resumedEvents).fit(RECIPE, EPOCHS, checkpoint);
        }

        assertArrayEquals(FlatWeights.values(straight.parameters()), FlatWeights.values(resumed.parameters()),
                "the weights, bit for bit");
        assertEquals(straightResult, withLastSeconds(resumedResult, straightResult.last().seconds()),
                "the same end: last epoch, best epoch and value, early stop");
        assertArrayEquals(weights(Trainer.bestWeights(straightCheckpoint)), weights(Trainer.bestWeights(checkpoint)),
                "the best weights file, bit for bit");
        List<EpochReport> after = straightEvents.reports.subList(interruption, straightEvents.reports.size());
        assertEquals(after.size(), resumedEvents.reports.size());
        for (int e = 0; e < after.size(); e++) {
            assertEquals(withSeconds(after.get(e), 0), withSeconds(resumedEvents.reports.get(e), 0),
                    "epoch " + (interruption + 1 + e) + "'s report, bit for bit");
        }
    }

    @Test
    void refusesAMetricWithoutValidationDataChangingNothing() throws IOException {
        SequenceModel network = FACTORY.create(5);
        double[] before = FlatWeights.values(network.parameters());
        Path checkpoint = directory.resolve("never.safetensors");
        try (BarrierTraining training = BarrierTraining.of(rdd(), network, FACTORY, BATCH)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> training.validateOn(Metric.ACCURACY).fit(RECIPE, 2, checkpoint));
            assertEquals("validateOn(ACCURACY) needs validation data to measure the accuracy on: call"
                    + " validation(data, patience) too, or validate on Metric.LOSS", refused.getMessage());
            assertEquals(List.of(), training.stages(), "no stage ran");
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> training.validation(VALID.minibatches(network, VALIDATION_BATCH), -1));
            assertEquals("patience must be 0 (never stop early) or more, got -1", negative.getMessage());
        }
        assertArrayEquals(before, FlatWeights.values(network.parameters()), "the weights are untouched");
        assertFalse(Files.exists(checkpoint), "no checkpoint written");
        assertFalse(Files.exists(Trainer.bestWeights(checkpoint)), "no best weights written");
    }

    @Test
    void refusesTheCheckpointOfARunValidatedOnAnotherMetricChangingNothing() throws IOException {
        Path checkpoint = directory.resolve("accuracy.safetensors");
        SequenceModel first = FACTORY.create(6);
        try (BarrierTraining training = BarrierTraining.of(rdd(), first, FACTORY, BATCH)) {
            validated(training, first).fit(RECIPE, 1, checkpoint);
        }
        byte[] saved = Files.readAllBytes(checkpoint);
        byte[] best = Files.readAllBytes(Trainer.bestWeights(checkpoint));

        SequenceModel second = FACTORY.create(7);
        double[] before = FlatWeights.values(second.parameters());
        try (BarrierTraining training = BarrierTraining.of(rdd(), second, FACTORY, BATCH)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> training.validation(VALID.minibatches(second, VALIDATION_BATCH), PATIENCE)
                            .fit(RECIPE, EPOCHS, checkpoint));
            assertEquals(checkpoint + " was written by a run validated on ACCURACY (its training/best_accuracy), but"
                    + " this run validates on LOSS: its best epoch would be judged by another measure;"
                    + " validateOn(ACCURACY) to resume it, or use another checkpoint file", refused.getMessage());
            assertEquals(List.of(), training.stages(), "no stage ran");
        }
        assertArrayEquals(before, FlatWeights.values(second.parameters()), "the weights are untouched");
        assertArrayEquals(saved, Files.readAllBytes(checkpoint), "the checkpoint is untouched");
        assertArrayEquals(best, Files.readAllBytes(Trainer.bestWeights(checkpoint)), "the best weights are untouched");
    }

    private static BarrierTraining validated(BarrierTraining training, SequenceModel network) {
        return training.validation(VALID.minibatches(network, VALIDATION_BATCH), PATIENCE).validateOn(Metric.ACCURACY);
    }

    private static JavaRDD<Example> rdd() {
        return LocalSpark.context().parallelize(TRAIN.examples(), PARTITIONS);
    }

    private static void assertSameReport(EpochReport expected, EpochReport actual) {
        String epoch = "epoch " + expected.epoch() + ": ";
        assertEquals(expected.epoch(), actual.epoch(), epoch + "number");
        assertEquals(expected.epochs(), actual.epochs(), epoch + "epochs");
        assertEquals(expected.steps(), actual.steps(), epoch + "steps");
        assertClose(expected.trainingLoss(), actual.trainingLoss(), 1e-12, epoch + "training loss");
        assertClose(expected.validationLoss(), actual.validationLoss(), 1e-12, epoch + "validation loss");
        assertEquals(expected.learningRate(), actual.learningRate(), epoch + "learning rate");
        assertEquals(expected.clippedUpdates(), actual.clippedUpdates(), epoch + "clipped updates");
        assertEquals(expected.updates(), actual.updates(), epoch + "updates");
        assertEquals(expected.improved(), actual.improved(), epoch + "improved");
        assertEquals(expected.metric(), actual.metric(), epoch + "metric");
        assertClose(expected.metricValue(), actual.metricValue(), 1e-12, epoch + "accuracy");
    }

    private static void assertSameResult(TrainingResult expected, TrainingResult actual) {
        assertEquals(expected.lastEpoch(), actual.lastEpoch(), "last epoch (the early stop)");
        assertEquals(expected.bestEpoch(), actual.bestEpoch(), "best epoch");
        assertEquals(expected.metric(), actual.metric(), "metric");
        assertClose(expected.bestValue(), actual.bestValue(), 1e-12, "best accuracy");
        assertEquals(expected.stoppedEarly(), actual.stoppedEarly(), "stopped early");
    }

    private static void assertWeightsClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": weights");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 1e-12, what + ": weight " + i);
        }
    }

    /** Every value of a weights file, in its order. */
    private static double[] weights(Path file) throws IOException {
        return SafeTensors.read(file).values().stream().flatMapToDouble(t -> Arrays.stream(t.values()))
                .toArray();
    }

    private static EpochReport withSeconds(EpochReport report, double seconds) {
        return new EpochReport(report.epoch(), report.epochs(), report.steps(), report.trainingLoss(),
                report.validationLoss(), report.learningRate(), report.clippedUpdates(), report.updates(),
                report.improved(), seconds, report.metric(), report.metricValue());
    }

    private static TrainingResult withLastSeconds(TrainingResult result, double seconds) {
        return new TrainingResult(result.lastEpoch(), result.bestEpoch(), result.metric(), result.bestValue(),
                result.stoppedEarly(), result.last() == null ? null : withSeconds(result.last(), seconds));
    }

    /** What a listener hears, without the times, which differ between any two runs. */
    private static final class Recorder implements TrainingListener {
        final List<String> events = new ArrayList<>();
        final List<EpochReport> reports = new ArrayList<>();

        @Override
        public void started(int firstEpoch, int epochs) {
            events.add("started " + firstEpoch + " of " + epochs);
        }

        @Override
        public void epochStarted(int epoch, int updates) {
            events.add("epoch " + epoch + " starts, " + updates + " updates");
        }

        @Override
        public void epochEnded(EpochReport report) {
            events.add("epoch " + report.epoch() + " ended" + (report.improved() ? ", best so far" : ""));
            reports.add(report);
        }

        @Override
        public void finished(TrainingResult result) {
            events.add("finished after epoch " + result.lastEpoch() + ", best " + result.bestEpoch()
                    + (result.stoppedEarly() ? ", stopped early" : ""));
        }
    }
}
