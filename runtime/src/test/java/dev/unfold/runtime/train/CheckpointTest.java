package dev.unfold.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.io.SafeTensors;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.Optimizer;
import dev.unfold.runtime.optim.Optimizers;
import dev.unfold.runtime.optim.Sgd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loading a checkpoint is all or nothing: every entry is checked before anything changes, and a
 * file that holds what no training run can have reached is refused with the entry named, leaving
 * the weights, the optimizer's state, its step count and its learning rate exactly as they were.
 */
class CheckpointTest {
    @TempDir
    Path directory;

    static Stream<Named<Function<Parameters, Optimizer>>> optimizers() {
        return Optimizers.all().stream();
    }

    /** A checkpoint of {@code make}'s optimizer after three steps, at epoch 2, as the trainer writes it. */
    private Path checkpoint(Function<Parameters, Optimizer> make) throws IOException {
        return checkpoint(make, Precision.FLOAT64);
    }

    /** {@link #checkpoint(Function)} of a network of {@code precision}. */
    private Path checkpoint(Function<Parameters, Optimizer> make, Precision precision) throws IOException {
        Optimizer optimizer = make.apply(Optimizers.network(1, precision));
        Random gradients = new Random(2);
        for (int k = 0; k < 3; k++) {
            Optimizers.randomGradients(optimizer.parameters(), gradients);
            optimizer.step();
        }
        optimizer.setLearningRate(0.004);
        Path file = directory.resolve("run.safetensors");
        Checkpoint.save(file, optimizer.parameters(), optimizer, new Checkpoint.Progress(2, 1, 0.75));
        return file;
    }

    /** Everything a load could change, bit for bit. */
    private record Snapshot(List<long[]> arrays, long steps, long learningRate) {
        static Snapshot of(Optimizer optimizer) {
            List<long[]> arrays = new ArrayList<>();
            for (Parameter parameter : optimizer.parameters()) {
                arrays.add(bits(values(parameter)));
            }
            for (double[] state : optimizer.state().values()) {
                arrays.add(bits(state));
            }
            return new Snapshot(arrays, optimizer.steps(), Double.doubleToRawLongBits(optimizer.learningRate()));
        }

        private static long[] bits(double[] values) {
            long[] bits = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                bits[i] = Double.doubleToRawLongBits(values[i]);
            }
            return bits;
        }

