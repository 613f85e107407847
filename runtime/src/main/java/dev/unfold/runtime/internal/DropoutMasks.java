package dev.unfold.runtime.internal;

/**
 * Dropout masks for generated networks (equations.md (16.5)): whether unit j of step t is kept is a
 * hash of (seed, draw, sequence, site, t, j), where a site is one layer's input or one direction's
 * recurrent state. A kept value is scaled by 1/(1 − p) (inverted dropout), a dropped one is 0.
 * Counter-based, as JAX's and PyTorch's CUDA Philox generators are: there is no state to carry, so
 * a mask can be recomputed anywhere, in any order, and a resumed training run draws the same ones.
 *
 * <p>The mixing is SplitMix64's finaliser (Steele, Lea and Flood 2014), a bijection of 64-bit
 * values whose output bits each depend on every input bit; a unit is kept when the top 53 bits of
 * its hash, read as a number in [0, 1), are at least p.
 *
 * <p>Every method comes in double and float; the masks are the same, only the scale is rounded.
 */
public final class DropoutMasks {
    private DropoutMasks() {}

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The key of sequence {@code sequence} of draw {@code draw} from {@code seed}. */
    public static long sequenceKey(long seed, long draw, long sequence) {
        return mix(mix(mix(seed + GOLDEN) + draw * GOLDEN) + sequence * GOLDEN);
    }

    /** The key of step {@code step} at {@code site} of a sequence; recurrent masks use step 0. */
    static long stepKey(long sequenceKey, int site, int step) {
        return mix(mix(sequenceKey + (site + 1L) * GOLDEN) + (step + 1L) * GOLDEN);
    }

    /** Hashes below this are dropped: p · 2⁵³, so that a unit is kept with probability 1 − p. */
    static long threshold(double rate) {
        return (long) Math.ceil(rate * 0x1p53);
    }

    /** Whether unit {@code unit} of the step {@code stepKey} names is kept. */
    static boolean keeps(long stepKey, int unit, long threshold) {
        return mix(stepKey + (unit + 1L) * GOLDEN) >>> 11 >= threshold;
    }

    /** 1/(1 − p), what a kept value is multiplied by. */
    public static double scale(double rate) {
        return 1 / (1 - rate);
    }

    /** Whether unit {@code unit} at step {@code step} of {@code site} is kept: for tests and tools. */
    public static boolean keeps(long seed, long draw, long sequence, int site, int step, int unit, double rate) {
        return keeps(stepKey(sequenceKey(seed, draw, sequence), site, step), unit, threshold(rate));
    }

    // ---- one sequence ----

    /** {@code mask[t · width + j]} for t = 1..steps, j &lt; width: 1/(1 − p) or 0. */
    public static void fillSteps(double[] mask, int width, int steps, long key, int site, double rate) {
        long threshold = threshold(rate);
        double scale = scale(rate);
        for (int t = 1; t <= steps; t++) {
            long step = stepKey(key, site, t);
            for (int j = 0, row = t * width; j < width; j++) {
                mask[row + j] = keeps(step, j, threshold) ? scale : 0.0;
            }
        }
    }

    /** {@link #fillSteps(double[], int, int, long, int, double)} in float. */
    public static void fillSteps(float[] mask, int width, int steps, long key, int site, double rate) {
        long threshold = threshold(rate);
        float scale = (float) scale(rate);
        for (int t = 1; t <= steps; t++) {
            long step = stepKey(key, site, t);
            for (int j = 0, row = t * width; j < width; j++) {
                mask[row + j] = keeps(step, j, threshold) ? scale : 0.0f;
            }
        }
    }

    /**
     * For one-hot inputs, only the entries the tokens select: {@code mask[t · width + tokens[t − 1]]},
     * the same values {@link #fillSteps} gives them; a one-hot x_t ⊙ m_t has no other non-zero.
     */
    public static void fillTokens(double[] mask, int width, int[] tokens, int steps, long key, int site, double rate) {
        long threshold = threshold(rate);
        double scale = scale(rate);
        for (int t = 1; t <= steps; t++) {
            int token = tokens[t - 1];
            mask[t * width + token] = keeps(stepKey(key, site, t), token, threshold) ? scale : 0.0;
        }
    }

