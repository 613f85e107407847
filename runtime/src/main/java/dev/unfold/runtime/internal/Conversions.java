package dev.unfold.runtime.internal;

/**
 * The copies a float32 network makes between its own float buffers and the double arrays of its
 * API: states, state gradients and contexts are {@code double} in both precisions (so that one
 * signature serves both), and a float32 network rounds what it is given and widens what it gives
 * as it copies, the copy it would make anyway. Each takes {@link System#arraycopy}'s arguments,
 * so that generated code reads the same in both precisions. No allocation.
 */
public final class Conversions {
    private Conversions() {}

    /** {@code to[toOffset + k] = from[fromOffset + k]} rounded to the nearest float, for k in [0, n). */
    public static void copy(double[] from, int fromOffset, float[] to, int toOffset, int n) {
        for (int k = 0; k < n; k++) {
            to[toOffset + k] = (float) from[fromOffset + k];
        }
    }

    /** {@code to[toOffset + k] = from[fromOffset + k]} widened (exactly) to double, for k in [0, n). */
    public static void copy(float[] from, int fromOffset, double[] to, int toOffset, int n) {
        for (int k = 0; k < n; k++) {
            to[toOffset + k] = from[fromOffset + k];
        }
    }
}
