package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KernelsTest {

    @Test
    void columnsAndRowsCopyEveryEntryForAnyShape() {
        for (int rows = 1; rows <= 19; rows += 3) {
            for (int columns = 1; columns <= 11; columns += 2) {
                double[] matrix = new double[rows * columns];
                for (int i = 0; i < matrix.length; i++) {
                    matrix[i] = i + 1;
                }
                double[][] byColumn = new double[columns][rows];
                double[][] byRow = new double[rows][columns];
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
    void softmaxSumsToOneAndReturnsTheLogSumExpWithoutOverflow() {
        double[] logits = {0, 800, 799, -5, 801, 3};
        double[] out = new double[8];
        double logSumExp = Kernels.softmax(logits, 1, 4, out, 2); // 800, 799, -5, 801
        // the reference shifts by the largest logit too: exp(o − logSumExp) would inherit the
        // rounding of a number near 801 (an ulp of 1e-13), which says nothing about the kernel
        double shiftedSum = Math.exp(-1) + Math.exp(-2) + Math.exp(-806) + 1;
        assertEquals(801 + Math.log(shiftedSum), logSumExp, 1e-12);
        double sum = 0;
        for (int k = 0; k < 4; k++) {
            double expected = Math.exp(logits[1 + k] - 801) / shiftedSum;
            assertEquals(expected, out[2 + k], 1e-16 + 2e-16 * expected);
            sum += out[2 + k];
        }
        assertEquals(1.0, sum, 1e-15);
        assertEquals(0.0, out[0]);
        assertEquals(0.0, out[6]);
    }

    @Test
    void columnsIfChangedCopiesExactlyWhenTheMatrixChanged() {
        double[] matrix = {1, 2, 3, 4, 5, 6};
        double[] copied = new double[6];
        double[][] columns = new double[3][2];
        Kernels.copyColumnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(6.0, columns[2][1]);
        columns[2][1] = -1; // a copy left alone is not remade
        Kernels.copyColumnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(-1.0, columns[2][1]);
        matrix[5] = 7; // any change to the matrix is seen
        Kernels.copyColumnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(7.0, columns[2][1]);
        assertEquals(4.0, columns[0][1]);
    }

    @Test
    void withTheVectorApiLargeMatricesAreReadAsTheyAre() {
        // this module's tests run with the Vector API
        int rows = 64, columns = 64;
        double[] matrix = new double[rows * columns];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = Math.sin(i);
        }
        double[][] columnCopies = new double[columns][rows];
        Kernels.columnsIfChanged(matrix, rows, columns, new double[rows * columns], columnCopies);
        assertEquals(0.0, columnCopies[1][0], "no copy made");
        double[] x = new double[columns + 1];
        java.util.Arrays.fill(x, 1, columns + 1, 0.5);
        double[] sums = new double[rows];
        Kernels.addMatrixVector(matrix, columnCopies, x, 1, sums, rows);
        for (int m = 0; m < rows; m++) {
            double expected = 0;
            for (int j = 0; j < columns; j++) {
                expected += matrix[m * columns + j] * 0.5;
            }
            assertEquals(expected, sums[m], 1e-13);
        }
        double[][] small = new double[3][2];
        Kernels.columnsIfChanged(new double[] {1, 2, 3, 4, 5, 6}, 2, 3, new double[6], small);
        assertEquals(6.0, small[2][1], "a small matrix is copied by columns");
    }
}
