package dev.unfold.runtime.internal;

import java.util.SplittableRandom;

/**
 * A checksum of the bits the double activations compute on fixed inputs: {@link DoubleActivations}' exp,
 * σ and tanh of a million doubles, and σ and tanh of the first fifty thousand over batch rows (with
 * the Vector API when the JVM has it: interpreted, each vector operation is a chain of calls).
 * {@link DoubleReproducibilityTest} compares it between a JVM that only interprets ({@code -Xint})
 * and one whose JIT has compiled the functions; {@link #main} prints it for the former.
 */
final class DoubleChecksum {
    static final int VALUES = 1_000_000;
    private static final int LANES = 32;
    private static final int ROWS = 50_000 / LANES;

    private final double[] values = new double[VALUES];
    private final double[][] rows = new double[ROWS][];
    private final double[][] activated = new double[ROWS][LANES];

    DoubleChecksum() {
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < VALUES; i++) {
            // half over the functions' working range, half any double at all
            values[i] = i % 2 == 0 ? random.nextDouble() * 100 - 60 : Double.longBitsToDouble(random.nextLong());
        }
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new double[LANES];
            System.arraycopy(values, r * LANES, rows[r], 0, LANES);
        }
    }

    long compute() {
        long hash = 1;
        for (double value : values) {
            hash = mix(hash, DoubleActivations.exp(value));
            hash = mix(hash, DoubleActivations.sigmoid(value));
            hash = mix(hash, DoubleActivations.tanh(value));
        }
        BatchKernels.tanh(rows, 0, activated, 0, rows.length, LANES);
        hash = mix(hash, activated);
        double[][] copy = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
        }
        BatchKernels.sigmoid(copy, 0, copy.length, LANES);
        return mix(hash, copy);
    }

    private static long mix(long hash, double[][] rows) {
        for (double[] row : rows) {
            for (double value : row) {
                hash = mix(hash, value);
            }
        }
        return hash;
    }

    /** Every bit of the value, NaN as one NaN (its payload is the hardware's). */
    private static long mix(long hash, double value) {
        return hash * 1_000_003 + Double.doubleToLongBits(value);
    }

    public static void main(String[] args) {
        System.out.println(new DoubleChecksum().compute());
    }
}
