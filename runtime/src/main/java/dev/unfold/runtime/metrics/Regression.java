package dev.unfold.runtime.metrics;

import dev.unfold.runtime.data.Minibatches;
import java.util.Locale;
import java.util.Objects;

/**
 * How close a network's outputs come to dense targets: the mean squared error and the mean absolute
 * error over every output value of every counted row (equations.md (17.7)), as
 * {@code torch.nn.MSELoss()} and {@code L1Loss()} and scikit-learn's {@code mean_squared_error} and
 * {@code mean_absolute_error} average them. Rows past a sequence's end are never counted. A float32
 * network's outputs and targets are widened to double, exactly, and the sums are kept in double.
 *
 * <p>The MSE is not the validation loss: an MSE network's loss is summed over a row's K outputs
 * (equations.md (2.3)) and the trainer reports its mean per row, K times this MSE.
 */
public final class Regression {
    private final double squaredErrors;
    private final double absoluteErrors;
    private final long values;

    private Regression(double squaredErrors, double absoluteErrors, long values) {
        this.squaredErrors = squaredErrors;
        this.absoluteErrors = absoluteErrors;
        this.values = values;
    }

    /**
     * The errors of the network {@code data} was built for, over every sequence of it, computed by
     * {@link Minibatches#forEachOutput} (masked batches of the data's batch size).
     *
     * @throws IllegalArgumentException if the data has class labels rather than dense targets
     */
    public static Regression of(Minibatches data) {
        Objects.requireNonNull(data, "data");
        requireTargets(data, "MSE and MAE");
        double[] sums = new double[2];
        long[] counted = new long[1];
        data.forEachOutput(new Minibatches.OutputVisitor() {
            @Override
            public void row(double[] predictions, double[] targets) {
                for (int k = 0; k < predictions.length; k++) {
                    add(predictions[k] - targets[k]);
                }
            }

            @Override
            public void row(float[] predictions, float[] targets) {
                for (int k = 0; k < predictions.length; k++) {
                    add((double) predictions[k] - targets[k]);
                }
            }

            private void add(double error) {
                sums[0] += error * error;
                sums[1] += Math.abs(error);
                counted[0]++;
            }
        });
        return new Regression(sums[0], sums[1], counted[0]);
    }

    static void requireTargets(Minibatches data, String what) {
        if (data.hasLabels()) {
            throw new IllegalArgumentException(what + " compare outputs with dense targets, but the data has class"
                    + " labels: for a classifier ask for Metric.ACCURACY, MACRO_F1 or PERPLEXITY");
        }
    }

    /** The mean squared error (1/n) Σ (ŷ − y)² over the n values counted. */
    public double mse() {
        return squaredErrors / values;
    }

    /** The root of {@link #mse()}, in the targets' units. */
    public double rmse() {
        return Math.sqrt(mse());
    }

    /** The mean absolute error (1/n) Σ |ŷ − y| over the n values counted. */
    public double mae() {
        return absoluteErrors / values;
    }

    /** Number of values counted n: output rows × the network's output size. */
    public long count() {
        return values;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MSE %.6g, MAE %.6g (%d values)", mse(), mae(), values);
    }
}
