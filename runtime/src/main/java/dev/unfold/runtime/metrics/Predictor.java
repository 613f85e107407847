package dev.unfold.runtime.metrics;

import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.internal.Precisions;
import java.util.Arrays;
import java.util.Objects;

/**
 * The class a classifier predicts: at each step, or once per sequence for a many-to-one network,
 * the class of highest probability, ties going to the lowest index (equations.md (17.1)). It runs
 * the network's own {@code forward} (batched for a batch) into output rows it keeps, so that
 * {@code predict(xs, classes)}, which fills the caller's array, allocates nothing once a sequence
 * of each length (and a batch of each size) has been seen. The forms that return a new array
 * allocate it and read more simply.
 *
 * <pre>
 * Predictor predictor = new Predictor(net);
 * int[] classes = predictor.predict(tokens);      // one class per output row
 * predictor.predict(batchOfTokens, batchClasses); // fills batchClasses[b], allocation-free
 * </pre>
 *
 * <p>Like {@code forward}, a prediction by a stateful network continues its carried state. An
 * argument that does not fit is refused before the network runs, with an
 * {@link IllegalArgumentException} naming what was expected, and nothing changes. Not thread-safe,
 * like the network: give each thread its own.
 */
public final class Predictor {
    private final Classifier model;
    private final boolean floats;
    /** Lane b's output rows for a sequence of each number of rows: {@code double[][]} or {@code float[][]}. */
    private Object[][] lanes = new Object[1][];
    /** Lane b's row arrays, one per row index: a {@code double[][]} or {@code float[][]}, grown to the longest. */
    private Object[][] pools = new Object[1][];
    /** The array of a batch's output rows, for each batch size: {@code double[][][]} or {@code float[][][]}. */
    private Object[] batches = new Object[0];

    /** Predicts with {@code model}, a network trained with a cross-entropy (a {@link Classifier}). */
    public Predictor(Classifier model) {
        this.model = Objects.requireNonNull(model, "model");
        this.floats = model.precision() == Precision.FLOAT32;
    }

