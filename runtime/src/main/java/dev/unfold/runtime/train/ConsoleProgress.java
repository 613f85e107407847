package dev.unfold.runtime.train;

import dev.unfold.runtime.metrics.Metric;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch on the console (Tongfei Chen's progressbar library, which the runtime
 * declares optional: add {@code me.tongfei:progressbar} to use this class), then one line per
 * epoch with its losses, and the metric the trainer validates on when it is not the loss:
 *
 * <pre>
 * epoch  3/20 [==========] 40/40 (0:00:02 / 0:00:00) loss 1.2031
 * epoch  3/20: loss 1.2031 (perplexity 3.33), validation 1.3012 (perplexity 3.67), lr 2.0e-03, clipped 4 of 40, 2.1 s, best so far
 * epoch  4/20: loss 0.3120, validation 0.3388, validation accuracy 0.9125, lr 1.9e-03, 1.2 s, best so far
 * </pre>
 */
public final class ConsoleProgress implements TrainingListener {
    /** The bar's text changes at most this often, so that formatting it costs nothing per step. */
    private static final long MESSAGE_INTERVAL_NANOS = 200_000_000L;

    private final PrintStream out;
    private final boolean perplexity;
    /** Whether each epoch ends with {@link #line}; off for a program that prints its own. */
    private final boolean epochLines;
    private int epochs;
    private ProgressBar bar;
    private long lastMessage;

    /** To standard error; {@code perplexity} adds e^loss to each line, for a cross-entropy. */
    public ConsoleProgress(boolean perplexity) {
        this(System.err, perplexity);
    }

    public ConsoleProgress(PrintStream out, boolean perplexity) {
        this(out, perplexity, true);
    }

    private ConsoleProgress(PrintStream out, boolean perplexity, boolean epochLines) {
        this.out = Objects.requireNonNull(out, "out");
        this.perplexity = perplexity;
        this.epochLines = epochLines;
    }

    /**
     * The bar alone (with the notes on resuming and stopping early), for a program that prints its
     * own line at the end of each epoch, e.g. with {@link #line}: each epoch's numbers then appear once.
     */
    public static ConsoleProgress barsOnly(PrintStream out) {
        return new ConsoleProgress(out, false, false);
    }

    @Override
    public void started(int firstEpoch, int epochs) {
        this.epochs = epochs;
        if (firstEpoch > 1 && firstEpoch <= epochs) {
            out.println("Resuming from the checkpoint of epoch " + (firstEpoch - 1) + ".");
        }
    }

    @Override
    public void epochStarted(int epoch, int updates) {
        bar = new ProgressBarBuilder()
                .setTaskName(epochName(epoch))
                .setInitialMax(updates)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .clearDisplayOnFinish()
                .build();
        lastMessage = System.nanoTime();
    }

    @Override
    public void updated(int epoch, int update, double loss, double gradientNorm) {
        bar.step();
        long now = System.nanoTime();
        if (now - lastMessage >= MESSAGE_INTERVAL_NANOS) {
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
            lastMessage = now;
        }
    }

    @Override
    public void epochEnded(EpochReport report) {
        bar.close();
        bar = null;
        if (epochLines) {
            out.println(line(report, perplexity));
        }
    }

    @Override
    public void finished(TrainingResult result) {
        if (result.stoppedEarly()) {
            out.printf(Locale.ROOT, "Stopped early after epoch %d: the validation %s has not improved since epoch"
                    + " %d (%.4f).%n", result.lastEpoch(), result.metric().label(), result.bestEpoch(),
                    result.bestValue());
        }
    }

    private String epochName(int epoch) {
        int width = Integer.toString(epochs).length();
        return String.format(Locale.ROOT, "epoch %" + width + "d/%d", epoch, epochs);
    }

    /** One epoch's numbers as a line of text. */
    public static String line(EpochReport report, boolean perplexity) {
        Objects.requireNonNull(report, "report");
        int width = Integer.toString(report.epochs()).length();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %" + width + "d/%d: loss %.4f",
                report.epoch(), report.epochs(), report.trainingLoss()));
        if (perplexity) {
            line.append(String.format(Locale.ROOT, " (perplexity %.2f)", report.perplexity()));
        }
        if (report.validated()) {
            line.append(String.format(Locale.ROOT, ", validation %.4f", report.validationLoss()));
            if (perplexity) {
                line.append(String.format(Locale.ROOT, " (perplexity %.2f)", report.validationPerplexity()));
            }
            Metric metric = report.metric();
            if (metric != Metric.LOSS && !(metric == Metric.PERPLEXITY && perplexity)) {
                line.append(String.format(Locale.ROOT, ", validation %s %.4f", metric.label(), report.metricValue()));
            }
        }
        line.append(String.format(Locale.ROOT, ", lr %.1e", report.learningRate()));
        if (report.clippedUpdates() > 0) {
            line.append(", clipped ").append(report.clippedUpdates()).append(" of ").append(report.updates());
        }
        line.append(String.format(Locale.ROOT, ", %.1f s", report.seconds()));
        if (report.improved()) {
            line.append(", best so far");
        }
        return line.toString();
    }
}
