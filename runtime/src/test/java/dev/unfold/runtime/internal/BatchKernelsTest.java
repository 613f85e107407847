package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both implementations of the batch products against the sums written out naively, on sizes
 * that exercise every blocked path and every remainder (rows not a multiple of 4, lanes of one,
 * two and four vectors, reductions of one).
 */
class BatchKernelsTest {
    private static final double TOLERANCE = 1e-12;
    private static final int[][] SIZES = {{1, 1, 8}, {4, 4, 8}, {5, 3, 16}, {7, 9, 24}, {8, 5, 32}, {13, 17, 40},
            {12, 6, 64}, {3, 1, 32}, {16, 8, 8}, {9, 24, 32}, {6, 32, 16}, {11, 64, 8}};

    private final SplittableRandom random = new SplittableRandom(7);

    private static List<BatchOperations> implementations() {
        // this module's tests run with --add-modules jdk.incubator.vector (see its pom)
        return List.of(new ScalarBatchOperations(), new VectorBatchOperations());
    }

    @Test
    void theTestsRunWithTheVectorApi() {
        assertTrue(BatchKernels.vectorised(), "surefire's argLine adds jdk.incubator.vector");
    }

    @Test
    void lanesArePaddedToAMultipleOfEight() {
        assertEquals(8, BatchKernels.lanes(1));
        assertEquals(8, BatchKernels.lanes(8));
        assertEquals(16, BatchKernels.lanes(9));
        assertEquals(32, BatchKernels.lanes(32));
    }

    @Test
    void productAndTransposedProductEqualTheirSums() {
        for (BatchOperations products : implementations()) {
            for (int[] size : SIZES) {
                int rows = size[0], columns = size[1], lanes = size[2];
                double[] w = gaussian(rows * columns);
                double[][] x = gaussianRows(columns + 2, lanes);
                double[][] out = gaussianRows(rows + 3, lanes);
                double[][] expected = copy(out);
                for (int m = 0; m < rows; m++) {
                    for (int b = 0; b < lanes; b++) {
                        for (int j = 0; j < columns; j++) {
                            expected[3 + m][b] += w[m * columns + j] * x[2 + j][b];
                        }
                    }
                }
                products.multiplyAdd(w, 0, columns, 1, rows, columns, x, 2, out, 3, lanes);
                assertRowsEqual(expected, out, products + " W x " + rows + "×" + columns + " lanes " + lanes);

                double[][] d = gaussianRows(rows + 1, lanes);
                double[][] into = gaussianRows(columns, lanes);
                double[][] expectedInto = copy(into);
                for (int j = 0; j < columns; j++) {
                    for (int b = 0; b < lanes; b++) {
                        for (int m = 0; m < rows; m++) {
                            expectedInto[j][b] += w[m * columns + j] * d[1 + m][b];
                        }
                    }
                }
                products.multiplyAdd(w, 0, 1, columns, columns, rows, d, 1, into, 0, lanes);
                assertRowsEqual(expectedInto, into, products + " Wᵀ d " + rows + "×" + columns + " lanes " + lanes);
            }
        }
    }

    @Test
    void oneSequencesMatrixVectorProductEqualsItsSums() {
        for (BatchOperations operations : implementations()) {
            for (int[] size : SIZES) {
                int rows = size[0], columns = size[1] + size[2]; // columns with and without a remainder
                double[] w = gaussian(rows * columns);
                double[] x = gaussian(columns + 3);
                double[] sums = gaussian(rows);
                double[] expected = sums.clone();
                for (int m = 0; m < rows; m++) {
                    for (int j = 0; j < columns; j++) {
                        expected[m] += w[m * columns + j] * x[3 + j];
                    }
                }
                operations.addMatrixVector(w, rows, columns, x, 3, sums);
                assertArrayEquals(expected, sums, TOLERANCE, operations + " W x, " + rows + "×" + columns);
            }
        }
    }

    /**
     * The vector product's exact order, bit for bit: each lane l sums the products of the columns
     * j ≡ l (mod the vector's length) by fused multiply-adds, the lanes are then added first to
     * last, then the columns past the last whole vector. Any other order of the lanes' sum would
     * change the results in their last bits, which a faster sum must not.
     */
    @Test
    void oneSequencesVectorProductAddsEachRowsLanesFirstToLast() {
        int length = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length();
        for (int[] size : SIZES) {
            int rows = size[0], columns = size[1] + size[2];
            double[] w = gaussian(rows * columns);
            double[] x = gaussian(columns + 3);
            double[] sums = gaussian(rows);
            double[] expected = sums.clone();
            int vectorColumns = columns / length * length;
            for (int m = 0; m < rows; m++) {
                double[] lanes = new double[length];
                for (int j = 0; j < vectorColumns; j++) {
                    lanes[j % length] = Math.fma(w[m * columns + j], x[3 + j], lanes[j % length]);
                }
                double t = lanes[0];
                for (int l = 1; l < length; l++) {
                    t += lanes[l];
                }
                for (int j = vectorColumns; j < columns; j++) {
                    t += w[m * columns + j] * x[3 + j];
                }
                expected[m] += t;
            }
            new VectorBatchOperations().addMatrixVector(w, rows, columns, x, 3, sums);
            for (int m = 0; m < rows; m++) {
                assertEquals(Double.doubleToLongBits(expected[m]), Double.doubleToLongBits(sums[m]),
                        "W x, " + rows + "×" + columns + ", row " + m);
            }
        }
    }

