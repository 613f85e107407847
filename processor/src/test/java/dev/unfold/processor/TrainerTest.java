package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.data.ContextSequences;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.data.StreamChunks;
import dev.unfold.runtime.io.SafeTensors;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.optim.Optimizer;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import dev.unfold.runtime.seq2seq.SequencePairs;
import dev.unfold.runtime.train.Checkpoint;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.EpochRunner;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingDivergedException;
import dev.unfold.runtime.train.TrainingListener;
import dev.unfold.runtime.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop on a real generated network: runs are reproducible, a resumed run takes
 * exactly the steps the uninterrupted one took, divergence stops training with the step and the
 * parameter named and the last checkpoint intact, and early stopping stops when told.
 */
class TrainerTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Sorter",
                    "@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                    "public interface Sorter extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Speller",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY)",
                    "public interface Speller extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 5, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Captioner",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY, context = 3)",
                    "public interface Captioner extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.GRU) Layer gru();",
                    "}")));

    @TempDir
    Path directory;

    private static <T extends SequenceModel> T network(long seed) {
        return TestCompiler.instantiate(NETWORKS.loader(TestCompiler.JAVAC), "test.UnfoldedSorter", seed);
    }

    /** 23 sequences of 2 to 7 steps; the label says whether the first value exceeds the last. */
    private static Minibatches data(Classifier net, int seed) {
        Random random = new Random(seed);
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
        return Minibatches.of(net, xs, labels, 5);
    }

    private Trainer trainer(SequenceModel net, Optimizer optimizer, int epochs) {
        return new Trainer(net, optimizer)
                .epochs(epochs)
                .seed(7)
                .clipNorm(0.5)
                .schedule(LearningRateSchedule.warmUp(6, LearningRateSchedule.cosine(0.02, 0.002, 40)));
    }

    private static double[][] weights(SequenceModel net) {
        return net.parameters().names().stream()
                .map(name -> net.parameters().get(name).value().data.clone())
                .toArray(double[][]::new);
    }

    @Test
    void theSameSeedGivesTheSameWeights() throws IOException {
        Classifier first = network(3);
        trainer(first, new Adam(first.parameters(), 0.01), 4).fit(data(first, 1));
        Classifier second = network(3);
        trainer(second, new Adam(second.parameters(), 0.01), 4).fit(data(second, 1));
        assertArrayEquals(weights(first), weights(second));

        Classifier reordered = network(3);
        trainer(reordered, new Adam(reordered.parameters(), 0.01), 4).seed(8).fit(data(reordered, 1));
        assertFalse(Arrays.deepEquals(weights(first), weights(reordered)), "another seed, another order");
    }

    @Test
    void aResumedRunTakesExactlyTheStepsOfAnUninterruptedOne() throws IOException {
        Classifier straight = network(3);
        Adam straightAdam = new Adam(straight.parameters(), 0.01);
        trainer(straight, straightAdam, 6).fit(data(straight, 1));

        Path checkpoint = directory.resolve("run.safetensors");
        Classifier interrupted = network(3);
        trainer(interrupted, new Adam(interrupted.parameters(), 0.01), 3).checkpoint(checkpoint)
                .fit(data(interrupted, 1));

        // a new process: other initial weights and a fresh optimizer, both replaced by the checkpoint
        Classifier resumed = network(99);
        Adam resumedAdam = new Adam(resumed.parameters(), 0.01);
        List<Integer> epochs = new ArrayList<>();
        TrainingResult result = trainer(resumed, resumedAdam, 6).checkpoint(checkpoint)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        epochs.add(report.epoch());
                    }
                })
                .fit(data(resumed, 1));
        assertEquals(List.of(4, 5, 6), epochs);
        assertEquals(6, result.lastEpoch());
        assertEquals(straightAdam.steps(), resumedAdam.steps());
        assertArrayEquals(weights(straight), weights(resumed));
        for (String key : straightAdam.state().keySet()) {
            assertArrayEquals(straightAdam.state().get(key), resumedAdam.state().get(key), 0.0, key);
        }
        assertTrue(Files.exists(Trainer.bestWeights(checkpoint)));
    }

    @Test
    void divergenceNamesTheStepAndLeavesTheLastCheckpoint() throws IOException {
        Path checkpoint = directory.resolve("run.safetensors");
        Classifier net = network(3);
        Minibatches good = data(net, 1);
        trainer(net, new Sgd(net.parameters(), 0.1), 1).checkpoint(checkpoint).fit(good);
        byte[] saved = Files.readAllBytes(checkpoint);

        // the same run continued, with data whose third update's gradient goes bad
        TrainingData poisoned = new Poisoned(good, 2, net.parameters().get("lstm.weight_hh"), 17);
        TrainingDivergedException thrown = assertThrows(TrainingDivergedException.class,
                () -> trainer(net, new Sgd(net.parameters(), 0.1), 2).checkpoint(checkpoint).fit(poisoned));
        assertEquals("training diverged at step 8 (epoch 2, update 3 of 5): ∂L/∂lstm.weight_hh[17] is NaN; the"
                + " weights are those before this step and the last good checkpoint, " + checkpoint + ", is"
                + " unchanged. A lower learning rate or clipNorm usually helps", thrown.getMessage());
        assertEquals(8, thrown.step());
        assertArrayEquals(saved, Files.readAllBytes(checkpoint));
    }

    @Test
    void aNaNLossIsCaughtBeforeTheStep() {
        Classifier net = network(3);
        net.parameters().get("out.bias").value().data[0] = Double.NaN;
        double[] before = net.parameters().get("lstm.weight_ih").value().data.clone();
        TrainingDivergedException thrown = assertThrows(TrainingDivergedException.class,
                () -> trainer(net, new Sgd(net.parameters(), 0.1), 1).fit(data(net, 1)));
        assertEquals("training diverged at step 1 (epoch 1, update 1 of 5): the loss is NaN; the weights are those"
                + " before this step and no checkpoint was asked for. A lower learning rate or clipNorm usually helps",
                thrown.getMessage());
        assertArrayEquals(before, net.parameters().get("lstm.weight_ih").value().data, 0.0);
    }

    @Test
    void earlyStoppingStopsWhenValidationStopsImproving() throws IOException {
        Classifier net = network(3);
        // a validation loss that improves for two epochs, then only gets worse
        double[] losses = {5, 4, 4.5, 4.6, 4.7, 4.8, 4.9};
        TrainingData validation = new Scripted(losses);
        List<EpochReport> reports = new ArrayList<>();
        TrainingResult result = trainer(net, new Sgd(net.parameters(), 0.01), 7)
                .validation(validation, 2)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        reports.add(report);
                    }
                })
                .fit(data(net, 1));
        assertTrue(result.stoppedEarly());
        assertEquals(4, result.lastEpoch());
        assertEquals(2, result.bestEpoch());
        assertEquals(4.0, result.bestLoss());
        assertEquals(4.0, result.bestValue());
        assertEquals(Metric.LOSS, result.metric());
        assertEquals(List.of(true, true, false, false), reports.stream().map(EpochReport::improved).toList());
    }

    /** The fraction of the data's sequences whose argmax of the network's single forward pass is their label. */
    private static double naiveAccuracy(Classifier net, int seed) {
        Random random = new Random(seed);   // the sequences data(net, seed) holds, drawn again
        int correct = 0;
        for (int s = 0; s < 23; s++) {
            double[][] xs = new double[2 + random.nextInt(6)][3];
            for (double[] x : xs) {
                for (int j = 0; j < 3; j++) {
                    x[j] = random.nextGaussian();
                }
            }
            double[][] ys = new double[1][2];
            net.forward(xs, ys);
            int predicted = ys[0][1] > ys[0][0] ? 1 : 0;
            correct += predicted == (xs[0][0] > xs[xs.length - 1][0] ? 1 : 0) ? 1 : 0;
        }
        return correct / 23.0;
    }

    /** Each epoch's report, and the weights it ended with. */
    private static final class Recorder implements TrainingListener {
        final List<EpochReport> reports = new ArrayList<>();
        final List<double[][]> weights = new ArrayList<>();
        final List<Double> accuracies = new ArrayList<>();
        private final Classifier net;

        Recorder(Classifier net) {
            this.net = net;
        }

        @Override
        public void epochEnded(EpochReport report) {
            reports.add(report);
            weights.add(weights(net));
            accuracies.add(naiveAccuracy(net, 2));
        }
    }

    @Test
    void validatingOnAccuracyFollowsItUpwardsToTheBestEpochAndItsWeights() throws IOException {
        Classifier net = network(3);
        Path checkpoint = directory.resolve("accuracy.safetensors");
        Recorder recorder = new Recorder(net);
        TrainingResult result = trainer(net, new Adam(net.parameters(), 0.01), 8)
                .validation(data(net, 2), 0)
                .validateOn(Metric.ACCURACY)
                .checkpoint(checkpoint)
                .listener(recorder)
                .fit(data(net, 1));
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        for (int e = 0; e < recorder.reports.size(); e++) {
            EpochReport report = recorder.reports.get(e);
            double accuracy = recorder.accuracies.get(e);
            assertEquals(Metric.ACCURACY, report.metric());
            assertEquals(accuracy, report.metricValue(), 0.0, "epoch " + report.epoch());
            assertTrue(report.validated() && report.validationLoss() > 0, "the validation loss is still reported");
            assertEquals(accuracy > best, report.improved(), "epoch " + report.epoch() + ": " + recorder.accuracies);
            if (accuracy > best) {
                best = accuracy;
                bestEpoch = report.epoch();
            }
        }
        assertTrue(recorder.accuracies.stream().distinct().count() > 2, "the accuracy moves: " + recorder.accuracies);
        assertEquals(Metric.ACCURACY, result.metric());
        assertEquals(Double.NaN, result.bestLoss(), "not a loss: the best is an accuracy");
        assertEquals(bestEpoch, result.bestEpoch());
        assertEquals(best, result.bestValue(), 0.0);
        // the best weights are those of the most accurate epoch, not of the lowest validation loss
        Classifier restored = network(99);
        restored.parameters().load(Trainer.bestWeights(checkpoint));
        assertArrayEquals(recorder.weights.get(bestEpoch - 1), weights(restored));
    }

    @Test
    void earlyStoppingFollowsTheMetricInItsDirection() throws IOException {
        Classifier net = network(3);
        Recorder recorder = new Recorder(net);
        TrainingResult result = trainer(net, new Adam(net.parameters(), 0.01), 40)
                .validation(data(net, 2), 2)
                .validateOn(Metric.ACCURACY)
                .listener(recorder)
                .fit(data(net, 1));
        assertTrue(result.stoppedEarly(), "accuracy over 23 sequences stops rising: " + recorder.accuracies);
        assertEquals(result.bestEpoch() + 2, result.lastEpoch());
        List<Double> accuracies = recorder.accuracies;
        double best = accuracies.get(result.bestEpoch() - 1);
        assertEquals(accuracies.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), best, 0.0);
        assertEquals(result.bestEpoch() - 1, accuracies.indexOf(best), "the first epoch that reached it");

        // perplexity: lower is better, and it is e to the validation loss
        Classifier other = network(3);
        List<EpochReport> reports = new ArrayList<>();
        trainer(other, new Adam(other.parameters(), 0.01), 6)
                .validation(data(other, 2), 0)
                .validateOn(Metric.PERPLEXITY)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        reports.add(report);
                    }
                })
                .fit(data(other, 1));
        double lowest = Double.POSITIVE_INFINITY;
        for (EpochReport report : reports) {
            assertEquals(Math.exp(report.validationLoss()), report.metricValue(), 0.0);
            assertEquals(report.metricValue() < lowest, report.improved());
            lowest = Math.min(lowest, report.metricValue());
        }
    }

    @Test
    void aResumedMetricDrivenRunTakesExactlyTheStepsOfAnUninterruptedOne() throws IOException {
        Classifier straight = network(3);
        Adam straightAdam = new Adam(straight.parameters(), 0.01);
        Recorder straightRecorder = new Recorder(straight);
        TrainingResult straightResult = trainer(straight, straightAdam, 7).validation(data(straight, 2), 0)
                .validateOn(Metric.MACRO_F1).listener(straightRecorder).fit(data(straight, 1));

        Path checkpoint = directory.resolve("f1.safetensors");
        Classifier interrupted = network(3);
        trainer(interrupted, new Adam(interrupted.parameters(), 0.01), 4).validation(data(interrupted, 2), 0)
                .validateOn(Metric.MACRO_F1).checkpoint(checkpoint).fit(data(interrupted, 1));
        assertEquals(Metric.MACRO_F1, Checkpoint.load(checkpoint, network(5).parameters(),
                new Adam(network(5).parameters(), 0.01)).metric(), "the checkpoint keeps the metric");

        Classifier resumed = network(99);
        Adam resumedAdam = new Adam(resumed.parameters(), 0.01);
        Recorder resumedRecorder = new Recorder(resumed);
        TrainingResult resumedResult = trainer(resumed, resumedAdam, 7).validation(data(resumed, 2), 0)
                .validateOn(Metric.MACRO_F1).checkpoint(checkpoint).listener(resumedRecorder).fit(data(resumed, 1));
        assertEquals(straightAdam.steps(), resumedAdam.steps());
        assertArrayEquals(weights(straight), weights(resumed));
        assertEquals(straightResult.bestEpoch(), resumedResult.bestEpoch());
        assertEquals(straightResult.bestValue(), resumedResult.bestValue(), 0.0);
        List<EpochReport> lastThree = straightRecorder.reports.subList(4, 7);
        assertEquals(lastThree.stream().map(EpochReport::metricValue).toList(),
                resumedRecorder.reports.stream().map(EpochReport::metricValue).toList());
        assertEquals(lastThree.stream().map(EpochReport::improved).toList(),
                resumedRecorder.reports.stream().map(EpochReport::improved).toList(),
                "improvement judged against the best value the checkpoint kept");
        assertTrue(straightRecorder.reports.stream().map(EpochReport::metricValue).distinct().count() > 1,
                "the macro F1 moves");
    }

    /**
     * {@code fitWith(EpochRunner)}: each epoch's updates run by another trainer, over another instance
     * of the network, from the checkpoint it is handed (as a cluster's tasks run them); the run is the
     * loop's own, bit for bit: reports, best epoch, best weights, early stop, weights.
     */
    @Test
    void epochsRunElsewhereFromCheckpointsEqualTheLoopBitForBit() throws IOException {
        Classifier here = network(3);
        Path hereCheckpoint = directory.resolve("here.safetensors");
        Recorder hereRecorder = new Recorder(here);
        TrainingResult hereResult = trainer(here, new Adam(here.parameters(), 0.01), 40)
                .validation(data(here, 2), 2).validateOn(Metric.ACCURACY).checkpoint(hereCheckpoint)
                .listener(hereRecorder).fit(data(here, 1));
        assertTrue(hereResult.stoppedEarly(), "the comparison covers early stopping");

        Classifier driver = network(3);
        Path driverCheckpoint = directory.resolve("driver.safetensors");
        Recorder driverRecorder = new Recorder(driver);
        List<Integer> ran = new ArrayList<>();
        TrainingResult driverResult = trainer(driver, new Adam(driver.parameters(), 0.01), 40)
                .validation(data(driver, 2), 2).validateOn(Metric.ACCURACY).checkpoint(driverCheckpoint)
                .listener(driverRecorder).fitWith(new EpochRunner() {
                    @Override
                    public int updates() {
                        return 5;
                    }

                    @Override
                    public EpochRunner.Trained run(int epoch, Path before, Path after) throws IOException {
                        ran.add(epoch);
                        Classifier elsewhere = network(99);   // other weights: the checkpoint's replace them
                        Path own = directory.resolve("elsewhere.safetensors");
                        Files.copy(before, own, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        EpochReport report = trainer(elsewhere, new Adam(elsewhere.parameters(), 0.01), epoch)
                                .checkpoint(own).fit(data(elsewhere, 1)).last();
                        Files.copy(own, after);
                        return new EpochRunner.Trained(report.trainingLoss(), report.updates(), report.clippedUpdates());
                    }
                });

        assertEquals(hereResult.lastEpoch(), ran.size(), "one run per epoch");
        assertArrayEquals(weights(here), weights(driver));
        assertEquals(withoutSeconds(hereResult), withoutSeconds(driverResult));
        assertEquals(hereRecorder.reports.stream().map(TrainerTest::withoutSeconds).toList(),
                driverRecorder.reports.stream().map(TrainerTest::withoutSeconds).toList());
        Classifier hereBest = network(98);
        hereBest.parameters().load(Trainer.bestWeights(hereCheckpoint));
        Classifier driverBest = network(97);
        driverBest.parameters().load(Trainer.bestWeights(driverCheckpoint));
        assertArrayEquals(weights(hereBest), weights(driverBest), "the best weights");
    }

    @Test
    void anEpochRunnerThatLeavesAnotherEpochsCheckpointIsCaughtBeforeItsWeightsAreTaken() throws IOException {
        Classifier net = network(3);
        double[][] before = weights(net);
        IllegalStateException caught = assertThrows(IllegalStateException.class,
                () -> trainer(net, new Adam(net.parameters(), 0.01), 3).fitWith(new EpochRunner() {
                    @Override
                    public int updates() {
                        return 5;
                    }

                    @Override
                    public EpochRunner.Trained run(int epoch, Path from, Path after) throws IOException {
                        Files.copy(from, after);   // trains nothing: still the epoch before's checkpoint
                        return new EpochRunner.Trained(1, 5, 0);
                    }
                }));
        assertTrue(caught.getMessage().startsWith("the epoch runner left the checkpoint of epoch 0 in "), caught.getMessage());
        assertTrue(caught.getMessage().endsWith(", expected that of epoch 1"), caught.getMessage());
        assertArrayEquals(before, weights(net), "the weights are untouched");
    }

    private static EpochReport withoutSeconds(EpochReport report) {
        return new EpochReport(report.epoch(), report.epochs(), report.steps(), report.trainingLoss(),
                report.validationLoss(), report.learningRate(), report.clippedUpdates(), report.updates(),
                report.improved(), 0, report.metric(), report.metricValue());
    }

    private static TrainingResult withoutSeconds(TrainingResult result) {
        return new TrainingResult(result.lastEpoch(), result.bestEpoch(), result.metric(), result.bestValue(),
                result.stoppedEarly(), result.last() == null ? null : withoutSeconds(result.last()));
    }

    /**
     * Training on a stream leaves the network stateful between epochs; the accuracy over whole
     * held-out sequences still starts each from a zero state, and the stream goes on as it was.
     */
    @Test
    void accuracyOverSequencesWhileTrainingOnAStreamStartsEachFromZero() throws IOException {
        Random random = new Random(6);
        int[] text = random.ints(80, 0, 6).toArray();
        int[][] tokens = new int[7][];
        int[][] labels = new int[7][];
        for (int s = 0; s < tokens.length; s++) {
            tokens[s] = random.ints(2 + random.nextInt(5), 0, 6).toArray();
            labels[s] = random.ints(tokens[s].length, 0, 6).toArray();
        }
        var net = (Streaming & Classifier) speller(3);
        Classifier stateless = speller(99);
        List<Double> expected = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        new Trainer(net, new Adam(net.parameters(), 0.02)).epochs(3)
                .validation(Minibatches.of(net, tokens, labels, 3), 0)
                .validateOn(Metric.ACCURACY)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        copyWeights(net, stateless);
                        int correct = 0;
                        int rows = 0;
                        for (int s = 0; s < tokens.length; s++) {
                            double[][] ys = new double[tokens[s].length][6];
                            stateless.forward(tokens[s], ys);
                            for (int t = 0; t < ys.length; t++) {
                                int predicted = 0;
                                for (int k = 1; k < 6; k++) {
                                    predicted = ys[t][k] > ys[t][predicted] ? k : predicted;
                                }
                                correct += predicted == labels[s][t] ? 1 : 0;
                                rows++;
                            }
                        }
                        expected.add((double) correct / rows);
                        measured.add(report.metricValue());
                    }
                })
                .fit(StreamChunks.nextToken(net, text, 8));
        assertEquals(expected, measured);

        // a network on a stream: measured over sequences, it goes on with the stream where it was
        net.setStateful(true);
        net.forward(text, new double[text.length][6]);
        double[] carried = new double[net.stateSize()];
        net.saveState(carried, 0);
        Metric.ACCURACY.measure(Minibatches.of(net, tokens, labels, 3));
        assertTrue(net.isStateful());
        double[] after = new double[net.stateSize()];
        net.saveState(after, 0);
        assertArrayEquals(carried, after, 0.0);
    }

    /**
     * The validation loss over whole held-out sequences, while training on a stream, scores each
     * sequence from a zero state too (not from the training stream's carried state), and leaves the
     * stream's state as it was.
     */
    @Test
    void validationLossOverSequencesWhileTrainingOnAStreamStartsEachFromZero() throws IOException {
        Random random = new Random(8);
        int[] text = random.ints(80, 0, 6).toArray();
        int[][] tokens = new int[5][];
        int[][] labels = new int[5][];
        for (int s = 0; s < tokens.length; s++) {
            tokens[s] = random.ints(2 + random.nextInt(5), 0, 6).toArray();
            labels[s] = random.ints(tokens[s].length, 0, 6).toArray();
        }
        var net = (Streaming & Classifier) speller(3);
        Classifier stateless = speller(99);
        List<Double> expected = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        new Trainer(net, new Adam(net.parameters(), 0.02)).epochs(3)
                .validation(Minibatches.of(net, tokens, labels, 2), 0)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        copyWeights(net, stateless);
                        double sum = 0;
                        int rows = 0;
                        for (int s = 0; s < tokens.length; s++) {
                            sum += stateless.loss(tokens[s], labels[s]);
                            rows += tokens[s].length;
                        }
                        expected.add(sum / rows);
                        measured.add(report.validationLoss());
                    }
                })
                .fit(StreamChunks.nextToken(net, text, 8));
        assertEquals(expected.size(), measured.size());
        for (int epoch = 0; epoch < expected.size(); epoch++) {
            assertEquals(expected.get(epoch), measured.get(epoch), 1e-12 * Math.abs(expected.get(epoch)),
                    "epoch " + (epoch + 1));
        }

        // scored over sequences, a network on a stream goes on with the stream where it was
        net.setStateful(true);
        net.forward(text, new double[text.length][6]);
        double[] carried = new double[net.stateSize()];
        net.saveState(carried, 0);
        Metric.LOSS.measure(Minibatches.of(net, tokens, labels, 2));
        assertTrue(net.isStateful());
        double[] after = new double[net.stateSize()];
        net.saveState(after, 0);
        assertArrayEquals(carried, after, 0.0);
    }

    @Test
    void aMetricTheValidationDataCannotGiveIsRefusedBeforeAnythingRuns() throws IOException {
        Classifier net = network(3);
        double[][] before = weights(net);
        Adam adam = new Adam(net.parameters(), 0.01);
        assertEquals("validateOn(ACCURACY) needs validation data to measure the accuracy on: call validation(data,"
                + " patience) too, or validate on Metric.LOSS", assertThrows(IllegalArgumentException.class,
                        () -> trainer(net, adam, 2).validateOn(Metric.ACCURACY).fit(data(net, 1))).getMessage());
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> trainer(net, adam, 2)
                .validation(data(net, 2), 0).validateOn(Metric.MSE).fit(data(net, 1)));
        assertTrue(thrown.getMessage().startsWith("MSE compare outputs with dense targets, but the data has class"
                + " labels"), thrown.getMessage());
        var speller = (Streaming & Classifier) speller(3);
        thrown = assertThrows(IllegalArgumentException.class, () -> new Trainer(speller,
                new Sgd(speller.parameters(), 0.1)).validation(StreamChunks.nextToken(speller, new int[] {1, 2, 3, 4}, 2), 0)
                .validateOn(Metric.ACCURACY).fit(StreamChunks.nextToken(speller, new int[] {1, 2, 3, 4, 5}, 2)));
        assertEquals("accuracy is measured over Minibatches (whole sequences with their targets), not over"
                + " StreamChunks: validate on Metric.LOSS or PERPLEXITY, or give Minibatches as validation data",
                thrown.getMessage());
        assertArrayEquals(before, weights(net));
        assertEquals(0, adam.steps());

        // a checkpoint of a run that followed the loss is not resumed by one that follows the accuracy
        Path checkpoint = directory.resolve("loss.safetensors");
        trainer(net, adam, 1).validation(data(net, 2), 0).checkpoint(checkpoint).fit(data(net, 1));
        byte[] saved = Files.readAllBytes(checkpoint);
        Classifier resumed = network(4);
        double[][] resumedBefore = weights(resumed);
        Adam resumedAdam = new Adam(resumed.parameters(), 0.01);
        thrown = assertThrows(IllegalArgumentException.class, () -> trainer(resumed, resumedAdam, 3)
                .validation(data(resumed, 2), 0).validateOn(Metric.ACCURACY).checkpoint(checkpoint)
                .fit(data(resumed, 1)));
        assertEquals(checkpoint + " was written by a run validated on LOSS (its training/best_loss), but this run"
                + " validates on ACCURACY: its best epoch would be judged by another measure; validateOn(LOSS) to"
                + " resume it, or use another checkpoint file", thrown.getMessage());
        assertArrayEquals(resumedBefore, weights(resumed));
        assertEquals(0, resumedAdam.steps());
        assertArrayEquals(saved, Files.readAllBytes(checkpoint));
    }

    @Test
    void aCheckpointOfAnotherOptimizerIsRefusedAndChangesNothing() throws IOException {
        Path checkpoint = directory.resolve("adam.safetensors");
        Classifier net = network(3);
        trainer(net, new Adam(net.parameters(), 0.01), 1).checkpoint(checkpoint).fit(data(net, 1));
        Classifier other = network(4);
        double[][] before = weights(other);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(checkpoint, other.parameters(), new Sgd(other.parameters(), 0.1)));
        assertTrue(thrown.getMessage().contains("holds the state of another optimizer"), thrown.getMessage());
        assertArrayEquals(before, weights(other));
    }

    @Test
    void dataBuiltForAnotherInstanceIsRefusedAndNothingChanges() throws IOException {
        Classifier trained = network(3);
        Classifier other = network(3);   // the same declaration and seed, another instance
        double[][] before = weights(trained);
        Adam adam = new Adam(trained.parameters(), 0.01);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> trainer(trained, adam, 2).fit(data(other, 1)));
        assertEquals("the training data was built for another network instance: its passes compute no gradient for"
                + " lstm.weight_ih, which this trainer updates, so training would change nothing; build it with the"
                + " network given to the Trainer", thrown.getMessage());
        assertArrayEquals(before, weights(trained));
        assertArrayEquals(before, weights(other));
        assertEquals(0, adam.steps());

        thrown = assertThrows(IllegalArgumentException.class,
                () -> trainer(trained, adam, 2).validation(data(other, 2), 0).fit(data(trained, 1)));
        assertTrue(thrown.getMessage().startsWith("the validation data was built for another network instance: its"
                + " loss does not depend on lstm.weight_ih"), thrown.getMessage());
        assertArrayEquals(before, weights(trained));

        // training part of the network is not the same mistake: the output layer alone learns
        Parameters output = trained.parameters().withPrefix("out.");
        new Trainer(output, new Sgd(output, 0.1)).epochs(1).fit(data(trained, 1));
        assertArrayEquals(before[0], trained.parameters().get("lstm.weight_ih").value().data);
        assertFalse(Arrays.equals(before[before.length - 1], trained.parameters().get("out.bias").value().data));
    }

    /**
     * Every kind of training data the runtime builds says which network it runs: built for another
     * instance, each is refused before anything changes; built for the trained one, it trains.
     */
    @Test
    void streamsPairsAndContextSequencesBuiltForAnotherInstanceAreRefusedToo() throws IOException {
        String refusal = "the training data was built for another network instance: its passes compute no gradient for ";
        int[] text = new Random(5).ints(40, 0, 6).toArray();
        var speller = (Streaming & Classifier) speller(3);
        Sgd spellerSgd = new Sgd(speller.parameters(), 0.1);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> new Trainer(speller,
                spellerSgd).epochs(1).fit(StreamChunks.nextToken((Streaming & Classifier) speller(3), text, 8)));
        assertTrue(thrown.getMessage().startsWith(refusal + "lstm."), thrown.getMessage());
        assertEquals(0, spellerSgd.steps());
        new Trainer(speller, spellerSgd).epochs(1).fit(StreamChunks.nextToken(speller, text, 8));
        assertEquals(5, spellerSgd.steps());   // 39 steps in chunks of 8

        // an encoder-decoder's parameters are its networks', renamed: the same arrays, not the same objects
        EncoderDecoder pairs = new EncoderDecoder(speller(1), speller(2));
        EncoderDecoder otherPairs = new EncoderDecoder(speller(1), speller(2));
        int[][] sources = {{1, 2, 3}, {4, 5}};
        int[][] targets = {{2, 3}, {1}};
        Sgd pairsSgd = new Sgd(pairs.parameters(), 0.1);
        thrown = assertThrows(IllegalArgumentException.class, () -> new Trainer(pairs.parameters(), pairsSgd).epochs(1)
                .fit(SequencePairs.of(otherPairs, sources, new int[] {0, 0}, targets, 0, 5, 2)));
        assertTrue(thrown.getMessage().startsWith(refusal + "encoder."), thrown.getMessage());
        assertEquals(0, pairsSgd.steps());
        new Trainer(pairs.parameters(), pairsSgd).epochs(1)
                .fit(SequencePairs.of(pairs, sources, new int[] {0, 0}, targets, 0, 5, 2));
        assertEquals(1, pairsSgd.steps());

        var captioner = (Contextual & Classifier) captioner(1);
        double[][] contexts = {{1, 0, -1}, {0.5, 0.5, 0}};
        int[][] inputs = {{0, 1, 2}, {0, 3}};
        int[][] labels = {{1, 2, 5}, {3, 5}};
        Sgd captionerSgd = new Sgd(captioner.parameters(), 0.1);
        thrown = assertThrows(IllegalArgumentException.class, () -> new Trainer(captioner, captionerSgd).epochs(1)
                .fit(new ContextSequences(captioner(1), contexts, inputs, labels, 2)));
        assertTrue(thrown.getMessage().startsWith(refusal + "gru."), thrown.getMessage());
        assertEquals(0, captionerSgd.steps());
        new Trainer(captioner, captionerSgd).epochs(1).fit(new ContextSequences(captioner, contexts, inputs, labels, 2));
        assertEquals(1, captionerSgd.steps());
    }

    private static <T extends SequenceModel> T captioner(long seed) {
        return TestCompiler.instantiate(NETWORKS.loader(TestCompiler.JAVAC), "test.UnfoldedCaptioner", seed);
    }

    private static <T extends SequenceModel> T speller(long seed) {
        return TestCompiler.instantiate(NETWORKS.loader(TestCompiler.JAVAC), "test.UnfoldedSpeller", seed);
    }

    private static void copyWeights(SequenceModel from, SequenceModel to) {
        for (String name : from.parameters().names()) {
            double[] values = from.parameters().get(name).value().data;
            System.arraycopy(values, 0, to.parameters().get(name).value().data, 0, values.length);
        }
    }

    @Test
    void streamTrainingLeavesTheNetworkAsItWas() throws IOException {
        Random random = new Random(5);
        int[] text = random.ints(61, 0, 6).toArray();
        int[] tokens = random.ints(12, 0, 6).toArray();
        int[] labels = random.ints(12, 0, 6).toArray();

        var net = (Streaming & Classifier) speller(3);
        new Trainer(net, new Adam(net.parameters(), 0.01)).epochs(2)
                .validation(StreamChunks.nextToken(net, Arrays.copyOf(text, 20), 7), 0)
                .fit(StreamChunks.nextToken(net, text, 8));
        assertFalse(net.isStateful(), "not stateful after training, as before it");
        double first = net.loss(tokens, labels);
        double second = net.loss(tokens, labels);
        assertEquals(first, second, 0.0, "the same string scores the same twice");
        Classifier neverStateful = speller(99);
        copyWeights(net, neverStateful);
        assertEquals(neverStateful.loss(tokens, labels), first, 0.0, "as a network that never carried state");

        // a stream that was under way before training goes on from where it was
        var streaming = (Streaming & Classifier) speller(3);
        streaming.setStateful(true);
        streaming.forward(tokens, new double[tokens.length][6]);
        double[] carried = new double[streaming.stateSize()];
        streaming.saveState(carried, 0);
        new Trainer(streaming, new Sgd(streaming.parameters(), 0.1)).epochs(1)
                .fit(StreamChunks.nextToken(streaming, text, 8));
        assertTrue(streaming.isStateful());
        double[] after = new double[streaming.stateSize()];
        streaming.saveState(after, 0);
        assertArrayEquals(carried, after, 0.0);
    }

    @Test
    void streamTrainingThatDivergesAlsoLeavesTheNetworkAsItWas() {
        var net = (Streaming & Classifier) speller(3);
        net.parameters().get("out.bias").value().data[0] = Double.NaN;
        assertThrows(TrainingDivergedException.class, () -> new Trainer(net, new Sgd(net.parameters(), 0.1)).epochs(1)
                .fit(StreamChunks.nextToken(net, new Random(5).ints(30, 0, 6).toArray(), 8)));
        assertFalse(net.isStateful());
    }

    /** The checkpoint's tensors with one counter replaced, written back. */
    private static void setCounter(Path checkpoint, String name, double value) throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(SafeTensors.read(checkpoint));
        tensors.put("training/" + name, new SafeTensors.Tensor(new long[] {1}, new double[] {value}));
        SafeTensors.write(checkpoint, tensors, Map.of());
    }

    @Test
    void aCheckpointBeyondTheRunIsRefusedAndNothingRuns() throws IOException {
        Path checkpoint = directory.resolve("run.safetensors");
        Classifier net = network(3);
        trainer(net, new Adam(net.parameters(), 0.01), 1).checkpoint(checkpoint).fit(data(net, 1));
        // the last epoch an int counts: before, the next epoch's number overflowed and 2^31 epochs ran
        setCounter(checkpoint, "epoch", Integer.MAX_VALUE);
        setCounter(checkpoint, "step", Integer.MAX_VALUE);
        byte[] saved = Files.readAllBytes(checkpoint);
        Classifier resumed = network(4);
        double[][] before = weights(resumed);
        Adam adam = new Adam(resumed.parameters(), 0.01);
        List<Integer> epochs = new ArrayList<>();
        IllegalArgumentException thrown = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(IllegalArgumentException.class, () -> trainer(resumed, adam, 3)
                        .checkpoint(checkpoint)
                        .listener(new TrainingListener() {
                            @Override
                            public void epochStarted(int epoch, int updates) {
                                epochs.add(epoch);
                            }
                        })
                        .fit(data(resumed, 1))));
        assertEquals(checkpoint + "'s training/epoch is 2147483647, beyond this run's 3 epochs: it belongs to a longer"
                + " run; ask for at least 2147483647 epochs or use another checkpoint file", thrown.getMessage());
        assertEquals(List.of(), epochs);
        assertArrayEquals(before, weights(resumed));
        assertEquals(0, adam.steps());
        assertArrayEquals(saved, Files.readAllBytes(checkpoint));
        assertEquals("epochs must be at most 2147483646, got 2147483647", assertThrows(IllegalArgumentException.class,
                () -> trainer(resumed, adam, Integer.MAX_VALUE)).getMessage());
    }

    @Test
    void resumingRemovesTemporaryFilesACrashLeft() throws IOException {
        Path checkpoint = directory.resolve("run.safetensors");
        Classifier net = network(3);
        trainer(net, new Adam(net.parameters(), 0.01), 1).checkpoint(checkpoint).fit(data(net, 1));
        // what kill -9 during the writes of the checkpoint and of the best weights leaves
        Path stale = directory.resolve("run.safetensors.0123456789abcdef.partial");
        Path staleBest = directory.resolve("run.best.safetensors.fedcba9876543210.partial");
        Path notOurs = directory.resolve("notes.partial");
        for (Path file : List.of(stale, staleBest, notOurs)) {
            Files.write(file, new byte[] {1, 2});
        }
        // a finished run resumed: nothing is written, the temporaries go all the same
        trainer(net, new Adam(net.parameters(), 0.01), 1).checkpoint(checkpoint).fit(data(net, 1));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleBest));
        assertTrue(Files.exists(notOurs));
    }

    /** Another run's data, except that one update's gradient gets a NaN after its backward pass. */
    private record Poisoned(TrainingData data, int badUpdate, Parameter parameter, int index) implements TrainingData {
        @Override
        public int updates() {
            return data.updates();
        }

        @Override
        public void startEpoch(long seed) {
            data.startEpoch(seed);
        }

        @Override
        public double backward(int update) {
            double loss = data.backward(update);
            if (update == badUpdate) {
                parameter.gradient().data[index] = Double.NaN;
            }
            return loss;
        }

        @Override
        public double loss(int update) {
            return data.loss(update);
        }

        @Override
        public int outputs(int update) {
            return data.outputs(update);
        }
    }

    /** Validation data whose loss per output is given epoch by epoch. */
    private static final class Scripted implements TrainingData {
        private final double[] losses;
        private int epoch = -1;

        Scripted(double[] losses) {
            this.losses = losses;
        }

        @Override
        public int updates() {
            return 1;
        }

        @Override
        public void startEpoch(long seed) {
            epoch++;
        }

        @Override
        public double backward(int update) {
            throw new UnsupportedOperationException("validation only");
        }

        @Override
        public double loss(int update) {
            return losses[epoch];
        }

        @Override
        public int outputs(int update) {
            return 1;
        }
    }
}
