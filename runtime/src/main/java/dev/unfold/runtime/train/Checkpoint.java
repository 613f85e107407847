package dev.unfold.runtime.train;

import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.ParameterTensors;
import dev.unfold.runtime.io.SafeTensors;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's state in one safetensors file: the weights under their own names, as
 * {@link Parameters#save} writes them, the optimizer's state under {@code optimizer/}, and the
 * trainer's counters under {@code training/}, the best value of the metric the run validates on among
 * them under its name ({@code training/best_loss}, {@code training/best_accuracy}, ...). The file is written to a temporary name and renamed over the old one, so a
 * crash at any moment leaves either the previous checkpoint or the new one, never a broken file.
 * Restoring it restores everything a run depends on, so a resumed run takes exactly the steps the
 * uninterrupted one would have taken.
 *
 * <p>Precision: the weights are written in their parameters' precision (F32 for a float32 network,
 * F64 for a float64 one); the optimizer's state and the counters are F64 always, since an optimizer
 * keeps its state in double for both precisions. A checkpoint loads into a network of the other
 * precision by the rules of {@link Parameters#load}: F32 weights are widened exactly into float64
 * parameters, F64 weights rounded to nearest into float32 ones (a finite weight beyond float32's range
 * is refused), and the optimizer state, double on both sides, is restored as it was. It is allowed
 * rather than refused because both conversions are well defined and it is how a run changes precision
 * (train in float64, continue in float32, or the reverse); such a resumed run is not bit for bit the
 * uninterrupted one, since its arithmetic is another precision's.
 */
public final class Checkpoint {
    private static final String OPTIMIZER = "optimizer/";
    private static final String TRAINING = "training/";
    /** The counters under {@code training/}, as {@link #save} writes them, and one {@code best_<metric key>}. */
    private static final List<String> COUNTERS = List.of("step", "learning_rate", "epoch", "best_epoch");
    private static final String BEST = "best_";
    /** The largest step count a double, as the file holds it, represents exactly: 2^53. */
    private static final long MAX_STEP = 1L << 53;

    /**
     * Where a run stands after an epoch.
     *
     * @param epoch the last epoch completed, from 1
     * @param bestEpoch the epoch of the best value of {@code metric} so far (0 if none)
     * @param metric what the run validates on ({@link Metric#LOSS} unless {@code Trainer.validateOn} chose another)
     * @param bestValue that best value (the training loss when there is no validation data), or
     *     {@link Metric#worst()} while there is no best epoch
     */
    public record Progress(int epoch, int bestEpoch, Metric metric, double bestValue) {
        public Progress {
            java.util.Objects.requireNonNull(metric, "metric");
        }

        /** The progress of a run validated on the loss. */
        public Progress(int epoch, int bestEpoch, double bestLoss) {
            this(epoch, bestEpoch, Metric.LOSS, bestLoss);
        }

        /** The best loss of a run validated on the loss, as before metrics could be chosen; NaN for another metric. */
        public double bestLoss() {
            return metric == Metric.LOSS ? bestValue : Double.NaN;
        }
    }

    private Checkpoint() {}

    /** Writes weights, optimizer state and progress to {@code file}, atomically. */
    public static void save(Path file, Parameters parameters, Optimizer optimizer, Progress progress)
            throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(ParameterTensors.of(parameters));
        for (Map.Entry<String, double[]> state : optimizer.state().entrySet()) {
            double[] values = state.getValue();
            tensors.put(OPTIMIZER + state.getKey(), new SafeTensors.Tensor(new long[] {values.length}, values.clone()));
        }
        tensors.put(TRAINING + "step", scalar(optimizer.steps()));
        tensors.put(TRAINING + "learning_rate", scalar(optimizer.learningRate()));
        tensors.put(TRAINING + "epoch", scalar(progress.epoch()));
        tensors.put(TRAINING + "best_epoch", scalar(progress.bestEpoch()));
        tensors.put(TRAINING + BEST + progress.metric().key(), scalar(progress.bestValue()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("producer", "Unfold");
        metadata.put("epoch", Integer.toString(progress.epoch()));
        metadata.put("step", Long.toString(optimizer.steps()));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SafeTensors.write(file, tensors, metadata);
    }

    /**
     * Restores weights and optimizer state from {@code file} and returns the progress saved with
     * them. All or nothing: every entry is checked before anything changes (the weights fit and are
     * finite; the optimizer state is this optimizer's, one finite value per entry, no negative
     * second moment; the learning rate is positive and finite; the counters are whole numbers that
     * agree with each other), and if any does not hold, an exception names it and neither the
     * weights nor the optimizer (its state, step count and learning rate) have changed.
     *
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     * @throws IllegalArgumentException if it does not fit this network or this optimizer, or holds
     *     values no training run can have reached
     */
    public static Progress load(Path file, Parameters parameters, Optimizer optimizer) throws IOException {
        return read(file, parameters, optimizer).apply();
    }

    /** Reads and checks {@code file} for these parameters and this optimizer, changing nothing yet. */
    static Contents read(Path file, Parameters parameters, Optimizer optimizer) throws IOException {
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(file);
        Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
        Map<String, SafeTensors.Tensor> saved = new LinkedHashMap<>();
        Map<String, SafeTensors.Tensor> counters = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Tensor> entry : tensors.entrySet()) {
            if (entry.getKey().startsWith(OPTIMIZER)) {
                saved.put(entry.getKey().substring(OPTIMIZER.length()), entry.getValue());
            } else if (entry.getKey().startsWith(TRAINING)) {
                counters.put(entry.getKey().substring(TRAINING.length()), entry.getValue());
            } else {
                weights.put(entry.getKey(), entry.getValue());
            }
        }
        double[][] values = ParameterTensors.fitting(parameters, weights, file.toString());
        for (int p = 0; p < values.length; p++) {
            requireFinite(file, "weight " + parameters.get(p).name(), values[p]);
        }
        Map<String, double[]> state = state(file, saved, optimizer);
        long step = whole(file, counters, "step", MAX_STEP);
        double learningRate = positive(file, counters, "learning_rate");
        return new Contents(parameters, values, optimizer, state, progress(file, counters, step), step, learningRate);
    }

    /**
     * A checkpoint's contents, every entry checked against the parameters and the optimizer it is
     * for, none of them applied until {@link #apply}.
     */
    static final class Contents {
        private final Parameters parameters;
        private final double[][] weights;
        private final Optimizer optimizer;
        private final Map<String, double[]> state;
        private final Progress progress;
        private final long step;
        private final double learningRate;

        private Contents(Parameters parameters, double[][] weights, Optimizer optimizer, Map<String, double[]> state,
                         Progress progress, long step, double learningRate) {
            this.parameters = parameters;
            this.weights = weights;
            this.optimizer = optimizer;
            this.state = state;
            this.progress = progress;
            this.step = step;
            this.learningRate = learningRate;
        }

        /** Where the saved run stood. */
        Progress progress() {
            return progress;
        }

        /** Sets the weights, the optimizer's state, step count and learning rate; checked, so it cannot fail. */
        Progress apply() {
            ParameterTensors.set(parameters, weights);
            for (Map.Entry<String, double[]> entry : optimizer.state().entrySet()) {
                double[] values = state.get(entry.getKey());
                System.arraycopy(values, 0, entry.getValue(), 0, values.length);
            }
            optimizer.restoreSteps(step);
            optimizer.setLearningRate(learningRate);
            return progress;
        }
    }

    /** The saved optimizer state by name: exactly this optimizer's arrays, each of its length, finite. */
    private static Map<String, double[]> state(Path file, Map<String, SafeTensors.Tensor> saved, Optimizer optimizer) {
        Map<String, double[]> state = optimizer.state();
        if (!saved.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException(file + " holds the state of another optimizer: it has "
                    + saved.keySet() + ", " + optimizer.getClass().getSimpleName() + " keeps " + state.keySet());
        }
        Map<String, double[]> checked = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> entry : state.entrySet()) {
            String name = OPTIMIZER + entry.getKey();
            SafeTensors.Tensor tensor = saved.get(entry.getKey());
            long[] expected = {entry.getValue().length};
            if (!Arrays.equals(tensor.shape(), expected)) {
                throw new IllegalArgumentException(file + "'s " + name + " has shape " + tensor.shapeText()
                        + ", expected " + Arrays.toString(expected) + " (one value per weight)");
            }
            double[] values = tensor.values();
            requireFinite(file, name, values);
            if (optimizer.isNonNegative(entry.getKey())) {
                for (int i = 0; i < values.length; i++) {
                    if (values[i] < 0) {
                        throw new IllegalArgumentException(file + "'s " + name + "[" + i + "] is " + values[i]
                                + ": it is a mean or a sum of squares, which cannot be negative");
                    }
                }
            }
            checked.put(entry.getKey(), values);
        }
        return checked;
    }

    /** The epoch counters, each a whole number, consistent with each other and with the step count. */
    private static Progress progress(Path file, Map<String, SafeTensors.Tensor> counters, long step) {
        List<Metric> metrics = new ArrayList<>();
        for (String name : counters.keySet()) {
            Metric metric = bestOf(name);
            if (metric != null) {
                metrics.add(metric);
            } else if (!COUNTERS.contains(name)) {
                throw new IllegalArgumentException(file + " has " + TRAINING + name + ", which is not one of a"
                        + " checkpoint's counters " + COUNTERS + " or " + bestNames());
            }
        }
        if (metrics.size() != 1) {
            throw new IllegalArgumentException(file + (metrics.isEmpty() ? " is not a training checkpoint: it has no "
                    + TRAINING + "best_loss (nor any of " + bestNames() + ")" : " has " + metrics.size() + " best values, "
                    + metrics + ": expected one, of the metric its run validated on"));
        }
        Metric metric = metrics.get(0);
        String bestName = BEST + metric.key();
        int epoch = (int) whole(file, counters, "epoch", Integer.MAX_VALUE);
        int bestEpoch = (int) whole(file, counters, "best_epoch", Integer.MAX_VALUE);
        double bestValue = number(file, counters, bestName);
        if (step < epoch) {
            throw new IllegalArgumentException(file + "'s " + TRAINING + "step is " + step + ", fewer than its "
                    + TRAINING + "epoch " + epoch + ": every epoch takes at least one step");
        }
        if (bestEpoch > epoch) {
            throw new IllegalArgumentException(file + "'s " + TRAINING + "best_epoch is " + bestEpoch + ", after its "
                    + TRAINING + "epoch " + epoch);
        }
        boolean none = bestValue == metric.worst();
        if (Double.isNaN(bestValue) || Double.isInfinite(bestValue) && !none || none != (bestEpoch == 0)) {
            throw new IllegalArgumentException(file + "'s " + TRAINING + bestName + " is " + bestValue + " with "
                    + TRAINING + "best_epoch " + bestEpoch + ": expected a finite " + metric.label() + ", or "
                    + metric.worst() + " with best_epoch 0 (no best epoch yet)");
        }
        return new Progress(epoch, bestEpoch, metric, bestValue);
    }

    /** The metric whose best value counter {@code name} holds, or null if it is no such counter. */
    private static Metric bestOf(String name) {
        for (Metric metric : Metric.values()) {
            if (name.equals(BEST + metric.key())) {
                return metric;
            }
        }
        return null;
    }

    private static List<String> bestNames() {
        return Arrays.stream(Metric.values()).map(metric -> BEST + metric.key()).toList();
    }

    private static void requireFinite(Path file, String name, double[] values) {
        int i = Checks.firstNonFinite(values, 0, values.length);
        if (i >= 0) {
            throw new IllegalArgumentException(file + "'s " + name + "[" + i + "] is " + values[i]
                    + ": a checkpoint holds finite values only (training stops before a step makes one NaN)");
        }
    }

    /** Counter {@code name}: a whole number from 0 to {@code max}. */
    private static long whole(Path file, Map<String, SafeTensors.Tensor> counters, String name, long max) {
        double value = number(file, counters, name);
        if (!(value >= 0 && value <= max && value == Math.rint(value))) {
            throw new IllegalArgumentException(file + "'s " + TRAINING + name + " is " + value
                    + ", expected a whole number from 0 to " + max);
        }
        return (long) value;
    }

    /** Counter {@code name}: positive and finite. */
    private static double positive(Path file, Map<String, SafeTensors.Tensor> counters, String name) {
        double value = number(file, counters, name);
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(file + "'s " + TRAINING + name + " is " + value
                    + ", expected a positive, finite number");
        }
        return value;
    }

    /** Counter {@code name}: one number, saved as a tensor of shape [1]. */
    private static double number(Path file, Map<String, SafeTensors.Tensor> counters, String name) {
        SafeTensors.Tensor tensor = counters.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(file + " is not a training checkpoint: it has no " + TRAINING + name);
        }
        if (!Arrays.equals(tensor.shape(), new long[] {1})) {
            throw new IllegalArgumentException(file + "'s " + TRAINING + name + " has shape " + tensor.shapeText()
                    + ", expected [1] (one number)");
        }
        return tensor.values()[0];
    }

    private static SafeTensors.Tensor scalar(double value) {
        return new SafeTensors.Tensor(new long[] {1}, new double[] {value});
    }
}