    /** {@link #fillTokens(double[], int, int[], int, long, int, double)} in float. */
    public static void fillTokens(float[] mask, int width, int[] tokens, int steps, long key, int site, double rate) {
        long threshold = threshold(rate);
        float scale = (float) scale(rate);
        for (int t = 1; t <= steps; t++) {
            int token = tokens[t - 1];
            mask[t * width + token] = keeps(stepKey(key, site, t), token, threshold) ? scale : 0.0f;
        }
    }

    /** A recurrent mask, the same at every step of the sequence: {@code mask[j]}, j &lt; size. */
    public static void fill(double[] mask, int size, long key, int site, double rate) {
        long threshold = threshold(rate);
        double scale = scale(rate);
        long step = stepKey(key, site, 0);
        for (int j = 0; j < size; j++) {
            mask[j] = keeps(step, j, threshold) ? scale : 0.0;
        }
    }

    /** {@link #fill(double[], int, long, int, double)} in float. */
    public static void fill(float[] mask, int size, long key, int site, double rate) {
        long threshold = threshold(rate);
        float scale = (float) scale(rate);
        long step = stepKey(key, site, 0);
        for (int j = 0; j < size; j++) {
            mask[j] = keeps(step, j, threshold) ? scale : 0.0f;
        }
    }

    /** {@code into[intoOffset + j] = x[offset + j] · mask[maskOffset + j]} for j &lt; n; returns {@code into}. */
    public static double[] drop(double[] x, int offset, double[] mask, int maskOffset, double[] into, int intoOffset,
                                int n) {
        for (int j = 0; j < n; j++) {
            into[intoOffset + j] = x[offset + j] * mask[maskOffset + j];
        }
        return into;
    }

    /** {@link #drop(double[], int, double[], int, double[], int, int)} in float. */
    public static float[] drop(float[] x, int offset, float[] mask, int maskOffset, float[] into, int intoOffset, int n) {
        for (int j = 0; j < n; j++) {
            into[intoOffset + j] = x[offset + j] * mask[maskOffset + j];
        }
        return into;
    }

    /** {@code values[offset + j] *= mask[maskOffset + j]} for j &lt; n. */
    public static void multiply(double[] values, int offset, double[] mask, int maskOffset, int n) {
        for (int j = 0; j < n; j++) {
            values[offset + j] *= mask[maskOffset + j];
        }
    }

    /** {@link #multiply(double[], int, double[], int, int)} in float. */
    public static void multiply(float[] values, int offset, float[] mask, int maskOffset, int n) {
        for (int j = 0; j < n; j++) {
            values[offset + j] *= mask[maskOffset + j];
        }
    }

    /** {@code rows[m][k] *= mask[k]}: a matrix by rows times diag(mask), so that Wᵀ δ becomes mask ⊙ Wᵀ δ. */
    public static void scaleColumns(double[][] rows, int count, int columns, double[] mask) {
        for (int m = 0; m < count; m++) {
            multiply(rows[m], 0, mask, 0, columns);
        }
    }

    /** {@link #scaleColumns(double[][], int, int, double[])} in float. */
    public static void scaleColumns(float[][] rows, int count, int columns, float[] mask) {
        for (int m = 0; m < count; m++) {
            multiply(rows[m], 0, mask, 0, columns);
        }
    }

    // ---- batches: lane b is sequence first + b ----

    /**
     * Batch rows of a per-step mask: {@code mask[t · width + j][b]} for t = 1..steps, j &lt; width
     * and lane b &lt; batch, sequence {@code first + b} of the draw; lanes past the batch get 0.
     */
    public static void fillRows(double[][] mask, int width, int steps, int batch, int lanes, long seed, long draw,
                                long first, int site, double rate) {
        long threshold = threshold(rate);
        double scale = scale(rate);
        for (int b = 0; b < batch; b++) {
            long key = sequenceKey(seed, draw, first + b);
            for (int t = 1; t <= steps; t++) {
                long step = stepKey(key, site, t);
                for (int j = 0, row = t * width; j < width; j++) {
                    mask[row + j][b] = keeps(step, j, threshold) ? scale : 0.0;
                }
            }
        }
        for (int row = width; row < (steps + 1) * width; row++) {
            java.util.Arrays.fill(mask[row], batch, lanes, 0.0);
        }
    }

