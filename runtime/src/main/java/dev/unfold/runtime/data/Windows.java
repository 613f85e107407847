package dev.unfold.runtime.data;

import dev.unfold.runtime.SequenceModel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Sliding windows over a numeric series, as the README's worked example builds them: the series 8, 10, 12,
 * 10, 8, 12, 10, 12 with windows of 4 gives the inputs x_1 = (8, 10, 12, 10), x_2 = (10, 12, 10,
 * 8), ... and, as the target of each window, the value that follows it: y_1 = 8, y_2 = 12, ...
 *
 * <p>The rows are the steps of one sequence in the shape {@link SequenceModel} takes: row t is a
 * step of {@code width} values, and its target row holds one value. Values are copied as they are;
 * scale the series first if the network wants them scaled.
 */
public final class Windows {
    private Windows() {}

    /**
     * The windows that have a next value: n − w rows, row t holding series[t], ..., series[t + w − 1].
     * The inputs to train on, paired row by row with {@link #targets}.
     */
    public static double[][] inputs(double[] series, int width) {
        checkWidth(width);
        requireLength(series, width + 1, width, "a window and the value after it");
        return windows(series, width, series.length - width);
    }

    /** The value after each window of {@link #inputs}: n − w rows of one value, row t holding series[t + w]. */
    public static double[][] targets(double[] series, int width) {
        checkWidth(width);
        requireLength(series, width + 1, width, "a window and the value after it");
        double[][] targets = new double[series.length - width][1];
        for (int t = 0; t < targets.length; t++) {
            targets[t][0] = series[t + width];
        }
        return targets;
    }

    /**
     * Every window, n − w + 1 rows: those of {@link #inputs} and then the last w values, whose next
     * value is not known yet. Running a trained network over these answers the example's "?" at the
     * last step.
     */
    public static double[][] all(double[] series, int width) {
        checkWidth(width);
        requireLength(series, width, width, "one window");
        return windows(series, width, series.length - width + 1);
    }

    private static double[][] windows(double[] series, int width, int count) {
        double[][] windows = new double[count][];
        for (int t = 0; t < count; t++) {
            windows[t] = Arrays.copyOfRange(series, t, t + width);
        }
        return windows;
    }

    private static void checkWidth(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("the window width must be at least 1, got " + width);
        }
    }

    /** Checks that the series is long enough and finite; a NaN would silently poison every window it falls in. */
    private static void requireLength(double[] series, int minimum, int width, String purpose) {
        Objects.requireNonNull(series, "series");
        if (series.length < minimum) {
            throw new IllegalArgumentException("the series has " + series.length + " values, expected at least "
                    + minimum + " for " + purpose + " at width " + width);
        }
        for (int i = 0; i < series.length; i++) {
            if (!Double.isFinite(series[i])) {
                throw new IllegalArgumentException("series[" + i + "] is " + series[i] + ": values must be finite");
            }
        }
    }
}
