package dev.unfold.runtime.internal;

import java.util.Objects;

/**
 * The argument checks every generated network runs before it touches its buffers, in one place so
 * that every network words its errors the same way. Each failure is an
 * {@link IllegalArgumentException} naming the argument, what was expected and what came.
 */
public final class Checks {
    private Checks() {}

    /**
     * Checks a dense input sequence: at least one step, every row {@code width} wide, every value
     * finite. Returns the number of steps T.
     */
    public static int sequence(double[][] xs, int width) {
        return sequence("xs", xs, width);
    }

    /** {@link #sequence(double[][], int)} for an argument called {@code name} (a constant: nothing is built unless it fails). */
    public static int sequence(String name, double[][] xs, int width) {
        return checkedSequence(name, xs, width);
    }

    /** {@link #sequence(double[][], int)} for a float32 network. */
    public static int sequence(float[][] xs, int width) {
        return checkedSequence("xs", xs, width);
    }

    /** {@link #sequence(String, double[][], int)} for a float32 network. */
    public static int sequence(String name, float[][] xs, int width) {
        return checkedSequence(name, xs, width);
    }

    private static int checkedSequence(String name, Object[] xs, int width) {
        Objects.requireNonNull(xs, name);
        if (xs.length == 0) {
            throw new IllegalArgumentException(name + " is empty: a sequence needs at least one step");
        }
        for (int t = 0; t < xs.length; t++) {
            Object row = row(xs, t, name, width, "the network's input size");
            int j = firstNonFinite(row, 0, width);
            if (j >= 0) {
                throw new IllegalArgumentException(name + "[" + t + "][" + j + "] is " + valueAt(row, j)
                        + ": inputs must be finite");
            }
        }
        return xs.length;
    }

    /** Checks a token sequence: at least one step, every token in [0, vocabulary). Returns T. */
    public static int tokens(int[] tokens, int vocabulary) {
        return tokens("tokens", tokens, vocabulary);
    }