    /** {@link #fillRows(double[][], int, int, int, int, long, long, long, int, double)} in float. */
    public static void fillRows(float[][] mask, int width, int steps, int batch, int lanes, long seed, long draw,
                                long first, int site, double rate) {
        long threshold = threshold(rate);
        float scale = (float) scale(rate);
        for (int b = 0; b < batch; b++) {
            long key = sequenceKey(seed, draw, first + b);
            for (int t = 1; t <= steps; t++) {
                long step = stepKey(key, site, t);
                for (int j = 0, row = t * width; j < width; j++) {
                    mask[row + j][b] = keeps(step, j, threshold) ? scale : 0.0f;
                }
            }
        }
        for (int row = width; row < (steps + 1) * width; row++) {
            java.util.Arrays.fill(mask[row], batch, lanes, 0.0f);
        }
    }

    /** The batch's dense input rows times their mask, in place: what {@link #fillRows} would give, without keeping it. */
    public static void dropRows(double[][] rows, int width, int steps, int batch, long seed, long draw, long first,
                                int site, double rate) {
        long threshold = threshold(rate);
        double scale = scale(rate);
        for (int b = 0; b < batch; b++) {
            long key = sequenceKey(seed, draw, first + b);
            for (int t = 1; t <= steps; t++) {
                long step = stepKey(key, site, t);
                for (int j = 0, row = t * width; j < width; j++) {
                    rows[row + j][b] *= keeps(step, j, threshold) ? scale : 0.0;
                }
            }
        }
    }

    /** {@link #dropRows(double[][], int, int, int, long, long, long, int, double)} in float. */
    public static void dropRows(float[][] rows, int width, int steps, int batch, long seed, long draw, long first,
                                int site, double rate) {
        long threshold = threshold(rate);
        float scale = (float) scale(rate);
        for (int b = 0; b < batch; b++) {
            long key = sequenceKey(seed, draw, first + b);
            for (int t = 1; t <= steps; t++) {
                long step = stepKey(key, site, t);
                for (int j = 0, row = t * width; j < width; j++) {
                    rows[row + j][b] *= keeps(step, j, threshold) ? scale : 0.0f;
                }
            }
        }
    }

    /**
     * For one-hot inputs of a batch: {@code keep[t][b]}, the mask's entry at sequence b's token of
     * step t (up to its length), as {@link #fillTokens} gives it.
     */
    public static void fillTokenRows(double[][] keep, int[][] tokens, int steps, int batch, long seed, long draw,
                                     long first, int site, double rate) {
        long threshold = threshold(rate);
        double scale = scale(rate);
        for (int b = 0; b < batch; b++) {
            long key = sequenceKey(seed, draw, first + b);
            int[] sequence = tokens[b];
            for (int t = 1; t <= Math.min(steps, sequence.length); t++) {
                keep[t][b] = keeps(stepKey(key, site, t), sequence[t - 1], threshold) ? scale : 0.0;
            }
        }
    }

    /** {@link #fillTokenRows(double[][], int[][], int, int, long, long, long, int, double)} in float. */
    public static void fillTokenRows(float[][] keep, int[][] tokens, int steps, int batch, long seed, long draw,
                                     long first, int site, double rate) {
        long threshold = threshold(rate);
        float scale = (float) scale(rate);
        for (int b = 0; b < batch; b++) {
            long key = sequenceKey(seed, draw, first + b);
            int[] sequence = tokens[b];
            for (int t = 1; t <= Math.min(steps, sequence.length); t++) {
                keep[t][b] = keeps(stepKey(key, site, t), sequence[t - 1], threshold) ? scale : 0.0f;
            }
        }
    }

