package dev.unfold.runtime.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One sequence's matrix-vector products by the matrix's columns, {@code sums[m] += Σ_j columns[j][m]
 * · x[xOffset + j]}, with the Vector API: {@link Kernels#addMatrixVector(double[][], double[], int,
 * double[], int)} when the module is there (only then is this class loaded).
 *
 * <p>The plain loop adds one column at a time into {@code sums}, which the JIT vectorises but must
 * load and store again for every column: a store per vector of multiply-adds, and a loop set-up per
 * column that a short column (20 rows in a small network) pays in full. Here four vectors of sums
 * stay in registers over every column, so a column costs one load per vector. Each sum is still
 * added column after column, a product rounded and then the addition rounded, as in the plain loop:
 * the results are the same bit for bit, with or without the Vector API, on any vector width.
 * Kernels calls it from {@link Kernels#VECTOR_COLUMN_ROWS} rows on.
 */
final class VectorColumnProducts {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();
    private static final VectorSpecies<Float> FLOAT_SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int FLOAT_LENGTH = FLOAT_SPECIES.length();

    private VectorColumnProducts() {}

    static void addMatrixVector(double[][] columns, double[] x, int xOffset, double[] sums, int rows) {
        int m = 0;
        for (; m + 4 * LENGTH <= rows; m += 4 * LENGTH) {
            DoubleVector s0 = DoubleVector.fromArray(SPECIES, sums, m);
            DoubleVector s1 = DoubleVector.fromArray(SPECIES, sums, m + LENGTH);
            DoubleVector s2 = DoubleVector.fromArray(SPECIES, sums, m + 2 * LENGTH);
            DoubleVector s3 = DoubleVector.fromArray(SPECIES, sums, m + 3 * LENGTH);
            for (int j = 0; j < columns.length; j++) {
                double[] column = columns[j];
                DoubleVector xj = DoubleVector.broadcast(SPECIES, x[xOffset + j]);
                // mul, then add: the plain loop's two roundings, not a fused multiply-add's one
                s0 = s0.add(DoubleVector.fromArray(SPECIES, column, m).mul(xj));
                s1 = s1.add(DoubleVector.fromArray(SPECIES, column, m + LENGTH).mul(xj));
                s2 = s2.add(DoubleVector.fromArray(SPECIES, column, m + 2 * LENGTH).mul(xj));
                s3 = s3.add(DoubleVector.fromArray(SPECIES, column, m + 3 * LENGTH).mul(xj));
            }
            s0.intoArray(sums, m);
            s1.intoArray(sums, m + LENGTH);
            s2.intoArray(sums, m + 2 * LENGTH);
            s3.intoArray(sums, m + 3 * LENGTH);
        }
        for (; m + LENGTH <= rows; m += LENGTH) {
            DoubleVector s = DoubleVector.fromArray(SPECIES, sums, m);
            for (int j = 0; j < columns.length; j++) {
                s = s.add(DoubleVector.fromArray(SPECIES, columns[j], m).mul(x[xOffset + j]));
            }
            s.intoArray(sums, m);
        }
        if (m < rows) {
            addRemainingRows(columns, x, xOffset, sums, m, rows);
        }
    }

    /** {@link #addMatrixVector(double[][], double[], int, double[], int)} in float. */
    static void addMatrixVector(float[][] columns, float[] x, int xOffset, float[] sums, int rows) {
        int m = 0;
        for (; m + 4 * FLOAT_LENGTH <= rows; m += 4 * FLOAT_LENGTH) {
            FloatVector s0 = FloatVector.fromArray(FLOAT_SPECIES, sums, m);
            FloatVector s1 = FloatVector.fromArray(FLOAT_SPECIES, sums, m + FLOAT_LENGTH);
            FloatVector s2 = FloatVector.fromArray(FLOAT_SPECIES, sums, m + 2 * FLOAT_LENGTH);
            FloatVector s3 = FloatVector.fromArray(FLOAT_SPECIES, sums, m + 3 * FLOAT_LENGTH);
            for (int j = 0; j < columns.length; j++) {
                float[] column = columns[j];
                FloatVector xj = FloatVector.broadcast(FLOAT_SPECIES, x[xOffset + j]);
                s0 = s0.add(FloatVector.fromArray(FLOAT_SPECIES, column, m).mul(xj));
                s1 = s1.add(FloatVector.fromArray(FLOAT_SPECIES, column, m + FLOAT_LENGTH).mul(xj));
                s2 = s2.add(FloatVector.fromArray(FLOAT_SPECIES, column, m + 2 * FLOAT_LENGTH).mul(xj));
                s3 = s3.add(FloatVector.fromArray(FLOAT_SPECIES, column, m + 3 * FLOAT_LENGTH).mul(xj));
            }
            s0.intoArray(sums, m);
            s1.intoArray(sums, m + FLOAT_LENGTH);
            s2.intoArray(sums, m + 2 * FLOAT_LENGTH);
            s3.intoArray(sums, m + 3 * FLOAT_LENGTH);
        }
        for (; m + FLOAT_LENGTH <= rows; m += FLOAT_LENGTH) {
            FloatVector s = FloatVector.fromArray(FLOAT_SPECIES, sums, m);
            for (int j = 0; j < columns.length; j++) {
                s = s.add(FloatVector.fromArray(FLOAT_SPECIES, columns[j], m).mul(x[xOffset + j]));
            }
            s.intoArray(sums, m);
        }
        if (m < rows) {
            addRemainingRows(columns, x, xOffset, sums, m, rows);
        }
    }

    /** The rows past the last whole vector, column by column as the plain loop adds them. */
    private static void addRemainingRows(double[][] columns, double[] x, int xOffset, double[] sums, int from,
                                         int rows) {
        for (int j = 0; j < columns.length; j++) {
            double xj = x[xOffset + j];
            double[] column = columns[j];
            for (int m = from; m < rows; m++) {
                sums[m] += column[m] * xj;
            }
        }
    }

    /** {@link #addRemainingRows(double[][], double[], int, double[], int, int)} in float. */
    private static void addRemainingRows(float[][] columns, float[] x, int xOffset, float[] sums, int from,
                                         int rows) {
        for (int j = 0; j < columns.length; j++) {
            float xj = x[xOffset + j];
            float[] column = columns[j];
            for (int m = from; m < rows; m++) {
                sums[m] += column[m] * xj;
            }
        }
    }
}
