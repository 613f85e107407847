package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Adam;
import dev.unfold.runtime.Checkpoint;
import dev.unfold.runtime.EpochReport;
import dev.unfold.runtime.LearningRateSchedule;
import dev.unfold.runtime.Minibatches;
import dev.unfold.runtime.Optimizer;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Sgd;
import dev.unfold.runtime.Trainer;
import dev.unfold.runtime.TrainingData;
import dev.unfold.runtime.TrainingDivergedException;
import dev.unfold.runtime.TrainingListener;
import dev.unfold.runtime.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
                    "public interface Sorter extends SequenceModel {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "}")));

    @TempDir
    Path directory;

    private static SequenceModel network(long seed) {
        return TestCompiler.instantiate(NETWORKS.loader(TestCompiler.JAVAC), "test.UnfoldedSorter", seed);
    }

    /** 23 sequences of 2 to 7 steps; the label says whether the first value exceeds the last. */
    private static Minibatches data(SequenceModel net, int seed) {
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
        SequenceModel first = network(3);
        trainer(first, new Adam(first.parameters(), 0.01), 4).fit(data(first, 1));
        SequenceModel second = network(3);
        trainer(second, new Adam(second.parameters(), 0.01), 4).fit(data(second, 1));
        assertArrayEquals(weights(first), weights(second));

        SequenceModel reordered = network(3);
        trainer(reordered, new Adam(reordered.parameters(), 0.01), 4).seed(8).fit(data(reordered, 1));
        assertFalse(Arrays.deepEquals(weights(first), weights(reordered)), "another seed, another order");
    }

    @Test
    void aResumedRunTakesExactlyTheStepsOfAnUninterruptedOne() throws IOException {
        SequenceModel straight = network(3);
        Adam straightAdam = new Adam(straight.parameters(), 0.01);
        trainer(straight, straightAdam, 6).fit(data(straight, 1));

        Path checkpoint = directory.resolve("run.safetensors");
        SequenceModel interrupted = network(3);
        trainer(interrupted, new Adam(interrupted.parameters(), 0.01), 3).checkpoint(checkpoint)
                .fit(data(interrupted, 1));

        // a new process: other initial weights and a fresh optimizer, both replaced by the checkpoint
        SequenceModel resumed = network(99);
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
        SequenceModel net = network(3);
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
        SequenceModel net = network(3);
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
        SequenceModel net = network(3);
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
        assertEquals(List.of(true, true, false, false), reports.stream().map(EpochReport::improved).toList());
    }

    @Test
    void aCheckpointOfAnotherOptimizerIsRefusedAndChangesNothing() throws IOException {
        Path checkpoint = directory.resolve("adam.safetensors");
        SequenceModel net = network(3);
        trainer(net, new Adam(net.parameters(), 0.01), 1).checkpoint(checkpoint).fit(data(net, 1));
        SequenceModel other = network(4);
        double[][] before = weights(other);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(checkpoint, other.parameters(), new Sgd(other.parameters(), 0.1)));
        assertTrue(thrown.getMessage().contains("holds the state of another optimizer"), thrown.getMessage());
        assertArrayEquals(before, weights(other));
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
