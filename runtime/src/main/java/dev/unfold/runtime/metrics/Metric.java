package dev.unfold.runtime.metrics;

import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.train.TrainingData;
import java.util.Locale;
import java.util.Objects;

/**
 * One number that says how good a network is on some data, and which way is better: what a
 * {@link dev.unfold.runtime.train.Trainer} validates on ({@code validateOn}), choosing its best
 * epoch and stopping early by it. Each is defined in equations.md section 17. {@link #LOSS} and
 * {@link #PERPLEXITY} come from the network's own loss and serve any {@link TrainingData};
 * the others compare outputs with targets and need {@link Minibatches} of the right kind.
 */
public enum Metric {
    /** The mean loss per output row (equations.md (13.1)); lower is better. The trainer's default. */
    LOSS("loss", false),
    /** e to the mean cross-entropy per counted row (equations.md (17.6)); lower is better. */
    PERPLEXITY("perplexity", false),
    /** The fraction of rows whose predicted class is their label (equations.md (17.2)); higher is better. */
    ACCURACY("accuracy", true),
    /** The mean F1 over the classes that occur (equations.md (17.5)); higher is better. */
    MACRO_F1("macro F1", true),
    /** The mean squared error per output value (equations.md (17.7)); lower is better. */
    MSE("MSE", false),
    /** The mean absolute error per output value (equations.md (17.7)); lower is better. */
    MAE("MAE", false);

    private final String label;
    private final boolean higherIsBetter;

    Metric(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    /** Whether a larger value is better (accuracy, F1) rather than a smaller one (loss, errors). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether {@code value} is strictly better than {@code best}. */
    public boolean isBetter(double value, double best) {
        return higherIsBetter ? value > best : value < best;
    }

    /** The value no measurement can be worse than: −∞ when higher is better, else +∞. */
    public double worst() {
        return higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** A word for reports: {@code loss}, {@code perplexity}, {@code accuracy}, {@code macro F1}, {@code MSE}, {@code MAE}. */
    public String label() {
        return label;
    }

    /** The name in a checkpoint's counters ({@code training/best_<key>}): {@code loss}, {@code macro_f1}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Refuses data this metric cannot be measured on, with an {@link IllegalArgumentException}
     * saying what it needs: accuracy and F1 need {@link Minibatches} with class labels, MSE and MAE
     * {@code Minibatches} with dense targets, perplexity anything but dense targets.
     */
    public void requireMeasurable(TrainingData data) {
        Objects.requireNonNull(data, "data");
        switch (this) {
            case LOSS -> { }
            case PERPLEXITY -> {
                if (data instanceof Minibatches batches && !batches.hasLabels()) {
                    throw new IllegalArgumentException("perplexity is e to a mean cross-entropy, but the data has"
                            + " dense targets: for a regression ask for Metric.MSE or MAE");
                }
            }
            case ACCURACY, MACRO_F1 -> Classification.requireLabels(minibatches(data), label);
            case MSE, MAE -> Regression.requireTargets(minibatches(data), label);
        }
    }

    private Minibatches minibatches(TrainingData data) {
        if (data instanceof Minibatches batches) {
            return batches;
        }
        throw new IllegalArgumentException(label + " is measured over Minibatches (whole sequences with their"
                + " targets), not over " + data.getClass().getSimpleName() + ": validate on Metric.LOSS or"
                + " PERPLEXITY, or give Minibatches as validation data");
    }

    /**
     * This metric of the network {@code data} was built for, over all of {@code data}. The loss and
     * perplexity are the data's own losses summed over its updates, per output (for streams, from
     * the stream's start); the others run the network forward over every sequence.
     *
     * @throws IllegalArgumentException if the metric cannot be measured on this data ({@link #requireMeasurable})
     */
    public double measure(TrainingData data) {
        requireMeasurable(data);
        return switch (this) {
            case LOSS -> meanLoss(data);
            case PERPLEXITY -> Math.exp(meanLoss(data));
            case ACCURACY -> Classification.of((Minibatches) data).accuracy();
            case MACRO_F1 -> Classification.of((Minibatches) data).macroF1();
            case MSE -> Regression.of((Minibatches) data).mse();
            case MAE -> Regression.of((Minibatches) data).mae();
        };
    }

    /** The data's summed loss over its updates, divided by their outputs, as the trainer's validation loss. */
    private static double meanLoss(TrainingData data) {
        data.beforeTraining();
        try {
            data.startEpoch(0);
            double sum = 0;
            long outputs = 0;
            for (int update = 0, n = data.updates(); update < n; update++) {
                sum += data.loss(update);
                outputs += data.outputs(update);
            }
            return sum / outputs;
        } finally {
            data.afterTraining();
        }
    }
}
