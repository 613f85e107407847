package dev.unfold.runtime.train;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Dropout;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.StreamChunks;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.io.AtomicFile;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Clipping;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.optim.Optimizer;
import dev.unfold.runtime.optim.Penalty;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The training loop: epochs of updates over {@link TrainingData}, each update a forward and
 * backward pass, the gradient averaged over the update's outputs, a penalty added, clipped, and
 * one optimizer step at the learning rate the schedule gives; after each epoch the validation
 * loss (and the {@link Metric} chosen by {@link #validateOn}, if another), a checkpoint, and early
 * stopping when that metric has not improved for {@code patience} epochs.
 *
 * <pre>
 * TrainingResult result = new Trainer(net, new Adam(net.parameters(), 0.01))
 *         .epochs(30)
 *         .clipNorm(5)
 *         .validation(Minibatches.of(net, validXs, validLabels, 64), 3)
 *         .checkpoint(Path.of("runs/tagger.safetensors"))
 *         .listener(new ConsoleProgress(true))
 *         .fit(Minibatches.of(net, xs, labels, 32));
 * </pre>
 *
 * <p>Reproducible: the epoch's order comes from the trainer's seed and the epoch's number, and
 * nothing else is random, so the same seed gives the same weights on every run. With a checkpoint
 * file that exists, {@link #fit} resumes after the epoch it holds and takes exactly the steps the
 * uninterrupted run would have. A NaN or infinite loss or gradient stops the run with a
 * {@link TrainingDivergedException} before the optimizer uses it; the last checkpoint stays as it was.
 *
 * <p>Training leaves the network as it found it, apart from its weights: data that makes the
 * network stateful to train it ({@link StreamChunks}) puts back its stateful flag and the state it
 * carried once {@link #fit} returns or throws, so a later {@code forward} does not continue from
 * the training stream. Data built for another instance of the network (whose passes would
 * compute gradients the optimizer never reads) is refused.
 */
public final class Trainer {
    private final Parameters parameters;
    private final Optimizer optimizer;
    /** The network's dropout masks, drawn from the seed and the step; null for a network without dropout. */
    private final Dropout dropout;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private LearningRateSchedule schedule;
    private Penalty penalty;
    private double maxNorm;
    private double maxValue;
    private int epochs = 10;
    private long seed = 1;
    private TrainingData validation;
    private int patience;
    private Metric metric = Metric.LOSS;
    private Path checkpoint;

    /** Trains {@code model} with {@code optimizer}, which must be built over its parameters. */
    public Trainer(SequenceModel model, Optimizer optimizer) {
        this(Objects.requireNonNull(model, "model").parameters(), optimizer,
                model instanceof Dropout masks ? masks : null);
    }

    /**
     * Trains {@code parameters} with {@code optimizer}, which must be built over them: for data that
     * runs more than one network, as an {@link EncoderDecoder}'s does.
     */
    public Trainer(Parameters parameters, Optimizer optimizer) {
        this(parameters, optimizer, null);
    }

    private Trainer(Parameters parameters, Optimizer optimizer, Dropout dropout) {
        this.dropout = dropout;
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (optimizer.parameters() != parameters) {
            throw new IllegalArgumentException("the optimizer updates other parameters than the ones to train: build"
                    + " it over the same Parameters (model.parameters())");
        }
    }

    /** How many epochs to run (10 unless set), at most {@code Integer.MAX_VALUE − 1}. */
    public Trainer epochs(int epochs) {
        if (epochs == Integer.MAX_VALUE) {
            // the epoch after the last is counted (as the first of none left to run): it must be an int too
            throw new IllegalArgumentException("epochs must be at most " + (Integer.MAX_VALUE - 1) + ", got " + epochs);
        }
        this.epochs = (int) Checks.atLeastOne("epochs", epochs);
        return this;
    }

    /** The learning rate at each step; without one, the optimizer's own rate throughout. */
    public Trainer schedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /** Clip the gradient by its global norm, g · min(1, C/‖g‖) (equations.md (12.1)). */
    public Trainer clipNorm(double maxNorm) {
        this.maxNorm = Checks.positive("maxNorm", maxNorm);
        return this;
    }

    /** Clip each gradient entry to [−C, C], before any clipping by norm. */
    public Trainer clipValue(double maxValue) {
        this.maxValue = Checks.positive("maxValue", maxValue);
        return this;
    }

    /** An L1 or L2 penalty on the weights, added to the loss and its gradient at every update. */
    public Trainer penalty(Penalty penalty) {
        this.penalty = Objects.requireNonNull(penalty, "penalty");
        return this;
    }

    /** The seed of each epoch's order (1 unless set). */
    public Trainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Data to measure the loss on after each epoch (and the {@link #validateOn} metric); when
     * {@code patience} is positive, training stops once that metric (the loss unless chosen) has not
     * improved for that many epochs.
     */
    public Trainer validation(TrainingData validation, int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be 0 (never stop early) or more, got " + patience);
        }
        this.validation = Objects.requireNonNull(validation, "validation");
        this.patience = patience;
        return this;
    }

    /**
     * What decides the best epoch and early stopping: the validation loss unless set. Another
     * metric ({@link Metric#ACCURACY}, {@link Metric#MACRO_F1}, {@link Metric#PERPLEXITY},
     * {@link Metric#MSE}, {@link Metric#MAE}) is measured on the validation data after each epoch,
     * followed in its own direction (accuracy up, errors down), reported in each
     * {@link EpochReport} and kept in the checkpoint. It needs validation data it can be measured
     * on, which {@link #fit} checks before anything runs.
     */
    public Trainer validateOn(Metric metric) {
        this.metric = Objects.requireNonNull(metric, "metric");
        return this;
    }

    /**
     * Writes a checkpoint to {@code file} after every epoch, and resumes from it when it exists.
     * The best epoch's weights alone also go to {@code <file>.best.safetensors}.
     */
    public Trainer checkpoint(Path file) {
        this.checkpoint = Objects.requireNonNull(file, "file");
        return this;
    }

    /** Tells {@code listener} what happens, after any listeners added before. */
    public Trainer listener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Where the best epoch's weights go, next to the checkpoint. */
    public static Path bestWeights(Path checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        String name = checkpoint.getFileName().toString().replaceFirst("\\.safetensors$", "");
        return checkpoint.resolveSibling(name + ".best.safetensors");
    }

    /**
     * Runs the epochs left (all of them, or those after the checkpoint's).
     *
     * @throws IOException if a checkpoint cannot be read or written
     * @throws TrainingDivergedException if a loss or gradient stops being finite
     */
    public TrainingResult fit(TrainingData training) throws IOException {
        requireTrains(Objects.requireNonNull(training, "training"), true);
        if (validation != null) {
            requireTrains(validation, false);
            metric.requireMeasurable(validation);
        } else if (metric != Metric.LOSS) {
            throw new IllegalArgumentException("validateOn(" + metric + ") needs validation data to measure the "
                    + metric.label() + " on: call validation(data, patience) too, or validate on Metric.LOSS");
        }
        Checkpoint.Progress progress = resume();
        for (TrainingListener listener : listeners) {
            listener.started(progress.epoch() + 1, epochs);
        }
        EpochReport last = null;
        boolean stoppedEarly = false;
        training.beforeTraining();
        if (validation != null) {
            validation.beforeTraining();
        }
        try {
            while (progress.epoch() < epochs) {
                if (patience > 0 && progress.epoch() - progress.bestEpoch() >= patience) {
                    stoppedEarly = true;   // the validation metric has not improved for patience epochs
                    break;
                }
                int epoch = progress.epoch() + 1;   // at most epochs: no overflow
                last = epoch(training, epoch, progress);
                progress = last.improved()
                        ? new Checkpoint.Progress(epoch, epoch, metric, last.metricValue())
                        : new Checkpoint.Progress(epoch, progress.bestEpoch(), metric, progress.bestValue());
                if (checkpoint != null) {
                    Checkpoint.save(checkpoint, parameters, optimizer, progress);
                    if (last.improved()) {
                        parameters.save(bestWeights(checkpoint));
                    }
                }
                for (TrainingListener listener : listeners) {
                    listener.epochEnded(last);
                }
            }
        } finally {
            // the network as it was before training: not left stateful, with the training stream's last state
            if (validation != null) {
                validation.afterTraining();
            }
            training.afterTraining();
        }
        TrainingResult result = new TrainingResult(progress.epoch(), progress.bestEpoch(), metric,
                progress.bestValue(), stoppedEarly, last);
        for (TrainingListener listener : listeners) {
            listener.finished(result);
        }
        return result;
    }

    /**
     * Where the run starts: after the checkpoint's epoch when there is one, which is restored
     * whole, or refused whole when it cannot belong to this run. Temporary files a crash left
     * beside the checkpoint or the best weights are removed.
     */
    private Checkpoint.Progress resume() throws IOException {
        Checkpoint.Progress start = new Checkpoint.Progress(0, 0, metric, metric.worst());
        if (checkpoint == null) {
            return start;
        }
        AtomicFile.deleteStaleTemporaries(checkpoint);
        AtomicFile.deleteStaleTemporaries(bestWeights(checkpoint));
        if (!Files.exists(checkpoint)) {
            return start;
        }
        Checkpoint.Contents contents = Checkpoint.read(checkpoint, parameters, optimizer);
        int saved = contents.progress().epoch();
        Metric followed = contents.progress().metric();
        if (followed != metric) {
            throw new IllegalArgumentException(checkpoint + " was written by a run validated on " + followed
                    + " (its training/best_" + followed.key() + "), but this run validates on " + metric
                    + ": its best epoch would be judged by another measure; validateOn(" + followed
                    + ") to resume it, or use another checkpoint file");
        }
        if (saved > epochs) {
            throw new IllegalArgumentException(checkpoint + "'s training/epoch is " + saved + ", beyond this run's "
                    + epochs + " epochs: it belongs to a longer run; ask for at least " + saved
                    + " epochs or use another checkpoint file");
        }
        return contents.apply();
    }

    /**
     * Refuses data whose passes compute no gradient for a parameter this trainer updates: data
     * built for another instance of the network, which training would never change.
     */
    private void requireTrains(TrainingData data, boolean training) {
        String role = training ? "training" : "validation";
        Parameters computed = data.parameters();
        if (computed == null) {
            return;   // the data does not say which network it runs
        }
        Set<Object> values = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Parameter parameter : computed) {
            values.add(parameter.valueArray());   // an EncoderDecoder's renamed parameters share these arrays
        }
        for (Parameter parameter : parameters) {
            if (!values.contains(parameter.valueArray())) {
                throw new IllegalArgumentException("the " + role + " data was built for another network instance: "
                        + (training ? "its passes compute no gradient for " : "its loss does not depend on ")
                        + parameter.name() + ", which this trainer updates, so "
                        + (training ? "training would change nothing" : "it would not measure the network trained")
                        + "; build it with the network given to the Trainer");
            }
        }
    }

    private EpochReport epoch(TrainingData training, int epoch, Checkpoint.Progress progress) {
        long started = System.nanoTime();
        // the order depends on the seed and the epoch only, so a resumed run sees the same order
        training.startEpoch(seed * 0x9E3779B97F4A7C15L + epoch);
        int updates = training.updates();
        for (TrainingListener listener : listeners) {
            listener.epochStarted(epoch, updates);
        }
        double lossSum = 0;
        long outputs = 0;
        int clipped = 0;
        for (int update = 0; update < updates; update++) {
            parameters.zeroGradients();
            long step = optimizer.steps() + 1;
            if (dropout != null) {
                // the masks are a function of the seed and the step alone: a resumed run draws the same
                dropout.drawMasks(seed, step);
            }
            double loss = training.backward(update);
            if (!Double.isFinite(loss)) {
                throw diverged(step, epoch, update, updates, "the loss is " + loss);
            }
            // the gradient of the mean loss per output, as PyTorch's default reduction gives it, so that
            // the learning rate and the clipping bound mean the same for any batch size or chunk length
            int updateOutputs = training.outputs(update);
            if (updateOutputs > 1) {
                parameters.scaleGradients(1.0 / updateOutputs);
            }
            if (penalty != null) {
                penalty.addTo(parameters);   // once per update; the losses reported stay the data's own
            }
            for (int l = 0; l < listeners.size(); l++) {
                listeners.get(l).gradientsComputed(epoch, update, parameters);
            }
            double norm = Clipping.globalNorm(parameters);
            if (!Double.isFinite(norm)) {
                throw diverged(step, epoch, update, updates, firstNonFinite());
            }
            if (maxValue > 0) {
                Clipping.clipValue(parameters, maxValue);
            }
            if (maxNorm > 0 && Clipping.clipGlobalNorm(parameters, maxNorm) > maxNorm) {
                clipped++;
            }
            if (schedule != null) {
                schedule.applyTo(optimizer);
            }
            optimizer.step();
            lossSum += loss;
            outputs += updateOutputs;
            for (int l = 0; l < listeners.size(); l++) {   // indexed: an iterator would be garbage per update
                listeners.get(l).updated(epoch, update, loss / updateOutputs, norm);
            }
        }
        double trainingLoss = lossSum / outputs;
        double validationLoss = validation == null ? Double.NaN : validationLoss();
        double measured = validation == null ? trainingLoss : measure(validationLoss);
        return new EpochReport(epoch, epochs, optimizer.steps(), trainingLoss, validationLoss,
                optimizer.learningRate(), clipped, updates, metric.isBetter(measured, progress.bestValue()),
                (System.nanoTime() - started) / 1e9, metric, measured);
    }

    /** The metric on the validation data, from its loss when the metric is the loss or its exponential. */
    private double measure(double validationLoss) {
        return switch (metric) {
            case LOSS -> validationLoss;
            case PERPLEXITY -> Math.exp(validationLoss);
            default -> metric.measure(validation);
        };
    }

    private double validationLoss() {
        validation.startEpoch(0);
        double sum = 0;
        long outputs = 0;
        for (int update = 0, n = validation.updates(); update < n; update++) {
            sum += validation.loss(update);
            outputs += validation.outputs(update);
        }
        return sum / outputs;
    }

    /** Names the first gradient entry that is NaN or infinite. */
    private String firstNonFinite() {
        for (Parameter parameter : parameters) {
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double gradient = parameter.gradient(i);
                if (!Double.isFinite(gradient)) {
                    return "∂L/∂" + parameter.name() + "[" + i + "] is " + gradient;
                }
            }
        }
        return "the gradient's norm is not finite";   // every entry finite, their squares' sum overflowed
    }

    private TrainingDivergedException diverged(long step, int epoch, int update, int updates, String what) {
        String where = checkpoint == null
                ? "no checkpoint was asked for"
                : Files.exists(checkpoint)
                        ? "the last good checkpoint, " + checkpoint + ", is unchanged"
                        : "no checkpoint was written yet";
        return new TrainingDivergedException("training diverged at step " + step + " (epoch " + epoch + ", update "
                + (update + 1) + " of " + updates + "): " + what + "; the weights are those before this step and "
                + where + ". A lower learning rate or clipNorm usually helps", step);
    }
}