    /** {@link #tokens(int[], int)} for an argument called {@code name}. */
    public static int tokens(String name, int[] tokens, int vocabulary) {
        Objects.requireNonNull(tokens, name);
        if (tokens.length == 0) {
            throw new IllegalArgumentException(name + " is empty: a sequence needs at least one step");
        }
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] < 0 || tokens[t] >= vocabulary) {
                throw new IllegalArgumentException(name + "[" + t + "] is " + tokens[t]
                        + ", outside the vocabulary [0, " + vocabulary + ") of the network's input size");
            }
        }
        return tokens.length;
    }

    /** Checks one step's input: {@code width} finite values. */
    public static void step(double[] x, int width) {
        checkedStep(x, width);
    }

    /** {@link #step(double[], int)} for a float32 network. */
    public static void step(float[] x, int width) {
        checkedStep(x, width);
    }

    private static void checkedStep(Object x, int width) {
        Objects.requireNonNull(x, "x");
        if (length(x) != width) {
            throw new IllegalArgumentException("x has " + length(x) + " values, expected " + width
                    + " (the network's input size)");
        }
        int j = firstNonFinite(x, 0, width);
        if (j >= 0) {
            throw new IllegalArgumentException("x[" + j + "] is " + valueAt(x, j) + ": inputs must be finite");
        }
    }

    /** Checks one step's token: in [0, vocabulary). */
    public static void token(int token, int vocabulary) {
        if (token < 0 || token >= vocabulary) {
            throw new IllegalArgumentException("token is " + token + ", outside the vocabulary [0, " + vocabulary
                    + ") of the network's input size");
        }
    }

    /** Checks one step's output buffer: {@code width} values. */
    public static void output(double[] y, int width) {
        checkedOutput(y, width);
    }

    /** {@link #output(double[], int)} for a float32 network. */
    public static void output(float[] y, int width) {
        checkedOutput(y, width);
    }

    private static void checkedOutput(Object y, int width) {
        Objects.requireNonNull(y, "y");
        if (length(y) != width) {
            throw new IllegalArgumentException("y has " + length(y) + " values, expected " + width
                    + " (the network's output size)");
        }
    }

    /** Checks an output buffer: {@code rows} rows of {@code width}. Values are not read. */
    public static void outputs(double[][] ys, int rows, int width) {
        checkedOutputs(ys, rows, width);
    }

    /** {@link #outputs(double[][], int, int)} for a float32 network. */
    public static void outputs(float[][] ys, int rows, int width) {
        checkedOutputs(ys, rows, width);
    }

    private static void checkedOutputs(Object[] ys, int rows, int width) {
        Objects.requireNonNull(ys, "ys");
        rowCount(ys.length, "ys", rows);
        for (int t = 0; t < rows; t++) {
            row(ys, t, "ys", width, "the network's output size");
        }
    }

    /** Checks dense targets: {@code rows} rows of {@code width} finite values. */
    public static void targets(double[][] targets, int rows, int width) {
        checkedTargets(targets, rows, width);
    }

    /** {@link #targets(double[][], int, int)} for a float32 network. */
    public static void targets(float[][] targets, int rows, int width) {
        checkedTargets(targets, rows, width);
    }

    private static void checkedTargets(Object[] targets, int rows, int width) {
        Objects.requireNonNull(targets, "targets");
        rowCount(targets.length, "targets", rows);
        for (int t = 0; t < rows; t++) {
            Object row = row(targets, t, "targets", width, "the network's output size");
            int j = firstNonFinite(row, 0, width);
            if (j >= 0) {
                throw new IllegalArgumentException(
                        "targets[" + t + "][" + j + "] is " + valueAt(row, j) + ": targets must be finite");
            }
        }
    }

    /** Checks class labels: {@code rows} of them, each in [0, classes). */
    public static void labels(int[] labels, int rows, int classes) {
        Objects.requireNonNull(labels, "labels");
        rowCount(labels.length, "labels", rows);
        for (int t = 0; t < rows; t++) {
            if (labels[t] < 0 || labels[t] >= classes) {
                throw new IllegalArgumentException("labels[" + t + "] is " + labels[t]
                        + ", outside the classes [0, " + classes + ") of the network's output size");
            }
        }
    }

    /** Checks a context vector: {@code width} finite values. */
    public static void context(double[] x, int width) {
        Objects.requireNonNull(x, "context");
        if (x.length != width) {
            throw new IllegalArgumentException("the context has " + x.length + " values, expected " + width
                    + " (the network's context size)");
        }
        int j = firstNonFinite(x, 0, width);
        if (j >= 0) {
            throw new IllegalArgumentException("context[" + j + "] is " + x[j] + ": a context must be finite");
        }
    }

    /**
     * Checks what setContexts was given: one context per sequence of the batches to come, at least
     * one, each {@code width} finite values.
     */
    public static void contexts(double[][] contexts, int width) {
        Objects.requireNonNull(contexts, "contexts");
        if (contexts.length == 0) {
            throw new IllegalArgumentException("contexts is empty: give one context per sequence of the batches to come");
        }
        for (int b = 0; b < contexts.length; b++) {
            double[] x = contexts[b];
            if (x == null) {
                throw new IllegalArgumentException("contexts[" + b + "] is null");
            }
            if (x.length != width) {
                throw new IllegalArgumentException("contexts[" + b + "] has " + x.length + " values, expected " + width
                        + " (the network's context size)");
            }
            int j = firstNonFinite(x, 0, width);
            if (j >= 0) {
                throw new IllegalArgumentException("contexts[" + b + "][" + j + "] is " + x[j]
                        + ": a context must be finite");
            }
        }
    }

    /** Checks a scheduled-sampling setting: a probability, and a source of coin flips when it is not 0. */
    public static void sampling(double probability, java.util.Random random) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("the probability of feeding back the network's own prediction must be"
                    + " in [0, 1], got " + probability);
        }
        if (probability > 0) {
            Objects.requireNonNull(random, "random (the coin flips of scheduled sampling)");
        }
    }

    /**
     * Checks that the argument {@code name}, {@code values}, has room for a state of {@code size}
     * values (the network's state size) from {@code offset}: where a state is written. Values are not read.
     */
    public static void state(String name, double[] values, int offset, int size) {
        Objects.requireNonNull(values, name);
        if (offset < 0 || offset > values.length - size) {
            throw new IllegalArgumentException(offset < 0 ? "offset is " + offset + ", expected 0 or more"
                    : name + " has " + values.length + " values, too few for a state of " + size
                            + " values (the network's state size) from offset " + offset);
        }
    }

    /**
     * {@link #state(String, double[], int, int)} for a state that is read (restored, started from, or
     * passed back as a gradient): its {@code size} values must also be finite, as a NaN would spread to
     * everything computed from it.
     */
    public static void finiteState(String name, double[] values, int offset, int size) {
        state(name, values, offset, size);
        int j = firstNonFinite(values, offset, offset + size);
        if (j >= 0) {
            throw new IllegalArgumentException(name + "[" + j + "] is " + values[j] + ": a state must be finite");
        }
    }

    /**
     * {@code index} if it is in [0, count); otherwise an error naming it and what it indexes
     * ({@code meaning}, such as "the decoders").
     */
    public static int index(String name, int index, int count, String meaning) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(name + " is " + index + ", expected "
                    + (count == 0 ? "none: there are no " + meaning : "one of [0, " + count + ") (" + meaning + ")"));
        }
        return index;
    }

    /** {@code value} if it is finite; otherwise an error naming it. */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    /** {@code value} if it is positive and finite; otherwise an error naming it. */
    public static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
        return value;
    }

    /** {@code value} if it is zero or positive and finite; otherwise an error naming it. */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be non-negative and finite, got " + value);
        }
        return value;
    }

    /** {@code value} if it is zero or positive; otherwise an error naming it. */
    public static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be non-negative, got " + value);
        }
        return value;
    }

    /** {@code count} if it is at least 1; otherwise an error naming it. */
    public static long atLeastOne(String name, long count) {
        if (count < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + count);
        }
        return count;
    }

    /** {@code value} if it is in [0, 1), as a decay rate or momentum must be; otherwise an error naming it. */
    public static double fraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** {@code value} if it is in [0, 1]; otherwise an error naming it. */
    public static double unitInterval(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
        return value;
    }

    /**
     * The length of a per-step buffer for rows 0..T+1, each {@code width} wide: rows 1..T for the
     * steps, row 0 and row T + 1 for the initial states of the forward and reverse recurrences.
     * An error when a Java array cannot hold it.
     */
    public static int bufferLength(int steps, int width) {
        long length = (steps + 2L) * width;
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a sequence of " + steps + " steps needs buffers of " + length
                    + " values at width " + width + ", more than a Java array holds: split the sequence");
        }
        return (int) length;
    }

    /**
     * The refusal of a whole argument from the refusal of one of its parts ({@code part}, such as
     * "sequence 2 of the batch"): the part's message after it, a NullPointerException's argument
     * name as "… is null".
     */
    public static IllegalArgumentException inPart(String part, RuntimeException refused) {
        String message = refused instanceof NullPointerException && refused.getMessage() != null
                ? refused.getMessage() + " is null" : refused.getMessage();
        return new IllegalArgumentException(part + ": " + message, refused);
    }

    private static void rowCount(int actual, String name, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has " + actual + " rows, expected " + expected
                    + (expected == 1 ? " (a many-to-one network has one output row per sequence)"
                                     : " (one per input step)"));
        }
    }

    private static Object row(Object[] rows, int t, String name, int width, String widthMeaning) {
        Object row = rows[t];
        if (row == null) {
            throw new IllegalArgumentException(name + "[" + t + "] is null");
        }
        if (length(row) != width) {
            throw new IllegalArgumentException(name + "[" + t + "] has " + length(row) + " values, expected "
                    + width + " (" + widthMeaning + ")");
        }
        return row;
    }

    /** The index of the first NaN or infinity in {@code values[from..to)}, or −1 when every value there is finite. */
    public static int firstNonFinite(double[] values, int from, int to) {
        for (int j = from; j < to; j++) {
            if (!Double.isFinite(values[j])) {
                return j;
            }
        }
        return -1;
    }

    /** {@link #firstNonFinite(double[], int, int)} for float values. */
    public static int firstNonFinite(float[] values, int from, int to) {
        for (int j = from; j < to; j++) {
            if (!Float.isFinite(values[j])) {
                return j;
            }
        }
        return -1;
    }

    /**
     * For a float32 network, which rounds the states, state gradients and contexts it is given in
     * double to float: refuses a finite value beyond float's range (|x| above 3.4028235E38 rounds to
     * ±∞, which would spread as a NaN would), reporting {@code name[j]} and {@code what} it is (a
     * state, a state gradient, a context). Checks {@code values[from..to)}; call it after the
     * finiteness check, and before anything changes.
     */
    public static void roundsToFloat(String name, double[] values, int from, int to, String what) {
        int j = firstBeyondFloat(values, from, to);
        if (j >= 0) {
            throw beyondFloat(name, values[j], j, what);
        }
    }

    /** {@link #roundsToFloat(String, double[], int, int, String)} for the first {@code size} values of each row. */
    public static void roundsToFloat(String name, double[][] rows, int size, String what) {
        for (int b = 0; b < rows.length; b++) {
            int j = rows[b] == null ? -1 : firstBeyondFloat(rows[b], 0, size);
            if (j >= 0) {
                throw beyondFloat(name + "[" + b + "]", rows[b][j], j, what);  // the name built only to refuse
            }
        }
    }

    private static int firstBeyondFloat(double[] values, int from, int to) {
        for (int j = from; j < to; j++) {
            if (Float.isInfinite((float) values[j])) {
                return j;
            }
        }
        return -1;
    }

    private static IllegalArgumentException beyondFloat(String name, double value, int j, String what) {
        return new IllegalArgumentException(name + "[" + j + "] is " + value + ", beyond the range of float (±"
                + Float.MAX_VALUE + "): " + what + " given to a float32 network is rounded to float");
    }

    // The checks below serve both precisions' arrays, a double[] or a float[] passed as an Object,
    // so that each rule and message is written once; the casts are free where the JIT sees the type.

    private static int firstNonFinite(Object values, int from, int to) {
        return values instanceof double[] doubles ? firstNonFinite(doubles, from, to)
                : firstNonFinite((float[]) values, from, to);
    }

    private static int length(Object values) {
        return values instanceof double[] doubles ? doubles.length : ((float[]) values).length;
    }

    /** The value at {@code j} as text, for an error message. */
    private static String valueAt(Object values, int j) {
        return values instanceof double[] doubles ? String.valueOf(doubles[j]) : String.valueOf(((float[]) values)[j]);
    }
}
