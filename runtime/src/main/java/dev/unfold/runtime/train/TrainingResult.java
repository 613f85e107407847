package dev.unfold.runtime.train;

/**
 * How a {@link Trainer} run ended.
 *
 * @param lastEpoch the last epoch completed
 * @param bestEpoch the epoch with the lowest loss (validation, else training)
 * @param bestLoss that loss, a mean per output
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 * @param last the last epoch's report, or null if no epoch ran (a run resumed after its end)
 */
public record TrainingResult(int lastEpoch, int bestEpoch, double bestLoss, boolean stoppedEarly, EpochReport last) {}