        void assertSame(Snapshot after, String what) {
            assertEquals(arrays.size(), after.arrays.size());
            for (int a = 0; a < arrays.size(); a++) {
                assertArrayEquals(arrays.get(a), after.arrays.get(a), what + ": array " + a + " changed");
            }
            assertEquals(steps, after.steps, what + ": the step count changed");
            assertEquals(learningRate, after.learningRate, what + ": the learning rate changed");
        }
    }

    /** A parameter's values, widened to double for a float32 one. */
    private static double[] values(Parameter parameter) {
        double[] values = new double[parameter.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameter.value(i);
        }
        return values;
    }

    /** Another optimizer of the same kind, mid-run: its own weights, state, steps and rate. */
    private static Optimizer target(Function<Parameters, Optimizer> make) {
        return target(make, Precision.FLOAT64);
    }

    /** {@link #target(Function)} over a network of {@code precision}. */
    private static Optimizer target(Function<Parameters, Optimizer> make, Precision precision) {
        Optimizer optimizer = make.apply(Optimizers.network(7, precision));
        Random gradients = new Random(8);
        for (int k = 0; k < 5; k++) {
            Optimizers.randomGradients(optimizer.parameters(), gradients);
            optimizer.step();
        }
        optimizer.setLearningRate(0.03);
        return optimizer;
    }

    /** Rewrites {@code file} with one change to its tensors. */
    private static void edit(Path file, Consumer<Map<String, SafeTensors.Tensor>> change) throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(SafeTensors.read(file));
        change.accept(tensors);
        SafeTensors.write(file, tensors, Map.of());
    }

    private static Consumer<Map<String, SafeTensors.Tensor>> counter(String name, double value) {
        return tensors -> tensors.put("training/" + name, new SafeTensors.Tensor(new long[] {1}, new double[] {value}));
    }

    private static Consumer<Map<String, SafeTensors.Tensor>> entry(String name, int index, double value) {
        return tensors -> {
            SafeTensors.Tensor tensor = tensors.get(name);
            double[] values = tensor.values().clone();
            values[index] = value;
            tensors.put(name, new SafeTensors.Tensor(tensor.shape(), values));
        };
    }

    /** Loads a checkpoint changed by {@code change} into a mid-run optimizer: refused, naming {@code named}, nothing changed. */
    private void assertRefused(Function<Parameters, Optimizer> make, Consumer<Map<String, SafeTensors.Tensor>> change,
                               String named) throws IOException {
        Path file = checkpoint(make);
        edit(file, change);
        Optimizer optimizer = target(make);
        Snapshot before = Snapshot.of(optimizer);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, optimizer.parameters(), optimizer), named);
        assertTrue(thrown.getMessage().contains(named), "expected " + named + " in: " + thrown.getMessage());
        before.assertSame(Snapshot.of(optimizer), named);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aCheckpointTheTrainerWroteLoadsWhole(Function<Parameters, Optimizer> make) throws IOException {
        Path file = checkpoint(make);
        Optimizer saved = make.apply(Optimizers.network(1));
        Checkpoint.load(file, saved.parameters(), saved);   // the values the file holds, through the normal path
        Optimizer optimizer = target(make);
        assertEquals(new Checkpoint.Progress(2, 1, 0.75), Checkpoint.load(file, optimizer.parameters(), optimizer));
        Snapshot.of(saved).assertSame(Snapshot.of(optimizer), "loaded twice");
        assertEquals(3, optimizer.steps());
        assertEquals(0.004, optimizer.learningRate());
    }

    @Test
    void anImpossibleLearningRateOrStepChangesNothing() throws IOException {
        Function<Parameters, Optimizer> adam = parameters -> new Adam(parameters, 0.01);
        for (double rate : new double[] {0, -0.01, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertRefused(adam, counter("learning_rate", rate), "training/learning_rate is " + rate
                    + ", expected a positive, finite number");
        }
        for (double step : new double[] {-1, 2.5, Double.NaN, Double.POSITIVE_INFINITY, 0x1p60}) {
            assertRefused(adam, counter("step", step), "training/step is " + step);
        }
    }

    @Test
    void impossibleCountersChangeNothing() throws IOException {
        Function<Parameters, Optimizer> sgd = parameters -> Sgd.withMomentum(parameters, 0.1, 0.9);
        for (double epoch : new double[] {-1, 1.5, Double.NaN, 0x1p31, 1e300}) {
            assertRefused(sgd, counter("epoch", epoch), "training/epoch is " + epoch);
        }
        // three steps cannot have taken four epochs, nor can the best epoch come after the last
        assertRefused(sgd, counter("epoch", 4), "training/step is 3, fewer than its training/epoch 4");
        assertRefused(sgd, counter("best_epoch", 3), "training/best_epoch is 3, after its training/epoch 2");
        assertRefused(sgd, counter("best_epoch", -1), "training/best_epoch is -1.0");
        assertRefused(sgd, counter("best_loss", Double.NaN), "training/best_loss is NaN");
        assertRefused(sgd, counter("best_loss", Double.POSITIVE_INFINITY), "training/best_loss is Infinity with"
                + " training/best_epoch 1");
        assertRefused(sgd, tensors -> tensors.put("training/epoch",
                new SafeTensors.Tensor(new long[] {1, 1}, new double[] {2})), "training/epoch has shape [1, 1],"
                + " expected [1]");
        assertRefused(sgd, tensors -> tensors.remove("training/best_loss"), "it has no training/best_loss");
        assertRefused(sgd, counter("epochs", 5), "has training/epochs, which is not one of a checkpoint's counters");
    }

    @Test
    void theBestValueIsKeptUnderTheNameOfItsMetric() throws IOException {
        Function<Parameters, Optimizer> sgd = parameters -> new Sgd(parameters, 0.1);
        Optimizer optimizer = target(sgd);
        for (int k = 0; k < 3; k++) {   // steps for the epochs to have taken
            Optimizers.randomGradients(optimizer.parameters(), new Random(k));
            optimizer.step();
        }
        Path file = directory.resolve("accuracy.safetensors");
        for (Checkpoint.Progress progress : List.of(new Checkpoint.Progress(2, 1, Metric.ACCURACY, 0.75),
                new Checkpoint.Progress(0, 0, Metric.ACCURACY, Double.NEGATIVE_INFINITY),
                new Checkpoint.Progress(2, 2, Metric.MSE, 0.125))) {
            Checkpoint.save(file, optimizer.parameters(), optimizer, progress);
            assertTrue(SafeTensors.read(file).containsKey("training/best_" + progress.metric().key()));
            assertEquals(progress, Checkpoint.load(file, optimizer.parameters(), optimizer));
        }
        // "none yet" is the metric's worst value: −∞ for accuracy, +∞ for a loss, and nothing else
        assertRefused(sgd, rename("best_loss", "best_accuracy", Double.POSITIVE_INFINITY, 0),
                "training/best_accuracy is Infinity with training/best_epoch 0: expected a finite accuracy, or"
                        + " -Infinity with best_epoch 0 (no best epoch yet)");
        assertRefused(sgd, rename("best_loss", "best_accuracy", Double.NEGATIVE_INFINITY, 1),
                "training/best_accuracy is -Infinity with training/best_epoch 1");
        assertRefused(sgd, counter("best_accuracy", 0.5), "has 2 best values, [LOSS, ACCURACY]: expected one, of the"
                + " metric its run validated on");
        assertRefused(sgd, counter("best_recall", 0.5), "has training/best_recall, which is not one of a checkpoint's"
                + " counters");
    }

    /** Replaces counter {@code from} with {@code to}, holding {@code value}, and sets the best epoch. */
    private static Consumer<Map<String, SafeTensors.Tensor>> rename(String from, String to, double value, int bestEpoch) {
        return tensors -> {
            tensors.remove("training/" + from);
            counter(to, value).accept(tensors);
            counter("best_epoch", bestEpoch).accept(tensors);
        };
    }

    @Test
    void invalidOptimizerStateChangesNothing() throws IOException {
        Function<Parameters, Optimizer> adam = parameters -> new Adam(parameters, 0.01);
        assertRefused(adam, entry("optimizer/exp_avg/rnn.bias_hh", 1, Double.NaN),
                "optimizer/exp_avg/rnn.bias_hh[1] is NaN");
        assertRefused(adam, entry("optimizer/exp_avg/rnn.weight_hh", 0, Double.NEGATIVE_INFINITY),
                "optimizer/exp_avg/rnn.weight_hh[0] is -Infinity");
        assertRefused(adam, entry("optimizer/exp_avg_sq/rnn.weight_hh", 2, -0.5),
                "optimizer/exp_avg_sq/rnn.weight_hh[2] is -0.5: it is a mean or a sum of squares, which cannot be"
                        + " negative");
        assertRefused(adam, tensors -> tensors.put("optimizer/exp_avg/rnn.weight_hh",
                new SafeTensors.Tensor(new long[] {3, 2}, tensors.get("optimizer/exp_avg/rnn.weight_hh").values())),
                "optimizer/exp_avg/rnn.weight_hh has shape [3, 2], expected [6]");
        assertRefused(adam, entry("rnn.weight_hh", 4, Double.NaN), "weight rnn.weight_hh[4] is NaN");
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aNegativeSecondMomentIsRefusedWhereverTheOptimizerKeepsOne(Function<Parameters, Optimizer> make)
            throws IOException {
        Optimizer optimizer = make.apply(Optimizers.network(1));
        for (String name : optimizer.state().keySet()) {
            String kind = name.substring(0, name.indexOf('/'));
            boolean squares = List.of("exp_avg_sq", "square_avg", "sum").contains(kind);
            assertEquals(squares, optimizer.isNonNegative(name), name);
            if (squares) {
                assertRefused(make, entry("optimizer/" + name, 0, -1e-300), "optimizer/" + name + "[0] is -1.0E-300");
            } else {   // a first moment, an average gradient or a momentum buffer may well be negative
                Path file = checkpoint(make);
                edit(file, entry("optimizer/" + name, 0, -1));
                Optimizer target = target(make);
                Checkpoint.load(file, target.parameters(), target);
                assertEquals(-1, target.state().get(name)[0]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aFloat32CheckpointHoldsF32WeightsAndF64StateAndLoadsWhole(Function<Parameters, Optimizer> make)
            throws IOException {
        Path file = checkpoint(make, Precision.FLOAT32);
        for (Map.Entry<String, SafeTensors.Tensor> tensor : SafeTensors.read(file).entrySet()) {
            boolean weight = !tensor.getKey().contains("/");
            assertEquals(weight ? Precision.FLOAT32 : Precision.FLOAT64, tensor.getValue().precision(), tensor.getKey());
        }
        Optimizer saved = make.apply(Optimizers.network(1, Precision.FLOAT32));
        Checkpoint.load(file, saved.parameters(), saved);
        Optimizer optimizer = target(make, Precision.FLOAT32);
        assertEquals(new Checkpoint.Progress(2, 1, 0.75), Checkpoint.load(file, optimizer.parameters(), optimizer));
        Snapshot.of(saved).assertSame(Snapshot.of(optimizer), "loaded twice");
        assertEquals(3, optimizer.steps());
    }

    /** The optimizer after the three steps {@link #checkpoint} takes, in {@code precision}. */
    private static Optimizer trained(Function<Parameters, Optimizer> make, Precision precision) {
        Optimizer optimizer = make.apply(Optimizers.network(1, precision));
        Random gradients = new Random(2);
        for (int k = 0; k < 3; k++) {
            Optimizers.randomGradients(optimizer.parameters(), gradients);
            optimizer.step();
        }
        return optimizer;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aCheckpointLoadsIntoTheOtherPrecisionRoundedOrWidenedWithItsStateAsSaved(Function<Parameters, Optimizer> make)
            throws IOException {
        for (Precision from : Precision.values()) {
            Precision to = from == Precision.FLOAT64 ? Precision.FLOAT32 : Precision.FLOAT64;
            Path file = checkpoint(make, from);
            Optimizer saved = trained(make, from);
            Optimizer optimizer = target(make, to);
            assertEquals(new Checkpoint.Progress(2, 1, 0.75), Checkpoint.load(file, optimizer.parameters(), optimizer));
            for (int p = 0; p < saved.parameters().size(); p++) {
                Parameter original = saved.parameters().get(p);
                Parameter loaded = optimizer.parameters().get(p);
                for (int i = 0; i < original.size(); i++) {
                    // rounded to nearest into float32; a float widened into float64 is the float itself
                    double expected = to == Precision.FLOAT32 ? (float) original.value(i) : original.value(i);
                    assertEquals(expected, loaded.value(i), 0.0, from + " → " + to + ": " + loaded.name() + "[" + i + "]");
                }
            }
            for (Map.Entry<String, double[]> state : saved.state().entrySet()) {
                assertArrayEquals(state.getValue(), optimizer.state().get(state.getKey()), from + " → " + to
                        + ": " + state.getKey() + ", double in both");
            }
            assertEquals(3, optimizer.steps());
            assertEquals(0.004, optimizer.learningRate());
        }
    }

    @Test
    void aWeightBeyondFloat32sRangeIsRefusedByAFloat32NetworkAndChangesNothing() throws IOException {
        Function<Parameters, Optimizer> adam = parameters -> new Adam(parameters, 0.01);
        Path file = checkpoint(adam);
        edit(file, entry("rnn.bias_hh", 2, 1e300));
        Optimizer optimizer = target(adam, Precision.FLOAT32);
        Snapshot before = Snapshot.of(optimizer);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, optimizer.parameters(), optimizer));
        assertEquals(file + "'s value 1.0E300 for rnn.bias_hh[2] is beyond float32's range (±3.4028235E38): the float32"
                + " parameter cannot hold it", thrown.getMessage());
        before.assertSame(Snapshot.of(optimizer), "refused");
    }
}
