package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One sequence's products by columns with the Vector API (the tests run with the module) give the
 * plain column loop's results bit for bit: the same sums in the same order, each product rounded
 * before its addition, for every shape, including rows past the last whole vector, and nothing
 * written past the rows asked for.
 */
class VectorColumnProductsTest {
    private static final int[] ROWS = {1, 3, 7, 8, 9, 15, 16, 17, 20, 31, 32, 33, 63, 64, 65, 100, 129, 256};
    private static final int[] COLUMNS = {1, 2, 4, 5, 20, 64};
    private final SplittableRandom random = new SplittableRandom(18);

    @Test
    void theVectorAPIIsInUse() {
        assertTrue(BatchKernels.vectorised(), "these tests compare the Vector API's kernel: run with the module");
    }

    @Test
    void doubleProductsEqualThePlainLoopBitForBit() {
        for (int rows : ROWS) {
            for (int columns : COLUMNS) {
                double[][] byColumn = new double[columns][rows];
                for (double[] column : byColumn) {
                    fill(column);
                }
                double[] x = new double[columns + 3];
                fill(x);
                double[] sums = new double[rows + 2];
                fill(sums);
                double[] expected = sums.clone();
                for (int j = 0; j < columns; j++) { // the definition: column after column
                    for (int m = 0; m < rows; m++) {
                        expected[m] += byColumn[j][m] * x[3 + j];
                    }
                }
                Kernels.addMatrixVector(byColumn, x, 3, sums, rows);
                for (int m = 0; m < rows + 2; m++) {
                    assertEquals(Double.doubleToRawLongBits(expected[m]), Double.doubleToRawLongBits(sums[m]),
                            rows + "×" + columns + ", row " + m + ": " + sums[m] + " instead of " + expected[m]);
                }
            }
        }
    }

    @Test
    void floatProductsEqualThePlainLoopBitForBit() {
        for (int rows : ROWS) {
            for (int columns : COLUMNS) {
                float[][] byColumn = new float[columns][rows];
                for (float[] column : byColumn) {
                    fill(column);
                }
                float[] x = new float[columns + 3];
                fill(x);
                float[] sums = new float[rows + 2];
                fill(sums);
                float[] expected = sums.clone();
                for (int j = 0; j < columns; j++) {
                    for (int m = 0; m < rows; m++) {
                        expected[m] += byColumn[j][m] * x[3 + j];
                    }
                }
                Kernels.addMatrixVector(byColumn, x, 3, sums, rows);
                for (int m = 0; m < rows + 2; m++) {
                    assertEquals(Float.floatToRawIntBits(expected[m]), Float.floatToRawIntBits(sums[m]),
                            rows + "×" + columns + ", row " + m + ": " + sums[m] + " instead of " + expected[m]);
                }
            }
        }
    }

    /** Values of many magnitudes, so that a fused multiply-add or another order would round differently. */
    private void fill(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble(-1, 1) * Math.scalb(1.0, random.nextInt(-20, 21));
        }
    }

    private void fill(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble(-1, 1) * Math.scalb(1.0, random.nextInt(-10, 11)));
        }
    }
}
