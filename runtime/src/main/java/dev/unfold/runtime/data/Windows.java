package dev.unfold.runtime.data;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.internal.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * Sliding windows over a numeric series, as the README's worked example builds them: the series 8, 10, 12,
 * 10, 8, 12, 10, 12 with windows of 4 gives the inputs x_1 = (8, 10, 12, 10), x_2 = (10, 12, 10,
 * 8), ... and, as the target of each window, the value that follows it: y_1 = 8, y_2 = 12, ...
 *
 * <p>The rows are the steps of one sequence in the shape {@link SequenceModel} takes: row t is a
 * step of {@code width} values, and its target row holds one value. Values are copied as they are;
 * scale the series first if the network wants them scaled. A float32 network
 * ({@code @Network(precision = FLOAT32)}) takes {@code float} rows: {@link #floatInputs},
 * {@link #floatTargets} and {@link #floatAll} cut them from a {@code float[]} series. (They are
 * named apart rather than overloaded so that {@code inputs(null, 4)} still names one method.)
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

    /** {@link #inputs(double[], int)} for a float32 network. */
    public static float[][] floatInputs(float[] series, int width) {
        checkWidth(width);
        requireLength(series, width + 1, width, "a window and the value after it");
        return windows(series, width, series.length - width);
    }

    /** {@link #targets(double[], int)} for a float32 network. */
    public static float[][] floatTargets(float[] series, int width) {
        checkWidth(width);
        requireLength(series, width + 1, width, "a window and the value after it");
        float[][] targets = new float[series.length - width][1];
        for (int t = 0; t < targets.length; t++) {
            targets[t][0] = series[t + width];
        }
        return targets;
    }

    /** {@link #all(double[], int)} for a float32 network. */
    public static float[][] floatAll(float[] series, int width) {
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

    private static float[][] windows(float[] series, int width, int count) {
        float[][] windows = new float[count][];
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
        requireLength(series.length, minimum, width, purpose);
        int i = Checks.firstNonFinite(series, 0, series.length);
        if (i >= 0) {
            throw notFinite(i, series[i]);
        }
    }

    private static void requireLength(float[] series, int minimum, int width, String purpose) {
        Objects.requireNonNull(series, "series");
        requireLength(series.length, minimum, width, purpose);
        int i = Checks.firstNonFinite(series, 0, series.length);
        if (i >= 0) {
            throw notFinite(i, series[i]);
        }
    }

    private static void requireLength(int length, int minimum, int width, String purpose) {
        if (length < minimum) {
            throw new IllegalArgumentException("the series has " + length + " values, expected at least "
                    + minimum + " for " + purpose + " at width " + width);
        }
    }

    private static IllegalArgumentException notFinite(int i, Object value) {
        return new IllegalArgumentException("series[" + i + "] is " + value + ": values must be finite");
    }
}