    /**
     * The index of the largest value, the lowest such index when several are equal: the class of
     * a row of probabilities. NaN is never the largest (a row of NaN only gives 0).
     */
    public static int argmax(double[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best] || Double.isNaN(row[best]) && !Double.isNaN(row[k])) {
                best = k;
            }
        }
        return best;
    }

    /** {@link #argmax(double[])} for a float32 network's row. */
    public static int argmax(float[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best] || Float.isNaN(row[best]) && !Float.isNaN(row[k])) {
                best = k;
            }
        }
        return best;
    }

    /** The class of each output row of the dense sequence {@code xs}, in a new array. */
    public int[] predict(double[][] xs) {
        int[] classes = new int[model.outputSteps(Objects.requireNonNull(xs, "xs").length)];
        predict(xs, classes);
        return classes;
    }

    /** {@link #predict(double[][])} for a float32 network. */
    public int[] predict(float[][] xs) {
        int[] classes = new int[model.outputSteps(Objects.requireNonNull(xs, "xs").length)];
        predict(xs, classes);
        return classes;
    }

    /** The class of each output row of the token sequence {@code tokens}, in a new array. */
    public int[] predict(int[] tokens) {
        int[] classes = new int[model.outputSteps(Objects.requireNonNull(tokens, "tokens").length)];
        predict(tokens, classes);
        return classes;
    }

    /**
     * Writes the class of each output row of {@code xs} into {@code classes}, which must have one
     * entry per output row: T for a sequence of T steps, 1 for a many-to-one network.
     */
    public void predict(double[][] xs, int[] classes) {
        Precisions.require(model, Precision.FLOAT64, "predict");
        int rows = requireClasses(classes, -1, steps("xs", xs));
        double[][] ys = (double[][]) rows(0, rows);
        model.forward(xs, ys);
        classify(ys, classes);
    }

    /** {@link #predict(double[][], int[])} for a float32 network. */
    public void predict(float[][] xs, int[] classes) {
        Precisions.require(model, Precision.FLOAT32, "predict");
        int rows = requireClasses(classes, -1, steps("xs", xs));
        float[][] ys = (float[][]) rows(0, rows);
        model.forward(xs, ys);
        classify(ys, classes);
    }

    /** {@link #predict(double[][], int[])} for a token sequence, for either precision. */
    public void predict(int[] tokens, int[] classes) {
        Objects.requireNonNull(tokens, "tokens");
        requireSteps("tokens", tokens.length);
        int rows = requireClasses(classes, -1, tokens.length);
        if (floats) {
            float[][] ys = (float[][]) rows(0, rows);
            model.forward(tokens, ys);
            classify(ys, classes);
        } else {
            double[][] ys = (double[][]) rows(0, rows);
            model.forward(tokens, ys);
            classify(ys, classes);
        }
    }

    /** The classes of each sequence of a batch, in new arrays: {@code predict(xs[b])} for every b. */
    public int[][] predict(double[][][] xs) {
        int[][] classes = newClasses(Objects.requireNonNull(xs, "xs"));
        predict(xs, classes);
        return classes;
    }

    /** {@link #predict(double[][][])} for a float32 network. */
    public int[][] predict(float[][][] xs) {
        int[][] classes = newClasses(Objects.requireNonNull(xs, "xs"));
        predict(xs, classes);
        return classes;
    }

    /** {@link #predict(double[][][])} for a batch of token sequences. */
    public int[][] predict(int[][] tokens) {
        int[][] classes = newClasses(Objects.requireNonNull(tokens, "tokens"));
        predict(tokens, classes);
        return classes;
    }

    /**
     * Writes the classes of each sequence {@code xs[b]} of a batch into {@code classes[b]}, one per
     * output row, running the batch as one masked pass of the network's batched {@code forward}
     * (sequences may differ in length).
     */
    public void predict(double[][][] xs, int[][] classes) {
        Precisions.require(model, Precision.FLOAT64, "predict");
        Objects.requireNonNull(xs, "xs");
        requireBatchClasses(classes, xs);
        double[][][] ys = (double[][][]) batch(xs);
        model.forward(xs, ys);
        for (int b = 0; b < xs.length; b++) {
            classify(ys[b], classes[b]);
        }
    }

    /** {@link #predict(double[][][], int[][])} for a float32 network. */
    public void predict(float[][][] xs, int[][] classes) {
        Precisions.require(model, Precision.FLOAT32, "predict");
        Objects.requireNonNull(xs, "xs");
        requireBatchClasses(classes, xs);
        float[][][] ys = (float[][][]) batch(xs);
        model.forward(xs, ys);
        for (int b = 0; b < xs.length; b++) {
            classify(ys[b], classes[b]);
        }
    }

    /** {@link #predict(double[][][], int[][])} for a batch of token sequences, for either precision. */
    public void predict(int[][] tokens, int[][] classes) {
        Objects.requireNonNull(tokens, "tokens");
        requireBatchClasses(classes, tokens);
        if (floats) {
            float[][][] ys = (float[][][]) batch(tokens);
            model.forward(tokens, ys);
            for (int b = 0; b < tokens.length; b++) {
                classify(ys[b], classes[b]);
            }
        } else {
            double[][][] ys = (double[][][]) batch(tokens);
            model.forward(tokens, ys);
            for (int b = 0; b < tokens.length; b++) {
                classify(ys[b], classes[b]);
            }
        }
    }

    private static void classify(double[][] ys, int[] classes) {
        for (int t = 0; t < ys.length; t++) {
            classes[t] = argmax(ys[t]);
        }
    }

    private static void classify(float[][] ys, int[] classes) {
        for (int t = 0; t < ys.length; t++) {
            classes[t] = argmax(ys[t]);
        }
    }

    /** The steps of a dense sequence, which must have at least one (the network checks its rows). */
    private static int steps(String name, Object[] xs) {
        Objects.requireNonNull(xs, name);
        requireSteps(name, xs.length);
        return xs.length;
    }

    private static void requireSteps(String name, int steps) {
        if (steps == 0) {
            throw new IllegalArgumentException(name + " is empty: a sequence needs at least one step");
        }
    }

    /**
     * Checks that {@code classes} (sequence {@code b}'s of a batch, or -1 for a single sequence's)
     * has one entry per output row of a sequence of {@code steps}; returns that count. Its name is
     * built only to refuse, so that a check allocates nothing.
     */
    private int requireClasses(int[] classes, int b, int steps) {
        if (classes == null) {
            throw new NullPointerException(b < 0 ? "classes" : "classes[" + b + "]");
        }
        int rows = model.outputSteps(steps);
        if (classes.length != rows) {
            String name = b < 0 ? "classes" : "classes[" + b + "]";
            throw new IllegalArgumentException(name + " has " + classes.length + " entries, expected " + rows
                    + (model.mapping() == Mapping.MANY_TO_ONE ? " (a many-to-one network predicts one class per sequence)"
                                                              : " (one class per input step)"));
        }
        return rows;
    }

    /** One {@code classes[b]} per sequence, each of its sequence's output rows; sequences the network checks. */
    private void requireBatchClasses(int[][] classes, Object[] sequences) {
        Objects.requireNonNull(classes, "classes");
        if (classes.length != sequences.length) {
            throw new IllegalArgumentException("classes has " + classes.length + " arrays, expected "
                    + sequences.length + " (one per sequence of the batch)");
        }
        for (int b = 0; b < sequences.length; b++) {
            Object sequence = sequences[b];
            if (sequence == null) {
                continue;   // the network's own check names it
            }
            int steps = sequence instanceof int[] tokens ? tokens.length : ((Object[]) sequence).length;
            if (steps > 0) {
                requireClasses(classes[b], b, steps);
            }
        }
    }

    private int[][] newClasses(Object[] sequences) {
        int[][] classes = new int[sequences.length][];
        for (int b = 0; b < sequences.length; b++) {
            Object sequence = sequences[b];   // null or empty: the network's check refuses it, naming it
            int steps = sequence == null ? 0
                    : sequence instanceof int[] tokens ? tokens.length : ((Object[]) sequence).length;
            classes[b] = new int[steps == 0 ? 0 : model.outputSteps(steps)];
        }
        return classes;
    }

    /** The output rows of each sequence of a batch, each in its own lane's arrays. */
    private Object batch(Object[] sequences) {
        int count = sequences.length;
        if (count >= batches.length) {
            batches = Arrays.copyOf(batches, count + 1);
        }
        if (batches[count] == null) {
            batches[count] = floats ? new float[count][][] : new double[count][][];
        }
        Object[] ys = (Object[]) batches[count];
        for (int b = 0; b < count; b++) {
            Object sequence = sequences[b];
            int steps = sequence == null ? 0
                    : sequence instanceof int[] tokens ? tokens.length : ((Object[]) sequence).length;
            ys[b] = rows(b, model.outputSteps(Math.max(steps, 1)));
        }
        return ys;
    }

    /**
     * Lane {@code lane}'s output rows for a sequence of {@code rows} rows. Each lane keeps one row
     * array per row index (a batch's sequences are written at once, so lanes share none), and for
     * each length seen the array that lists its first {@code rows} of them: a length seen before
     * allocates nothing, and a new length only that list.
     */
    private Object rows(int lane, int rows) {
        if (lane >= lanes.length) {
            lanes = Arrays.copyOf(lanes, lane + 1);
            pools = Arrays.copyOf(pools, lane + 1);
        }
        Object[] byLength = lanes[lane];
        if (byLength == null || rows >= byLength.length) {
            byLength = byLength == null ? new Object[rows + 1] : Arrays.copyOf(byLength, rows + 1);
            lanes[lane] = byLength;
        }
        if (byLength[rows] == null) {
            Object[] pool = pools[lane];
            if (pool == null || pool.length < rows) {
                int kept = pool == null ? 0 : pool.length;
                pool = floats ? Arrays.copyOf((float[][]) (pool == null ? new float[0][] : pool), rows)
                        : Arrays.copyOf((double[][]) (pool == null ? new double[0][] : pool), rows);
                for (int t = kept; t < rows; t++) {
                    pool[t] = floats ? new float[model.outputSize()] : new double[model.outputSize()];
                }
                pools[lane] = pool;
            }
            byLength[rows] = Arrays.copyOf(pool, rows);   // of the pool's type: double[][] or float[][]
        }
        return byLength[rows];
    }
}
