package dev.unfold.runtime.internal;

import java.util.SplittableRandom;

/**
 * A checksum of the bits the float kernels compute on fixed inputs: the activations of a million
 * floats, and of the first hundred thousand over batch rows (with the Vector API when the JVM has
 * it: interpreted, each vector operation is a chain of calls, 80 µs a vector), a softmax, and
 * the products a float32 network's step runs. {@link FloatReproducibilityTest} compares it between
 * a JVM that only interprets ({@code -Xint}) and one whose JIT has compiled the kernels; {@link #main}
 * prints it for the former.
 */
final class FloatChecksum {
    static final int VALUES = 1_000_000;
    private static final int LANES = 32;
    private static final int ROWS = 100_000 / LANES;

    private final float[] values = new float[VALUES];
    private final float[][] rows = new float[ROWS][];
    private final float[][] activated = new float[ROWS][LANES];
    private final float[] w;
    private final float[][] x;
    private final float[][] out;
    private final float[][] deltas;
    private final float[] gradient;
    private final float[] vector;
    private final float[] sums;
    private final float[][] columns = new float[128][256];
    private final float[] logits;
    private final float[] probabilities = new float[37];

    FloatChecksum() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < VALUES; i++) {
            // half over the functions' working range, half any float at all
            values[i] = i % 2 == 0 ? (float) (random.nextDouble() * 60 - 30) : Float.intBitsToFloat(random.nextInt());
        }
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new float[LANES];
            System.arraycopy(values, r * LANES, rows[r], 0, LANES);
        }
        w = gaussian(random, 256 * 128);
        x = new float[2 * 128][];
        for (int r = 0; r < x.length; r++) {
            x[r] = gaussian(random, LANES);
        }
        out = new float[256][];
        deltas = new float[2 * 256][];
        for (int r = 0; r < deltas.length; r++) {
            deltas[r] = gaussian(random, LANES);
        }
        gradient = new float[256 * 128];
        vector = gaussian(random, 128);
        sums = new float[256];
        Kernels.columns(w, 256, 128, columns);
        logits = gaussian(random, 100 * 37);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= 30;
        }
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    long compute() {
        long hash = 1;
        for (float value : values) {
            hash = mix(hash, FloatActivations.exp(value));
            hash = mix(hash, FloatActivations.sigmoid(value));
            hash = mix(hash, FloatActivations.tanh(value));
        }
        BatchKernels.tanh(rows, 0, activated, 0, rows.length, LANES);
        hash = mix(hash, activated);
        float[][] copy = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
        }
        BatchKernels.sigmoid(copy, 0, copy.length, LANES);
        hash = mix(hash, copy);
        for (int k = 0; k < logits.length / 37; k++) {
            double logSumExp = Kernels.softmax(logits, k * 37, 37, probabilities, 0);
            hash = hash * 1_000_003 + Double.doubleToLongBits(logSumExp);
            for (float probability : probabilities) {
                hash = mix(hash, probability);
            }
        }
        for (int r = 0; r < out.length; r++) {
            out[r] = new float[LANES];
        }
        BatchKernels.addProduct(w, 256, 128, x, 0, out, 0, LANES);
        hash = mix(hash, out);
        float[][] back = new float[128][LANES];
        BatchKernels.addTransposedProduct(w, 256, 128, out, 0, back, 0, LANES);
        hash = mix(hash, back);
        java.util.Arrays.fill(gradient, 0f);
        BatchKernels.addOuterProducts(deltas, 0, 256, x, 0, 128, 2, 256, 128, gradient, LANES);
        java.util.Arrays.fill(sums, 0f);
        Kernels.addMatrixVector(w, columns, vector, 0, sums, 256);
        for (float value : gradient) {
            hash = mix(hash, value);
        }
        for (float value : sums) {
            hash = mix(hash, value);
        }
        return hash;
    }

    private static long mix(long hash, float[][] rows) {
        for (float[] row : rows) {
            for (float value : row) {
                hash = mix(hash, value);
            }
        }
        return hash;
    }

    /** Every bit of the value, NaN as one NaN (its payload is the hardware's). */
    private static long mix(long hash, float value) {
        return hash * 1_000_003 + Float.floatToIntBits(value);
    }

    public static void main(String[] args) {
        System.out.println(new FloatChecksum().compute());
    }
}
