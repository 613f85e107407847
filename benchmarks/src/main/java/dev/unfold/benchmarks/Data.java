package dev.unfold.benchmarks;

import java.util.SplittableRandom;

/** Reproducible random inputs and targets for the workloads: the values do not change the work done. */
final class Data {
    private Data() {}

    static double[][] gaussian(SplittableRandom random, int rows, int columns) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = nextGaussian(random);
            }
        }
        return values;
    }

    /** The values rounded to float, for a float32 network: the same data in its precision. */
    static float[][] rounded(double[][] values) {
        float[][] rounded = new float[values.length][];
        for (int t = 0; t < values.length; t++) {
            rounded[t] = new float[values[t].length];
            for (int j = 0; j < values[t].length; j++) {
                rounded[t][j] = (float) values[t][j];
            }
        }
        return rounded;
    }

    static int[] indices(SplittableRandom random, int length, int bound) {
        return random.ints(length, 0, bound).toArray();
    }

    private static double nextGaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian on Java 17
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