    @Test
    void outerProductsSumOverStepsAndLanes() {
        for (BatchOperations products : implementations()) {
            for (int[] size : SIZES) {
                int rows = size[0], columns = size[1], lanes = size[2];
                int steps = 3, dStride = rows + 1, xStride = columns + 2;
                double[][] d = gaussianRows(1 + steps * dStride, lanes);
                double[][] x = gaussianRows(2 + steps * xStride, lanes);
                double[] gradient = gaussian(rows * columns);
                double[] expected = gradient.clone();
                for (int m = 0; m < rows; m++) {
                    for (int j = 0; j < columns; j++) {
                        for (int s = 0; s < steps; s++) {
                            for (int b = 0; b < lanes; b++) {
                                expected[m * columns + j] += d[1 + s * dStride + m][b] * x[2 + s * xStride + j][b];
                            }
                        }
                    }
                }
                products.addOuterProducts(d, 1, dStride, x, 2, xStride, steps, rows, columns, gradient, 0, lanes);
                assertArrayEquals(expected, gradient, TOLERANCE, products + " δxᵀ " + rows + "×" + columns);
            }
        }
    }

    @Test
    void twoCoresGiveOneCoresResultsBitForBit() throws Exception {
        for (BatchOperations one : implementations()) {
            BatchOperations two = new TwoCoreOperations(one);
            int rows = 103, columns = 72, lanes = 32, steps = 5; // above the hand-over threshold, odd row count
            double[] w = gaussian(rows * columns);
            double[][] x = gaussianRows(columns, lanes);
            double[][] expected = gaussianRows(rows, lanes);
            double[][] actual = copy(expected);
            one.multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, expected, 0, lanes);
            two.multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, actual, 0, lanes);
            assertRowsEqual(expected, actual, 0, one + " on two cores, W x");

            double[][] d = gaussianRows(steps * rows, lanes);
            double[][] xs = gaussianRows(steps * columns, lanes);
            double[] gradient = gaussian(rows * columns);
            double[] twoGradient = gradient.clone();
            one.addOuterProducts(d, 0, rows, xs, 0, columns, steps, rows, columns, gradient, 0, lanes);
            two.addOuterProducts(d, 0, rows, xs, 0, columns, steps, rows, columns, twoGradient, 0, lanes);
            assertArrayEquals(gradient, twoGradient, 0.0, one + " on two cores, δxᵀ");

            // a second caller while the helper is busy computes on its own, with the same results
            double[][] reference = copy(actual);
            one.multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, reference, 0, lanes);
            Thread other = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    two.multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, copy(expected), 0, lanes);
                }
            });
            other.start();
            for (int i = 0; i < 200; i++) {
                double[][] each = copy(actual);
                two.multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, each, 0, lanes);
                assertRowsEqual(reference, each, 0, one + " on two cores, two callers");
            }
            other.join();
        }
    }

    @Test
    void activationsCoverTheirRowsAndLanes() {
        double[] special = {0, -0.0, 1e-300, -1e-8, 0.049, 0.051, -3, 19.9, 20.1, -40, 700, -745, 800, -800};
        int lanes = 24;
        double[][] rows = new double[4][lanes];
        for (int b = 0; b < lanes; b++) {
            rows[0][b] = b < special.length ? special[b] : random.nextDouble() * 20 - 10;
            rows[1][b] = random.nextDouble() * 2 - 1;
            rows[2][b] = random.nextDouble() * 60 - 30;
            rows[3][b] = -rows[0][b];
        }
        double[][] sigmoid = copy(rows);
        BatchKernels.sigmoid(sigmoid, 1, 3, lanes);
        double[][] tanh = new double[4][lanes];
        BatchKernels.tanh(rows, 0, tanh, 0, 4, lanes);
        double[][] inPlace = copy(rows);
        BatchKernels.tanh(inPlace, 0, 4, lanes);
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(tanh[k], inPlace[k], 0.0, "tanh in place, row " + k);
            for (int b = 0; b < lanes; b++) {
                double u = rows[k][b];
                assertEquals(Math.tanh(u), tanh[k][b], 1e-14 * Math.abs(Math.tanh(u)), "tanh(" + u + ")");
                if (k > 0) {
                    double expected = 1 / (1 + Math.exp(-u));
                    assertEquals(expected, sigmoid[k][b], 1e-14 * expected, "σ(" + u + ")");
                }
            }
        }
        assertArrayEquals(rows[0], sigmoid[0], 0.0, "rows before 'from' untouched");
    }

    private double[] gaussian(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble() * 2 - 1;
        }
        return values;
    }

    private double[][] gaussianRows(int rows, int lanes) {
        double[][] values = new double[rows][];
        for (int r = 0; r < rows; r++) {
            values[r] = gaussian(lanes);
        }
        return values;
    }

    private static double[][] copy(double[][] rows) {
        double[][] copy = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
        }
        return copy;
    }

    private static void assertRowsEqual(double[][] expected, double[][] actual, String what) {
        assertRowsEqual(expected, actual, TOLERANCE, what);
    }

    private static void assertRowsEqual(double[][] expected, double[][] actual, double tolerance, String what) {
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual[r], tolerance, what + ", row " + r);
        }
    }
}
