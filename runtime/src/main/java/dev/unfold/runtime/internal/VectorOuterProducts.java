package dev.unfold.runtime.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One sequence's weight gradient Σ_t d_t x_tᵀ with the Vector API: {@link Kernels#addOuterProducts}
 * when the module is there (only then is this class loaded).
 *
 * <p>The plain loops add d_t[m] · x_t into a row of sums for every step and row, a loop set-up, a
 * load and a store per vector of multiply-adds. Here, for each row m and each block of four vectors
 * of columns, the sums stay in registers over every step and reach the gradient once: a step costs a
 * load of x_t's block and a broadcast of d_t[m]. Each sum is still its terms added step after step
 * from zero, each product rounded and then the addition (not a fused multiply-add), and then added to
 * the gradient, as the plain loops do: the same bits, with or without the Vector API, on any width.
 */
final class VectorOuterProducts {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();
    private static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int FLOAT_LENGTH = FLOAT_SPECIES.length();

    private VectorOuterProducts() {}

    /** See {@link Kernels#addOuterProducts(double[], double[], int, int, int, int, int, double[], double[], double[][])}. */
    static void addOuterProducts(double[] d, double[] x, int xFrom, int xStride, int steps, int rows, int columns,
                                 double[] gradient) {
        int j = 0;
        for (; j + 4 * LENGTH <= columns; j += 4 * LENGTH) {
            for (int m = 0; m < rows; m++) {
                DoubleVector s0 = DoubleVector.zero(SPECIES);
                DoubleVector s1 = s0;
                DoubleVector s2 = s0;
                DoubleVector s3 = s0;
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    double a = d[dAt];
                    s0 = s0.add(DoubleVector.fromArray(SPECIES, x, xAt).mul(a));
                    s1 = s1.add(DoubleVector.fromArray(SPECIES, x, xAt + LENGTH).mul(a));
                    s2 = s2.add(DoubleVector.fromArray(SPECIES, x, xAt + 2 * LENGTH).mul(a));
                    s3 = s3.add(DoubleVector.fromArray(SPECIES, x, xAt + 3 * LENGTH).mul(a));
                }
                int at = m * columns + j;
                DoubleVector.fromArray(SPECIES, gradient, at).add(s0).intoArray(gradient, at);
                DoubleVector.fromArray(SPECIES, gradient, at + LENGTH).add(s1).intoArray(gradient, at + LENGTH);
                DoubleVector.fromArray(SPECIES, gradient, at + 2 * LENGTH).add(s2).intoArray(gradient, at + 2 * LENGTH);
                DoubleVector.fromArray(SPECIES, gradient, at + 3 * LENGTH).add(s3).intoArray(gradient, at + 3 * LENGTH);
            }
        }
        for (; j + LENGTH <= columns; j += LENGTH) {
            for (int m = 0; m < rows; m++) {
                DoubleVector s = DoubleVector.zero(SPECIES);
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    s = s.add(DoubleVector.fromArray(SPECIES, x, xAt).mul(d[dAt]));
                }
                int at = m * columns + j;
                DoubleVector.fromArray(SPECIES, gradient, at).add(s).intoArray(gradient, at);
            }
        }
        for (; j < columns; j++) {
            for (int m = 0; m < rows; m++) {
                double s = 0;
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    s += d[dAt] * x[xAt];
                }
                gradient[m * columns + j] += s;
            }
        }
    }

    /** {@link #addOuterProducts(double[], double[], int, int, int, int, int, double[])} in float. */
    static void addOuterProducts(float[] d, float[] x, int xFrom, int xStride, int steps, int rows, int columns,
                                 float[] gradient) {
        int j = 0;
        for (; j + 4 * FLOAT_LENGTH <= columns; j += 4 * FLOAT_LENGTH) {
            for (int m = 0; m < rows; m++) {
                FloatVector s0 = FloatVector.zero(FLOAT_SPECIES);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    float a = d[dAt];
                    s0 = s0.add(FloatVector.fromArray(FLOAT_SPECIES, x, xAt).mul(a));
                    s1 = s1.add(FloatVector.fromArray(FLOAT_SPECIES, x, xAt + FLOAT_LENGTH).mul(a));
                    s2 = s2.add(FloatVector.fromArray(FLOAT_SPECIES, x, xAt + 2 * FLOAT_LENGTH).mul(a));
                    s3 = s3.add(FloatVector.fromArray(FLOAT_SPECIES, x, xAt + 3 * FLOAT_LENGTH).mul(a));
                }
                int at = m * columns + j;
                FloatVector.fromArray(FLOAT_SPECIES, gradient, at).add(s0).intoArray(gradient, at);
                FloatVector.fromArray(FLOAT_SPECIES, gradient, at + FLOAT_LENGTH).add(s1)
                        .intoArray(gradient, at + FLOAT_LENGTH);
                FloatVector.fromArray(FLOAT_SPECIES, gradient, at + 2 * FLOAT_LENGTH).add(s2)
                        .intoArray(gradient, at + 2 * FLOAT_LENGTH);
                FloatVector.fromArray(FLOAT_SPECIES, gradient, at + 3 * FLOAT_LENGTH).add(s3)
                        .intoArray(gradient, at + 3 * FLOAT_LENGTH);
            }
        }
        for (; j + FLOAT_LENGTH <= columns; j += FLOAT_LENGTH) {
            for (int m = 0; m < rows; m++) {
                FloatVector s = FloatVector.zero(FLOAT_SPECIES);
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    s = s.add(FloatVector.fromArray(FLOAT_SPECIES, x, xAt).mul(d[dAt]));
                }
                int at = m * columns + j;
                FloatVector.fromArray(FLOAT_SPECIES, gradient, at).add(s).intoArray(gradient, at);
            }
        }
        for (; j < columns; j++) {
            for (int m = 0; m < rows; m++) {
                float s = 0;
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    s += d[dAt] * x[xAt];
                }
                gradient[m * columns + j] += s;
            }
        }
    }
}
