package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API's products on reductions longer than one chunk of x (see
 * {@link VectorBatchOperations#multiplyAdd(double[], int, int, int, int, int, double[][], int, double[][], int, int)}),
 * in both precisions: every output lane is still one chain of fused multiply-adds over the whole
 * reduction, first to last, the same bits as that chain written out with {@code Math.fma}; and
 * two cores give one core's bits, the transposed product included. Sizes cross chunk boundaries
 * with remainders: rows not a multiple of the blocks, one row, lanes past the last whole vector.
 */
class ChunkedProductsTest {
    private final SplittableRandom random = new SplittableRandom(11);
    private final VectorBatchOperations vector = new VectorBatchOperations();

    @Test
    void doubleProductsAreOneChainPerLaneAcrossChunks() {
        for (int rows : new int[] {1, 5, 13}) {
            for (int lanes : new int[] {8, 40}) {
                int reduce = 2 * VectorBatchOperations.chunkRows(lanes * Double.BYTES) + 3;
                double[] w = doubles(rows * reduce);
                // W x: w read by rows
                double[][] x = doubleRows(reduce + 2, lanes);
                double[][] out = doubleRows(rows + 1, lanes);
                double[][] expected = copy(out);
                for (int m = 0; m < rows; m++) {
                    for (int b = 0; b < lanes; b++) {
                        for (int r = 0; r < reduce; r++) {
                            expected[1 + m][b] = Math.fma(x[2 + r][b], w[m * reduce + r], expected[1 + m][b]);
                        }
                    }
                }
                vector.multiplyAdd(w, 0, reduce, 1, rows, reduce, x, 2, out, 1, lanes);
                assertBits(expected, out, "W x, " + rows + "×" + reduce + ", lanes " + lanes);

                // Wᵀ d: the same w read by columns, as BPTT does
                int columns = rows;
                double[][] d = doubleRows(reduce, lanes);
                double[][] into = doubleRows(columns, lanes);
                double[][] expectedInto = copy(into);
                for (int j = 0; j < columns; j++) {
                    for (int b = 0; b < lanes; b++) {
                        for (int r = 0; r < reduce; r++) {
                            expectedInto[j][b] = Math.fma(d[r][b], w[r * columns + j], expectedInto[j][b]);
                        }
                    }
                }
                vector.multiplyAdd(w, 0, 1, columns, columns, reduce, d, 0, into, 0, lanes);
                assertBits(expectedInto, into, "Wᵀ d, " + reduce + "×" + columns + ", lanes " + lanes);
            }
        }
    }

    @Test
    void floatProductsAreOneChainPerLaneAcrossChunks() {
        for (int rows : new int[] {1, 7, 13}) {
            for (int lanes : new int[] {16, 20, 32, 48}) {
                int reduce = 2 * VectorBatchOperations.chunkRows(lanes * Float.BYTES) + 5;
                float[] w = floats(rows * reduce);
                float[][] x = floatRows(reduce, lanes);
                float[][] out = floatRows(rows, lanes);
                float[][] expected = copy(out);
                for (int m = 0; m < rows; m++) {
                    for (int b = 0; b < lanes; b++) {
                        for (int r = 0; r < reduce; r++) {
                            expected[m][b] = Math.fma(x[r][b], w[m * reduce + r], expected[m][b]);
                        }
                    }
                }
                vector.multiplyAdd(w, 0, reduce, 1, rows, reduce, x, 0, out, 0, lanes);
                assertBits(expected, out, "W x, " + rows + "×" + reduce + ", lanes " + lanes);

                int columns = rows;
                float[][] d = floatRows(reduce, lanes);
                float[][] into = floatRows(columns, lanes);
                float[][] expectedInto = copy(into);
                for (int j = 0; j < columns; j++) {
                    for (int b = 0; b < lanes; b++) {
                        for (int r = 0; r < reduce; r++) {
                            expectedInto[j][b] = Math.fma(d[r][b], w[r * columns + j], expectedInto[j][b]);
                        }
                    }
                }
                vector.multiplyAdd(w, 0, 1, columns, columns, reduce, d, 0, into, 0, lanes);
                assertBits(expectedInto, into, "Wᵀ d, " + reduce + "×" + columns + ", lanes " + lanes);
            }
        }
    }

    /**
     * The weight gradient sums every step and lane of a column in one chain, steps first to last and
     * lanes in order within a step, from zero, then adds that sum to the gradient.
     */
    @Test
    void outerProductsAreOneChainPerWeightAcrossChunks() {
        int rows = 6, lanes = 40, columns = 64;
        int steps = 2 * VectorBatchOperations.chunkRows(columns * Double.BYTES) / lanes + 2;
        double[][] d = doubleRows(steps * rows, lanes);
        double[][] x = doubleRows(steps * columns, lanes);
        double[] gradient = doubles(rows * columns);
        double[] expected = gradient.clone();
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < columns; j++) {
                double sum = 0;
                for (int s = 0; s < steps; s++) {
                    for (int b = 0; b < lanes; b++) {
                        sum = Math.fma(x[s * columns + j][b], d[s * rows + m][b], sum);
                    }
                }
                expected[m * columns + j] += sum;
            }
        }
        vector.addOuterProducts(d, 0, rows, x, 0, columns, steps, rows, columns, gradient, 0, lanes);
        assertArrayEquals(expected, gradient, 0.0, "δxᵀ over " + steps + " steps");

        int floatColumns = 32;
        int floatSteps = 2 * VectorBatchOperations.chunkRows(floatColumns * Float.BYTES) / lanes + 2;
        float[][] floatD = floatRows(floatSteps * rows, lanes);
        float[][] floatX = floatRows(floatSteps * floatColumns, lanes);
        float[] floatGradient = floats(rows * floatColumns);
        float[] floatExpected = floatGradient.clone();
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < floatColumns; j++) {
                float sum = 0;
                for (int s = 0; s < floatSteps; s++) {
                    for (int b = 0; b < lanes; b++) {
                        sum = Math.fma(floatX[s * floatColumns + j][b], floatD[s * rows + m][b], sum);
                    }
                }
                floatExpected[m * floatColumns + j] += sum;
            }
        }
        vector.addOuterProducts(floatD, 0, rows, floatX, 0, floatColumns, floatSteps, rows, floatColumns,
                floatGradient, 0, lanes);
        assertArrayEquals(floatExpected, floatGradient, 0f, "float δxᵀ over " + floatSteps + " steps");
    }

    /** Every product the batched pass splits over two cores, on one core and on two, long reductions. */
    @Test
    void twoCoresGiveOneCoresBitsOnLongReductions() {
        BatchOperations two = new TwoCoreOperations(vector);
        int rows = 21, lanes = 32, reduce = 3 * VectorBatchOperations.chunkRows(lanes * Double.BYTES) + 1;
        assertTrue((long) rows * reduce * lanes >= 1 << 16, "large enough to be split");
        double[] w = doubles(rows * reduce);
        double[][] x = doubleRows(reduce, lanes);
        double[][] one = doubleRows(rows, lanes);
        double[][] both = copy(one);
        vector.multiplyAdd(w, 0, reduce, 1, rows, reduce, x, 0, one, 0, lanes);
        two.multiplyAdd(w, 0, reduce, 1, rows, reduce, x, 0, both, 0, lanes);
        assertBits(one, both, "W x");

        int columns = rows;
        double[][] into = doubleRows(columns, lanes);
        double[][] bothInto = copy(into);
        vector.multiplyAdd(w, 0, 1, columns, columns, reduce, x, 0, into, 0, lanes);
        two.multiplyAdd(w, 0, 1, columns, columns, reduce, x, 0, bothInto, 0, lanes);
        assertBits(into, bothInto, "Wᵀ d");

        float[] floatW = floats(rows * reduce);
        float[][] floatX = floatRows(reduce, lanes);
        float[][] floatOne = floatRows(rows, lanes);
        float[][] floatBoth = copy(floatOne);
        vector.multiplyAdd(floatW, 0, reduce, 1, rows, reduce, floatX, 0, floatOne, 0, lanes);
        two.multiplyAdd(floatW, 0, reduce, 1, rows, reduce, floatX, 0, floatBoth, 0, lanes);
        assertBits(floatOne, floatBoth, "float W x");

        float[][] floatInto = floatRows(columns, lanes);
        float[][] floatBothInto = copy(floatInto);
        vector.multiplyAdd(floatW, 0, 1, columns, columns, reduce, floatX, 0, floatInto, 0, lanes);
        two.multiplyAdd(floatW, 0, 1, columns, columns, reduce, floatX, 0, floatBothInto, 0, lanes);
        assertBits(floatInto, floatBothInto, "float Wᵀ d");

        int gradientColumns = 64, steps = 9;
        double[][] d = doubleRows(steps * rows, lanes);
        double[][] xs = doubleRows(steps * gradientColumns, lanes);
        double[] gradient = doubles(rows * gradientColumns);
        double[] bothGradient = gradient.clone();
        vector.addOuterProducts(d, 0, rows, xs, 0, gradientColumns, steps, rows, gradientColumns, gradient, 0, lanes);
        two.addOuterProducts(d, 0, rows, xs, 0, gradientColumns, steps, rows, gradientColumns, bothGradient, 0, lanes);
        assertArrayEquals(gradient, bothGradient, 0.0, "δxᵀ");

        float[][] floatD = floatRows(steps * rows, lanes);
        float[][] floatXs = floatRows(steps * gradientColumns, lanes);
        float[] floatGradient = floats(rows * gradientColumns);
        float[] floatBothGradient = floatGradient.clone();
        vector.addOuterProducts(floatD, 0, rows, floatXs, 0, gradientColumns, steps, rows, gradientColumns,
                floatGradient, 0, lanes);
        two.addOuterProducts(floatD, 0, rows, floatXs, 0, gradientColumns, steps, rows, gradientColumns,
                floatBothGradient, 0, lanes);
        assertArrayEquals(floatGradient, floatBothGradient, 0f, "float δxᵀ");
    }

    private double[] doubles(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble() * 2 - 1;
        }
        return values;
    }

    private double[][] doubleRows(int rows, int lanes) {
        double[][] values = new double[rows][];
        for (int r = 0; r < rows; r++) {
            values[r] = doubles(lanes);
        }
        return values;
    }

    private float[] floats(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    private float[][] floatRows(int rows, int lanes) {
        float[][] values = new float[rows][];
        for (int r = 0; r < rows; r++) {
            values[r] = floats(lanes);
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

    private static float[][] copy(float[][] rows) {
        float[][] copy = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
        }
        return copy;
    }

    private static void assertBits(double[][] expected, double[][] actual, String what) {
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual[r], 0.0, what + ", row " + r);
        }
    }

    private static void assertBits(float[][] expected, float[][] actual, String what) {
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual[r], 0f, what + ", row " + r);
        }
    }
}
