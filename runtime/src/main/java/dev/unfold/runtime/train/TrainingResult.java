package dev.unfold.runtime.train;

import dev.unfold.runtime.metrics.Metric;

/**
 * How a {@link Trainer} run ended.
 *
 * @param lastEpoch the last epoch completed
 * @param bestEpoch the epoch with the best value of {@code metric} (on the validation data, else
 *     the lowest training loss)
 * @param metric what the run validated on ({@link Metric#LOSS} unless {@code validateOn} chose another)
 * @param bestValue that best value: a mean loss per output for {@link Metric#LOSS}
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 * @param last the last epoch's report, or null if no epoch ran (a run resumed after its end)
 */
public record TrainingResult(int lastEpoch, int bestEpoch, Metric metric, double bestValue, boolean stoppedEarly,
                             EpochReport last) {

    /** The result of a run that followed the loss, the default. */
    public TrainingResult(int lastEpoch, int bestEpoch, double bestLoss, boolean stoppedEarly, EpochReport last) {
        this(lastEpoch, bestEpoch, Metric.LOSS, bestLoss, stoppedEarly, last);
    }

    /**
     * The lowest loss per output (validation, else training) of a run that followed the loss, the
     * default, as before metrics could be chosen; NaN for a run that followed another metric,
     * whose best is {@link #bestValue()}.
     */
    public double bestLoss() {
        return metric == Metric.LOSS ? bestValue : Double.NaN;
    }
}
