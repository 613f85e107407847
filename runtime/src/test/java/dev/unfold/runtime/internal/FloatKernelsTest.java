package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one-sequence kernels in float, against their definitions computed in double. */
class FloatKernelsTest {
    private static final double UNIT_ROUNDOFF = 0x1p-24;
    private final SplittableRandom random = new SplittableRandom(5);

    @Test
    void columnsAndRowsCopyEveryEntryForAnyShape() {
        for (int rows = 1; rows <= 19; rows += 3) {
            for (int columns = 1; columns <= 11; columns += 2) {
                float[] matrix = uniform(rows * columns);
                float[][] byColumn = new float[columns][rows];
                float[][] byRow = new float[rows][columns];
                Kernels.columns(matrix, rows, columns, byColumn);
                Kernels.rows(matrix, rows, columns, byRow);
                for (int m = 0; m < rows; m++) {
                    for (int j = 0; j < columns; j++) {
                        assertEquals(matrix[m * columns + j], byColumn[j][m], rows + "×" + columns);
                        assertEquals(matrix[m * columns + j], byRow[m][j], rows + "×" + columns);
                    }
                }
            }
        }
    }

    @Test
    void columnsIfChangedCopiesExactlyWhenTheMatrixChanged() {
        float[] matrix = {1, 2, 3, 4, 5, 6};
        float[] copied = new float[6];
        float[][] columns = new float[3][2];
        Kernels.copyColumnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(6f, columns[2][1]);
        columns[2][1] = -1; // a copy left alone is not remade
        Kernels.copyColumnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(-1f, columns[2][1]);
        matrix[5] = 7; // any change to the matrix is seen
        Kernels.copyColumnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(7f, columns[2][1]);
        assertEquals(4f, columns[0][1]);
        float[][] small = new float[3][2];
        Kernels.columnsIfChanged(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, new float[6], small);
        assertEquals(6f, small[2][1], "a small matrix is copied by columns");
    }

    /**
     * Every float matrix by its column copies, whatever its size: within float rounding of the
     * sums, (n + 2) · 2^−24 · Σ|terms|.
     */
    @Test
    void matrixVectorProductsAreTheirSumsToFloatRounding() {
        for (int[] size : new int[][] {{3, 5}, {17, 9}, {64, 64}, {256, 128}, {37, 129}}) {
            int rows = size[0], columns = size[1];
            float[] matrix = uniform(rows * columns);
            float[][] columnCopies = new float[columns][rows];
            Kernels.columnsIfChanged(matrix, rows, columns, new float[rows * columns], columnCopies);
            assertEquals(matrix[rows * columns - 1], columnCopies[columns - 1][rows - 1],
                    "a float matrix is always read by its column copies, which are made");
            float[] x = uniform(columns + 1);
            float[] sums = uniform(rows);
            float[] byColumns = sums.clone();
            double[] expected = new double[rows];
            double[] bound = new double[rows];
            for (int m = 0; m < rows; m++) {
                expected[m] = sums[m];
                bound[m] = Math.abs(sums[m]);
                for (int j = 0; j < columns; j++) {
                    double term = (double) matrix[m * columns + j] * x[1 + j];
                    expected[m] += term;
                    bound[m] += Math.abs(term);
                }
                bound[m] *= (columns + 2) * UNIT_ROUNDOFF;
            }
            Kernels.addMatrixVector(matrix, columnCopies, x, 1, sums, rows);
            float[][] fresh = new float[columns][rows];
            Kernels.columns(matrix, rows, columns, fresh);
            Kernels.addMatrixVector(fresh, x, 1, byColumns, rows);
            for (int m = 0; m < rows; m++) {
                assertTrue(Math.abs(sums[m] - expected[m]) <= bound[m], rows + "×" + columns + ", row " + m);
                assertTrue(Math.abs(byColumns[m] - expected[m]) <= bound[m], rows + "×" + columns + " by columns, row " + m);
            }
        }
    }

    @Test
    void addScaledAndAddRowsIntoAreExactWhereTheDoubleOnesAre() {
        float[] x = {1, 2, 3, 0.5f};
        float[] y = {1, 1, 1, 1};
        Kernels.addScaled(2f, x, y, 3);
        assertArrayEquals(new float[] {3, 5, 7, 1}, y, 0f);
        float[][] rows = {{1, 2}, {3, 4}};
        float[] matrix = {10, 20, 30, 40};
        Kernels.addRowsInto(rows, matrix, 2);
        assertArrayEquals(new float[] {11, 22, 33, 44}, matrix, 0f);
        assertArrayEquals(new float[2], rows[1], 0f, "rows zeroed");
    }

    @Test
    void softmaxSumsToOneAndReturnsTheLogSumExpWithoutOverflow() {
        float[] logits = {0, 800, 799, -5, 801, 3};
        float[] out = new float[8];
        double logSumExp = Kernels.softmax(logits, 1, 4, out, 2); // 800, 799, -5, 801
        double shiftedSum = Math.exp(-1) + Math.exp(-2) + Math.exp(-806) + 1;
        assertEquals(801 + Math.log(shiftedSum), logSumExp, 1e-6, "the sum of four floats, each within 2 ulps");
        double sum = 0;
        for (int k = 0; k < 4; k++) {
            double expected = Math.exp(logits[1 + k] - 801) / shiftedSum;
            assertEquals(expected, out[2 + k], 3 * Math.ulp((float) expected), "probability " + k);
            sum += out[2 + k];
        }
        assertEquals(1.0, sum, 4 * UNIT_ROUNDOFF);
        assertEquals(0f, out[0]);
        assertEquals(0f, out[6]);
        assertEquals(0f, out[4], "e^−806 underflows to 0 in float");
    }

    private float[] uniform(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
