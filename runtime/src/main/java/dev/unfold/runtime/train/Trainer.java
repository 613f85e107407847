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
import java.util.stream.Stream;

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
 *
 * <p>{@link #fitWith(EpochRunner)} runs the same loop with each epoch's updates run elsewhere (by
 * {@code unfold-spark}'s barrier tasks), everything around them here.
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
        return run(training, epoch -> updates(training, epoch));
    }

    /**
     * Runs the epochs left as {@link #fit} does, each epoch's updates run by
     * {@code runner} elsewhere (by trainers of the same optimizer, schedule, clipping, penalty and
     * seed on a cluster's tasks, say), from this trainer's state and back into it; everything around
     * the updates happens here, as in {@code fit(TrainingData)}: resuming from the checkpoint,
     * validation and the {@link #validateOn} metric, the checkpoint and best weights, early stopping,
     * and the listeners, except {@link TrainingListener#gradientsComputed} and
     * {@link TrainingListener#updated}, which the updates run elsewhere do not report.
     *
     * @throws IOException if a checkpoint cannot be read or written
     */
    public TrainingResult fitWith(EpochRunner runner) throws IOException {
        Objects.requireNonNull(runner, "runner");
        Path directory = Files.createTempDirectory("unfold-epochs-");
        Path before = directory.resolve("before.safetensors");
        Path after = directory.resolve("after.safetensors");
        try {
            return run(null, epoch -> updatesElsewhere(runner, epoch, before, after));
        } finally {
            try (Stream<Path> files = Files.list(directory)) {   // the two files, and any temporary left by a crash
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        }
    }

    /** How an epoch's updates are run: by this trainer over its data, or by an {@link EpochRunner}. */
    private interface Updates {
        EpochRunner.Trained run(int epoch) throws IOException;
    }

    /**
     * The epochs left, each of {@code updates} followed by validation, the checkpoint and the
     * listeners; {@code training}, when the updates run here, is told when training begins and ends.
     */
    private TrainingResult run(TrainingData training, Updates updates) throws IOException {
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
        if (training != null) {
            training.beforeTraining();
        }
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
                last = epoch(updates, epoch, progress);
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
            if (training != null) {
                training.afterTraining();
            }
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

    /** Epoch {@code epoch}: its updates, then the validation and the metric that judge it against {@code progress}. */
    private EpochReport epoch(Updates updates, int epoch, Checkpoint.Progress progress) throws IOException {
        long started = System.nanoTime();
        EpochRunner.Trained trained = updates.run(epoch);
        double validationLoss = validation == null ? Double.NaN : validationLoss();
        double measured = validation == null ? trained.trainingLoss() : measure(validationLoss);
        return new EpochReport(epoch, epochs, optimizer.steps(), trained.trainingLoss(), validationLoss,
                optimizer.learningRate(), trained.clippedUpdates(), trained.updates(),
                metric.isBetter(measured, progress.bestValue()), (System.nanoTime() - started) / 1e9, metric,
                measured);
    }

    /**
     * Epoch {@code epoch}'s updates run by {@code runner}: from a checkpoint of this trainer's state
     * (under no metric: the runner's trainers validate nothing, this one does), back from the one it
     * writes, which is checked whole before it replaces the weights and the optimizer's state.
     */
    private EpochRunner.Trained updatesElsewhere(EpochRunner runner, int epoch, Path before, Path after)
            throws IOException {
        Checkpoint.save(before, parameters, optimizer,
                new Checkpoint.Progress(epoch - 1, 0, Metric.LOSS, Metric.LOSS.worst()));
        Files.deleteIfExists(after);
        int updates = runner.updates();
        for (TrainingListener listener : listeners) {
            listener.epochStarted(epoch, updates);
        }
        EpochRunner.Trained trained = runner.run(epoch, before, after);
        Checkpoint.Contents contents = Checkpoint.read(after, parameters, optimizer);
        if (contents.progress().epoch() != epoch) {
            throw new IllegalStateException("the epoch runner left the checkpoint of epoch "
                    + contents.progress().epoch() + " in " + after + ", expected that of epoch " + epoch);
        }
        contents.apply();
        return trained;
    }

    /** Epoch {@code epoch}'s updates over {@code training}, here. */
    private EpochRunner.Trained updates(TrainingData training, int epoch) {
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
        return new EpochRunner.Trained(lossSum / outputs, updates, clipped);
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
