package dev.unfold.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.metrics.Metric;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The epoch line and the early-stopping note name the metric the trainer follows. */
class ConsoleProgressTest {

    private static EpochReport report(Metric metric, double value) {
        return new EpochReport(4, 20, 160, 0.3120, 0.3388, 1.9e-3, 0, 40, true, 1.23, metric, value);
    }

    @Test
    void theLineShowsTheMetricWhenItIsNotTheLoss() {
        assertEquals("epoch  4/20: loss 0.3120, validation 0.3388, validation accuracy 0.9125, lr 1.9e-03, 1.2 s,"
                + " best so far", ConsoleProgress.line(report(Metric.ACCURACY, 0.9125), false));
        assertEquals("epoch  4/20: loss 0.3120, validation 0.3388, lr 1.9e-03, 1.2 s, best so far",
                ConsoleProgress.line(report(Metric.LOSS, 0.3388), false));
        // perplexity is printed once, whether asked for by the flag or followed as the metric
        assertEquals("epoch  4/20: loss 0.3120 (perplexity 1.37), validation 0.3388 (perplexity 1.40), lr 1.9e-03,"
                + " 1.2 s, best so far", ConsoleProgress.line(report(Metric.PERPLEXITY, Math.exp(0.3388)), true));
        assertEquals("epoch  4/20: loss 0.3120, validation 0.3388, validation perplexity 1.4033, lr 1.9e-03, 1.2 s,"
                + " best so far", ConsoleProgress.line(report(Metric.PERPLEXITY, Math.exp(0.3388)), false));
    }

    @Test
    void stoppingEarlyNamesTheMetric() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        progress.finished(new TrainingResult(9, 6, Metric.MACRO_F1, 0.875, true, null));
        assertEquals("Stopped early after epoch 9: the validation macro F1 has not improved since epoch 6 (0.8750)."
                + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }
}
