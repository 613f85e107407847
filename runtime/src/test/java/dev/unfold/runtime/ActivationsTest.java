package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    @Test
    void tanhIsWithinOneInTenTrillionOfMathTanh() {
        SplittableRandom random = new SplittableRandom(1);
        double worst = 0;
        // every scale where the formula changes: the series, its limit, the exp form, saturation
        for (double scale : new double[] {1e-300, 1e-8, 1e-3, 0.019, 0.049, 0.051, 0.5, 3, 19, 25}) {
            for (int i = 0; i < 200_000; i++) {
                double x = scale * (2 * random.nextDouble() - 1) * 1.1;
                worst = Math.max(worst, relativeError(Activations.tanh(x), Math.tanh(x)));
            }
        }
        assertTrue(worst < 1e-14, "largest relative error " + worst);
    }

    @Test
    void tanhAtTheEdges() {
        assertEquals(0.0, Activations.tanh(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Activations.tanh(-0.0)));
        assertEquals(1.0, Activations.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Activations.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Activations.tanh(700));
        assertEquals(-1.0, Activations.tanh(-20));
        assertTrue(Double.isNaN(Activations.tanh(Double.NaN)));
    }

    @Test
    void sigmoidMatchesItsDefinitionWithoutOverflow() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 100_000; i++) {
            double u = 40 * (2 * random.nextDouble() - 1);
            double expected = 1 / (1 + Math.exp(-u));
            assertTrue(relativeError(Activations.sigmoid(u), expected) < 1e-15, "σ(" + u + ")");
        }
        assertEquals(0.0, Activations.sigmoid(-1000));
        assertEquals(1.0, Activations.sigmoid(1000));
    }

    @Test
    void dotMatchesTheSequentialSumForEveryLength() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n <= 40; n++) {
            double[] a = new double[n + 3];
            double[] b = new double[n + 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextDouble() - 0.5;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextDouble() - 0.5;
            }
            double expected = 0;
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                expected += a[2 + i] * b[4 + i];
                magnitude += Math.abs(a[2 + i] * b[4 + i]);
            }
            assertEquals(expected, Kernels.dot(a, 2, b, 4, n), 1e-15 * Math.max(1, magnitude), "n = " + n);
        }
    }

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
        Kernels.columnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(6.0, columns[2][1]);
        columns[2][1] = -1; // a copy left alone is not remade
        Kernels.columnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(-1.0, columns[2][1]);
        matrix[5] = 7; // any change to the matrix is seen
        Kernels.columnsIfChanged(matrix, 2, 3, copied, columns);
        assertEquals(7.0, columns[2][1]);
        assertEquals(4.0, columns[0][1]);
    }

    private static double relativeError(double actual, double expected) {
        return expected == 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
    }
}
