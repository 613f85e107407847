package dev.unfold.samples;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.optim.Optimizer;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingDivergedException;
import dev.unfold.runtime.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * One network trained on one task at one length, resumable: a run with no files trains from
 * scratch, one with a checkpoint partway continues after it, and one whose checkpoint holds its
 * last epoch is not trained again but scored from the weights it restores. A run that diverged
 * leaves a note, and is reported as diverged again without repeating it.
 */
final class MemoryRun {
    private final MemoryTask task;
    private final Contender contender;
    private final int length;
    private final MemorySettings settings;
    private final Examples test;
    private final RunFiles files;
    private final List<TrainingListener> listeners = new ArrayList<>();

    MemoryRun(MemoryTask task, Contender contender, int length, MemorySettings settings, Examples test) {
        this.task = task;
        this.contender = contender;
        this.length = length;
        this.settings = settings;
        this.test = test;
        this.files = new RunFiles(settings.runDirectory(), task, contender, length);
    }

    /** Tells {@code listener} what the trainer does, after the run's own log. */
    MemoryRun listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    RunFiles files() {
        return files;
    }

    RunOutcome train() throws IOException {
        long started = System.nanoTime();
        RunLog log = RunLog.open(files.log(), contender.clipped ? settings.clipNorm() : 0);
        long divergedBefore = files.divergedAtStep();
        if (divergedBefore > 0) {
            return new RunOutcome(task, contender, length, Double.NaN, divergedBefore, log,
                    RunOutcome.Start.DONE_BEFORE, seconds(started));
        }
        SequenceModel net = contender.network(task, settings.seed());
        Optimizer sgd = new Sgd(net.parameters(), settings.learningRate(),
                Sgd.Options.PLAIN.withMomentum(settings.momentum()));
        Trainer trainer = new Trainer(net, sgd)
                .epochs(settings.epochs())
                .seed(settings.seed())
                .checkpoint(files.checkpoint())
                .listener(log);
        if (contender.clipped) {
            trainer.clipNorm(settings.clipNorm());
        }
        StartWatcher start = new StartWatcher();
        trainer.listener(start);
        for (TrainingListener listener : listeners) {
            trainer.listener(listener);
        }
        Files.createDirectories(settings.runDirectory());
        boolean resuming = Files.exists(files.checkpoint());
        try {
            trainer.fit(new FreshBatches(net, task, length, settings.batchSize(), settings.updatesPerEpoch()));
        } catch (TrainingDivergedException e) {
            log.endUnfinishedEpoch();
            files.recordDivergence(e.step(), e.getMessage());
            return new RunOutcome(task, contender, length, Double.NaN, e.step(), log, start.start, seconds(started));
        } catch (IllegalArgumentException e) {
            if (!resuming) {
                throw e;
            }
            throw new IOException(files.checkpoint() + " does not fit this network (" + e.getMessage()
                    + "); run with --fresh to start over", e);
        }
        return new RunOutcome(task, contender, length, task.metric(net, test), 0, log, start.start, seconds(started));
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Learns from the trainer where it starts: at the first epoch, after a checkpoint, or after the end. */
    private static final class StartWatcher implements TrainingListener {
        RunOutcome.Start start = RunOutcome.Start.NEW;

        @Override
        public void started(int firstEpoch, int epochs) {
            start = firstEpoch == 1 ? RunOutcome.Start.NEW
                    : firstEpoch > epochs ? RunOutcome.Start.DONE_BEFORE : RunOutcome.Start.RESUMED;
        }
    }
}