    /** A recurrent mask of every lane: {@code mask[j][b]}, as {@link #fill} gives sequence first + b; 0 past the batch. */
    public static void fillLanes(double[][] mask, int size, int batch, int lanes, long seed, long draw, long first,
                                 int site, double rate) {
        long threshold = threshold(rate);
        double scale = scale(rate);
        for (int b = 0; b < batch; b++) {
            long step = stepKey(sequenceKey(seed, draw, first + b), site, 0);
            for (int j = 0; j < size; j++) {
                mask[j][b] = keeps(step, j, threshold) ? scale : 0.0;
            }
        }
        for (int j = 0; j < size; j++) {
            java.util.Arrays.fill(mask[j], batch, lanes, 0.0);
        }
    }

    /** {@link #fillLanes(double[][], int, int, int, long, long, long, int, double)} in float. */
    public static void fillLanes(float[][] mask, int size, int batch, int lanes, long seed, long draw, long first,
                                 int site, double rate) {
        long threshold = threshold(rate);
        float scale = (float) scale(rate);
        for (int b = 0; b < batch; b++) {
            long step = stepKey(sequenceKey(seed, draw, first + b), site, 0);
            for (int j = 0; j < size; j++) {
                mask[j][b] = keeps(step, j, threshold) ? scale : 0.0f;
            }
        }
        for (int j = 0; j < size; j++) {
            java.util.Arrays.fill(mask[j], batch, lanes, 0.0f);
        }
    }

    /** {@code into[intoRow + k][b] = from[fromRow + k][b] · mask[maskRow + k][b]} for k &lt; count, b &lt; lanes. */
    public static void dropLanes(double[][] from, int fromRow, double[][] mask, int maskRow, double[][] into,
                                 int intoRow, int count, int lanes) {
        for (int k = 0; k < count; k++) {
            double[] x = from[fromRow + k];
            double[] m = mask[maskRow + k];
            double[] y = into[intoRow + k];
            for (int b = 0; b < lanes; b++) {
                y[b] = x[b] * m[b];
            }
        }
    }

    /** {@link #dropLanes(double[][], int, double[][], int, double[][], int, int, int)} in float. */
    public static void dropLanes(float[][] from, int fromRow, float[][] mask, int maskRow, float[][] into,
                                 int intoRow, int count, int lanes) {
        for (int k = 0; k < count; k++) {
            float[] x = from[fromRow + k];
            float[] m = mask[maskRow + k];
            float[] y = into[intoRow + k];
            for (int b = 0; b < lanes; b++) {
                y[b] = x[b] * m[b];
            }
        }
    }

    /** {@code values[row + k][b] *= mask[maskRow + k][b]} for k &lt; count, b &lt; lanes. */
    public static void multiplyLanes(double[][] values, int row, double[][] mask, int maskRow, int count, int lanes) {
        dropLanes(values, row, mask, maskRow, values, row, count, lanes);
    }

    /** {@link #multiplyLanes(double[][], int, double[][], int, int, int)} in float. */
    public static void multiplyLanes(float[][] values, int row, float[][] mask, int maskRow, int count, int lanes) {
        dropLanes(values, row, mask, maskRow, values, row, count, lanes);
    }

    /** {@code into[k][b] += from[k][b] · mask[k][b]} for k &lt; count, b &lt; lanes. */
    public static void addDropped(double[][] into, double[][] from, double[][] mask, int count, int lanes) {
        for (int k = 0; k < count; k++) {
            double[] y = into[k];
            double[] x = from[k];
            double[] m = mask[k];
            for (int b = 0; b < lanes; b++) {
                y[b] += x[b] * m[b];
            }
        }
    }

    /** {@link #addDropped(double[][], double[][], double[][], int, int)} in float. */
    public static void addDropped(float[][] into, float[][] from, float[][] mask, int count, int lanes) {
        for (int k = 0; k < count; k++) {
            float[] y = into[k];
            float[] x = from[k];
            float[] m = mask[k];
            for (int b = 0; b < lanes; b++) {
                y[b] += x[b] * m[b];
            }
        }
    }
}
