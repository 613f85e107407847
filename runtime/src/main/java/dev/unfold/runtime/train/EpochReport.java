package dev.unfold.runtime.train;

import dev.unfold.runtime.metrics.Metric;

/**
 * What one epoch of training did. Losses are means per output (per step for one output per step,
 * per sequence for one output per sequence), so they compare across data sets of any size; for a
 * cross-entropy, {@link #perplexity()} is e to that mean.
 *
 * @param epoch the epoch, from 1
 * @param epochs how many epochs the run asked for
 * @param steps optimizer steps taken since the run began (over every epoch)
 * @param trainingLoss the mean training loss over the epoch, each update's loss taken as it was computed
 * @param validationLoss the mean validation loss after the epoch, or NaN without validation data
 * @param learningRate the learning rate of the epoch's last step
 * @param clippedUpdates how many of the epoch's updates clipping by norm rescaled
 * @param updates the epoch's updates
 * @param improved whether this epoch's {@code metricValue} is the best so far
 * @param seconds wall-clock time of the epoch
 * @param metric what the trainer validates on ({@link Metric#LOSS} unless {@code validateOn} chose another)
 * @param metricValue its value on the validation data after the epoch (without validation data,
 *     the training loss); the validation loss itself when the metric is the loss
 */
public record EpochReport(int epoch, int epochs, long steps, double trainingLoss, double validationLoss,
                          double learningRate, int clippedUpdates, int updates, boolean improved, double seconds,
                          Metric metric, double metricValue) {

    /** The report of an epoch of a run that follows the loss, the default: the validation loss, else the training loss. */
    public EpochReport(int epoch, int epochs, long steps, double trainingLoss, double validationLoss,
                       double learningRate, int clippedUpdates, int updates, boolean improved, double seconds) {
        this(epoch, epochs, steps, trainingLoss, validationLoss, learningRate, clippedUpdates, updates, improved,
                seconds, Metric.LOSS, Double.isNaN(validationLoss) ? trainingLoss : validationLoss);
    }

    /** e^(training loss): for a language model, the mean branching factor it is uncertain between. */
    public double perplexity() {
        return Math.exp(trainingLoss);
    }

    /** e^(validation loss), or NaN without validation data. */
    public double validationPerplexity() {
        return Math.exp(validationLoss);
    }

    /** Whether validation data was evaluated. */
    public boolean validated() {
        return !Double.isNaN(validationLoss);
    }
}
