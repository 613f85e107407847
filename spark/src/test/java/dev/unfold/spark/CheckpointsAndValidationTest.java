package dev.unfold.spark;

import static dev.unfold.spark.TrainingEqualsOneMachineTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the trainer does on the driver around the cluster's steps: checkpoints that resume exactly,
 * and validation data on the cluster, whose loss (and perplexity) per epoch equals one machine's.
 */
class CheckpointsAndValidationTest {
    private static final NetworkFactory FACTORY = UnfoldedTestNetworks_TokenClassifier::new;

    @TempDir
    Path directory;

    @Test
    void aRunInterruptedAfterItsFirstEpochAndResumedFromTheCheckpointEqualsOneThatNeverStopped() throws IOException {
        TestData train = TestData.random(FACTORY.create(0), true, true, 19, 21);
        TestData valid = TestData.random(FACTORY.create(0), true, true, 9, 22);

        SequenceModel whole = FACTORY.create(4);
        List<EpochReport> wholeReports = new ArrayList<>();
        try (SparkMinibatches batches = cluster(train, whole, 4); SparkMinibatches held = cluster(valid, whole, 3)) {
            trainer(whole, held, directory.resolve("whole.safetensors"), 3, wholeReports).fit(batches);
        }

        SequenceModel interrupted = FACTORY.create(4);
        Path checkpoint = directory.resolve("interrupted.safetensors");
        List<EpochReport> resumedReports = new ArrayList<>();
        try (SparkMinibatches batches = cluster(train, interrupted, 4);
             SparkMinibatches held = cluster(valid, interrupted, 3)) {
            trainer(interrupted, held, checkpoint, 1, resumedReports).fit(batches);
        }
        SequenceModel resumed = FACTORY.create(99);   // other weights: the checkpoint replaces them
        try (SparkMinibatches batches = cluster(train, resumed, 4); SparkMinibatches held = cluster(valid, resumed, 3)) {
            trainer(resumed, held, checkpoint, 3, resumedReports).fit(batches);
        }

        assertTrue(Files.exists(checkpoint));
        assertArrayEquals(FlatWeights.values(whole.parameters()), FlatWeights.values(resumed.parameters()),
                "the resumed run's weights, bit for bit");
        assertEquals(3, resumedReports.size());
        for (int e = 0; e < 3; e++) {
            assertEquals(wholeReports.get(e).trainingLoss(), resumedReports.get(e).trainingLoss(), "epoch " + (e + 1));
            assertEquals(wholeReports.get(e).validationLoss(), resumedReports.get(e).validationLoss(), "epoch " + (e + 1));
        }
    }

    @Test
    void validationLossAndPerplexityOnTheClusterEqualOneMachinesEveryEpoch() throws IOException {
        TestData train = TestData.random(FACTORY.create(0), true, true, 17, 31);
        TestData valid = TestData.random(FACTORY.create(0), true, true, 11, 32);

        SequenceModel alone = FACTORY.create(6);
        List<EpochReport> aloneReports = new ArrayList<>();
        trainer(alone, valid.minibatches(alone, 4), null, 3, aloneReports).validateOn(Metric.PERPLEXITY)
                .fit(train.minibatches(alone, 5));

        SequenceModel clustered = FACTORY.create(6);
        List<EpochReport> clusteredReports = new ArrayList<>();
        try (SparkMinibatches batches = cluster(train, clustered, 5); SparkMinibatches held = cluster(valid, clustered, 4)) {
            trainer(clustered, held, null, 3, clusteredReports).validateOn(Metric.PERPLEXITY).fit(batches);
            assertClose(Metric.LOSS.measure(valid.minibatches(clustered, 4)), Metric.LOSS.measure(held), 1e-12,
                    "Metric.LOSS measured on the cluster after training");
        }
        for (int e = 0; e < 3; e++) {
            assertClose(aloneReports.get(e).validationLoss(), clusteredReports.get(e).validationLoss(), 1e-12,
                    "validation loss of epoch " + (e + 1));
            assertClose(aloneReports.get(e).metricValue(), clusteredReports.get(e).metricValue(), 1e-12,
                    "validation perplexity of epoch " + (e + 1));
            assertEquals(aloneReports.get(e).improved(), clusteredReports.get(e).improved());
        }
    }

    @Test
    void metricsThatCompareOutputsNeedValidationMinibatchesOnTheDriver() {
        SequenceModel network = FACTORY.create(6);
        TestData data = TestData.random(network, true, true, 5, 41);
        try (SparkMinibatches batches = cluster(data, network, 2); SparkMinibatches held = cluster(data, network, 2)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> trainer(network, held, null, 1, new ArrayList<>()).validateOn(Metric.ACCURACY).fit(batches));
            assertTrue(refused.getMessage().contains("accuracy is measured over Minibatches"), refused.getMessage());
        }
    }

    private static SparkMinibatches cluster(TestData data, SequenceModel network, int batchSize) {
        return SparkMinibatches.of(LocalSpark.context().parallelize(data.examples(), 2), network, FACTORY, batchSize);
    }

    private static Trainer trainer(SequenceModel network, TrainingData validation, Path checkpoint, int epochs,
                                   List<EpochReport> reports) {
        Trainer trainer = new Trainer(network, new Adam(network.parameters(), 0.03))
                .epochs(epochs)
                .seed(9)
                .clipNorm(2)
                .validation(validation, 0)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        reports.add(report);
                    }
                });
        return checkpoint == null ? trainer : trainer.checkpoint(checkpoint);
    }
}
