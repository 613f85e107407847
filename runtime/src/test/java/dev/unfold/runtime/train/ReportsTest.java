package dev.unfold.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.metrics.Metric;
import org.junit.jupiter.api.Test;

/** Reports built as before metrics could be chosen still mean what they meant: the loss is followed. */
class ReportsTest {

    @Test
    void theFormerConstructorsAndAccessorsFollowTheLoss() {
        EpochReport validated = new EpochReport(3, 10, 30, 0.5, 0.75, 1e-3, 0, 10, true, 1.0);
        assertEquals(Metric.LOSS, validated.metric());
        assertEquals(0.75, validated.metricValue(), 0.0, "the validation loss");
        EpochReport trainingOnly = new EpochReport(3, 10, 30, 0.5, Double.NaN, 1e-3, 0, 10, true, 1.0);
        assertEquals(0.5, trainingOnly.metricValue(), 0.0, "without validation, the training loss");

        TrainingResult result = new TrainingResult(5, 3, 0.25, true, validated);
        assertEquals(Metric.LOSS, result.metric());
        assertEquals(0.25, result.bestLoss(), 0.0);
        assertEquals(0.25, result.bestValue(), 0.0);
        assertEquals(Double.NaN, new TrainingResult(5, 3, Metric.ACCURACY, 0.9, false, null).bestLoss());

        Checkpoint.Progress progress = new Checkpoint.Progress(2, 1, 0.75);
        assertEquals(Metric.LOSS, progress.metric());
        assertEquals(0.75, progress.bestLoss(), 0.0);
        assertEquals(Double.NaN, new Checkpoint.Progress(2, 1, Metric.MAE, 0.1).bestLoss());
    }
}
