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
 * load of x_t's block and a broadcast of d_t[m]. Each sum is one chain of fused multiply-adds over
 * the steps, first to last, from zero, then added to the gradient; columns past the last whole vector
 * run the same chain with {@code Math.fma}, four rows at a time so that four chains run side by side.
 * Exactly rounded operations in a fixed order: the same bits in every JIT tier and on any vector
 * width, within rounding of the plain loops' (a product rounded before its addition).
 *
 * <p>Fused, not a multiply then an add, also because Java 17's and 25's JIT boxed the vectors of the
 * multiply-then-add form under class-check trap pressure ({@code -XX:PerMethodTrapLimit=0}: 77 MB a
 * W6 training step, and 870 KB a W1 step in about one unflagged Java 17 run of fourteen), as it does
 * {@link VectorColumnProducts}; the fused form, like the batch kernels, allocates nothing there.
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
                    DoubleVector a = DoubleVector.broadcast(SPECIES, d[dAt]);
                    s0 = DoubleVector.fromArray(SPECIES, x, xAt).fma(a, s0);
                    s1 = DoubleVector.fromArray(SPECIES, x, xAt + LENGTH).fma(a, s1);
                    s2 = DoubleVector.fromArray(SPECIES, x, xAt + 2 * LENGTH).fma(a, s2);
                    s3 = DoubleVector.fromArray(SPECIES, x, xAt + 3 * LENGTH).fma(a, s3);
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
                    s = DoubleVector.fromArray(SPECIES, x, xAt).fma(DoubleVector.broadcast(SPECIES, d[dAt]), s);
                }
                int at = m * columns + j;
                DoubleVector.fromArray(SPECIES, gradient, at).add(s).intoArray(gradient, at);
            }
        }
        for (; j < columns; j++) {
            int m = 0;
            for (; m + 4 <= rows; m += 4) { // four rows' sums at once: four independent chains
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    double xj = x[xAt];
                    s0 = Math.fma(d[dAt], xj, s0);
                    s1 = Math.fma(d[dAt + 1], xj, s1);
                    s2 = Math.fma(d[dAt + 2], xj, s2);
                    s3 = Math.fma(d[dAt + 3], xj, s3);
                }
                int at = m * columns + j;
                gradient[at] += s0;
                gradient[at + columns] += s1;
                gradient[at + 2 * columns] += s2;
                gradient[at + 3 * columns] += s3;
            }
            for (; m < rows; m++) {
                double s = 0;
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    s = Math.fma(d[dAt], x[xAt], s);
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
                    FloatVector a = FloatVector.broadcast(FLOAT_SPECIES, d[dAt]);
                    s0 = FloatVector.fromArray(FLOAT_SPECIES, x, xAt).fma(a, s0);
                    s1 = FloatVector.fromArray(FLOAT_SPECIES, x, xAt + FLOAT_LENGTH).fma(a, s1);
                    s2 = FloatVector.fromArray(FLOAT_SPECIES, x, xAt + 2 * FLOAT_LENGTH).fma(a, s2);
                    s3 = FloatVector.fromArray(FLOAT_SPECIES, x, xAt + 3 * FLOAT_LENGTH).fma(a, s3);
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
                    s = FloatVector.fromArray(FLOAT_SPECIES, x, xAt).fma(FloatVector.broadcast(FLOAT_SPECIES, d[dAt]), s);
                }
                int at = m * columns + j;
                FloatVector.fromArray(FLOAT_SPECIES, gradient, at).add(s).intoArray(gradient, at);
            }
        }
        for (; j < columns; j++) {
            int m = 0;
            for (; m + 4 <= rows; m += 4) { // four rows' sums at once: four independent chains
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    float xj = x[xAt];
                    s0 = Math.fma(d[dAt], xj, s0);
                    s1 = Math.fma(d[dAt + 1], xj, s1);
                    s2 = Math.fma(d[dAt + 2], xj, s2);
                    s3 = Math.fma(d[dAt + 3], xj, s3);
                }
                int at = m * columns + j;
                gradient[at] += s0;
                gradient[at + columns] += s1;
                gradient[at + 2 * columns] += s2;
                gradient[at + 3 * columns] += s3;
            }
            for (; m < rows; m++) {
                float s = 0;
                int dAt = rows + m;
                int xAt = xFrom + j;
                for (int t = 0; t < steps; t++, dAt += rows, xAt += xStride) {
                    s = Math.fma(d[dAt], x[xAt], s);
                }
                gradient[m * columns + j] += s;
            }
        }
    }
}
