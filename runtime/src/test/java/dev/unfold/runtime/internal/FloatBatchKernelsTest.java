package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float batch kernels, both implementations, against the sums written out naively in double:
 * each float result must be within the bound float rounding allows a sum of n products,
 * (n + 2) · 2^−24 · Σ|terms| (a recursive sum's error bound, whatever the order, plus the
 * rounding of each product). Sizes exercise every blocked path and remainder: rows not a multiple
 * of four, lanes of half, one, two and four float vectors and between, reductions of one.
 */
class FloatBatchKernelsTest {
    private static final double UNIT_ROUNDOFF = 0x1p-24;
    private static final int[][] SIZES = {{1, 1, 16}, {4, 4, 16}, {5, 3, 32}, {7, 9, 48}, {8, 5, 64}, {13, 17, 80},
            {12, 6, 128}, {3, 1, 32}, {16, 8, 16}, {9, 24, 32}, {6, 32, 16}, {11, 64, 16}, {4, 7, 8}, {9, 5, 24},
            {5, 11, 40}, {8, 16, 1}, {4, 3, 3}};

    private final SplittableRandom random = new SplittableRandom(11);

    private static List<BatchOperations> implementations() {
        // this module's tests run with --add-modules jdk.incubator.vector (see its pom)
        return List.of(new ScalarBatchOperations(), new VectorBatchOperations());
    }

    @Test
    void floatLanesArePaddedToAMultipleOfSixteen() {
        assertEquals(16, BatchKernels.floatLanes(1));
        assertEquals(16, BatchKernels.floatLanes(16));
        assertEquals(32, BatchKernels.floatLanes(17));
        assertEquals(32, BatchKernels.floatLanes(32));
        assertEquals(48, BatchKernels.floatLanes(33));
    }

    @Test
    void productAndTransposedProductAreTheirSumsToFloatRounding() {
        for (BatchOperations products : implementations()) {
            for (int[] size : SIZES) {
                int rows = size[0], columns = size[1], lanes = size[2];
                float[] w = uniform(rows * columns);
                float[][] x = uniformRows(columns + 2, lanes);
                float[][] out = uniformRows(rows + 3, lanes);
                double[][] expected = new double[rows][lanes];
                double[][] bound = new double[rows][lanes];
                for (int m = 0; m < rows; m++) {
                    for (int b = 0; b < lanes; b++) {
                        expected[m][b] = out[3 + m][b];
                        bound[m][b] = Math.abs(out[3 + m][b]);
                        for (int j = 0; j < columns; j++) {
                            double term = (double) w[m * columns + j] * x[2 + j][b];
                            expected[m][b] += term;
                            bound[m][b] += Math.abs(term);
                        }
                        bound[m][b] *= (columns + 2) * UNIT_ROUNDOFF;
                    }
                }
                float[][] untouched = copy(out);
                products.multiplyAdd(w, 0, columns, 1, rows, columns, x, 2, out, 3, lanes);
                assertWithin(expected, bound, out, 3, products + " W x " + rows + "×" + columns + " lanes " + lanes);
                assertUntouched(untouched, out, 0, 3, "rows before outRow");

                float[][] d = uniformRows(rows + 1, lanes);
                float[][] into = uniformRows(columns, lanes);
                double[][] expectedInto = new double[columns][lanes];
                double[][] boundInto = new double[columns][lanes];
                for (int j = 0; j < columns; j++) {
                    for (int b = 0; b < lanes; b++) {
                        expectedInto[j][b] = into[j][b];
                        boundInto[j][b] = Math.abs(into[j][b]);
                        for (int m = 0; m < rows; m++) {
                            double term = (double) w[m * columns + j] * d[1 + m][b];
                            expectedInto[j][b] += term;
                            boundInto[j][b] += Math.abs(term);
                        }
                        boundInto[j][b] *= (rows + 2) * UNIT_ROUNDOFF;
                    }
                }
                products.multiplyAdd(w, 0, 1, columns, columns, rows, d, 1, into, 0, lanes);
                assertWithin(expectedInto, boundInto, into, 0, products + " Wᵀ d " + rows + "×" + columns + " lanes " + lanes);
            }
        }
    }

    /**
     * With the Vector API each lane is one chain of fused multiply-adds over the reduction, first
     * to last, whatever the vector width and whichever block of rows and vectors computes it: the
     * same bits as that chain written out with {@code Math.fma}, for every size (lanes past the
     * last whole vector included).
     */
    @Test
    void vectorProductsAreOneFusedChainPerLaneWhateverTheBlocking() {
        BatchOperations vector = new VectorBatchOperations();
        for (int[] size : SIZES) {
            int rows = size[0], columns = size[1], lanes = size[2];
            float[] w = uniform(rows * columns);
            float[][] x = uniformRows(columns, lanes);
            float[][] out = uniformRows(rows, lanes);
            float[][] expected = copy(out);
            for (int m = 0; m < rows; m++) {
                for (int b = 0; b < lanes; b++) {
                    for (int j = 0; j < columns; j++) {
                        expected[m][b] = Math.fma(x[j][b], w[m * columns + j], expected[m][b]);
                    }
                }
            }
            vector.multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, out, 0, lanes);
            for (int m = 0; m < rows; m++) {
                assertArrayEquals(expected[m], out[m], 0f, rows + "×" + columns + " lanes " + lanes + ", row " + m);
            }
        }
    }

    @Test
    void outerProductsAreTheirSumsToFloatRounding() {
        for (BatchOperations products : implementations()) {
            for (int[] size : SIZES) {
                int rows = size[0], columns = size[1], lanes = size[2];
                int steps = 3, dStride = rows + 1, xStride = columns + 2;
                float[][] d = uniformRows(1 + steps * dStride, lanes);
                float[][] x = uniformRows(2 + steps * xStride, lanes);
                float[] gradient = uniform(rows * columns + 5);
                double[] expected = new double[gradient.length];
                double[] bound = new double[gradient.length];
                for (int i = 0; i < gradient.length; i++) {
                    expected[i] = gradient[i];
                    bound[i] = Math.abs(gradient[i]);
                }
                for (int m = 0; m < rows; m++) {
                    for (int j = 0; j < columns; j++) {
                        int at = 5 + m * columns + j;
                        for (int s = 0; s < steps; s++) {
                            for (int b = 0; b < lanes; b++) {
                                double term = (double) d[1 + s * dStride + m][b] * x[2 + s * xStride + j][b];
                                expected[at] += term;
                                bound[at] += Math.abs(term);
                            }
                        }
                    }
                }
                for (int i = 0; i < bound.length; i++) {
                    bound[i] *= (steps * lanes + 2) * UNIT_ROUNDOFF;
                }
                products.addOuterProducts(d, 1, dStride, x, 2, xStride, steps, rows, columns, gradient, 5, lanes);
                for (int i = 0; i < gradient.length; i++) {
                    double error = Math.abs(gradient[i] - expected[i]);
                    assertTrue(error <= bound[i], products + " δxᵀ " + rows + "×" + columns + " lanes " + lanes
                            + ", entry " + i + ": " + gradient[i] + " against " + expected[i] + ", bound " + bound[i]);
                }
            }
        }
    }

    @Test
    void twoCoresGiveOneCoresFloatResultsBitForBit() throws Exception {
        for (BatchOperations one : implementations()) {
            BatchOperations two = new TwoCoreOperations(one);
            int rows = 103, columns = 72, lanes = 32, steps = 5; // above the hand-over threshold, odd row count
            float[] w = uniform(rows * columns);
            float[][] x = uniformRows(columns, lanes);
            float[][] expected = uniformRows(rows, lanes);
            float[][] actual = copy(expected);
            one.multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, expected, 0, lanes);
            two.multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, actual, 0, lanes);
            assertUntouched(expected, actual, 0, rows, one + " on two cores, W x");
            float[][] transposed = uniformRows(columns, lanes);
            float[][] twoTransposed = copy(transposed);
            float[][] d = uniformRows(rows, lanes);
            one.multiplyAdd(w, 0, 1, columns, columns, rows, d, 0, transposed, 0, lanes);
            two.multiplyAdd(w, 0, 1, columns, columns, rows, d, 0, twoTransposed, 0, lanes);
            assertUntouched(transposed, twoTransposed, 0, columns, one + " on two cores, Wᵀ d");

            float[][] deltas = uniformRows(steps * rows, lanes);
            float[][] xs = uniformRows(steps * columns, lanes);
            float[] gradient = uniform(rows * columns);
            float[] twoGradient = gradient.clone();
            one.addOuterProducts(deltas, 0, rows, xs, 0, columns, steps, rows, columns, gradient, 0, lanes);
            two.addOuterProducts(deltas, 0, rows, xs, 0, columns, steps, rows, columns, twoGradient, 0, lanes);
            assertArrayEquals(gradient, twoGradient, 0f, one + " on two cores, δxᵀ");

            // double and float products in turn through the one helper
            double[] doubleW = new double[rows * columns];
            double[][] doubleX = new double[columns][lanes];
            double[][] doubleOut = new double[rows][lanes];
            double[][] doubleExpected = new double[rows][lanes];
            for (int i = 0; i < doubleW.length; i++) {
                doubleW[i] = w[i];
            }
            for (int j = 0; j < columns; j++) {
                for (int b = 0; b < lanes; b++) {
                    doubleX[j][b] = x[j][b];
                }
            }
            one.multiplyAdd(doubleW, 0, columns, 1, rows, columns, doubleX, 0, doubleExpected, 0, lanes);
            two.multiplyAdd(doubleW, 0, columns, 1, rows, columns, doubleX, 0, doubleOut, 0, lanes);
            for (int m = 0; m < rows; m++) {
                assertArrayEquals(doubleExpected[m], doubleOut[m], 0.0, one + " on two cores, double after float");
            }
        }
    }

    /**
     * The activations over rows: each lane is {@link FloatActivations}' value to the bit, in both
     * implementations, for widths of whole vectors and not; rows outside the block are untouched.
     */
    @Test
    void activationsCoverTheirRowsAndLanesBitForBit() {
        float[] special = {0f, -0f, Float.MIN_VALUE, -1e-8f, 0.1733f, -0.35f, 9.5f, -9.49f, 20f, -40f, 88.8f, -103.9f,
                -104.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e30f};
        for (BatchOperations operations : implementations()) {
            for (int lanes : new int[] {8, 16, 24, 32, 40, 64}) {
                float[][] rows = new float[5][lanes];
                for (int b = 0; b < lanes; b++) {
                    rows[0][b] = (float) (random.nextDouble() * 20 - 10);
                    rows[1][b] = b < special.length ? special[b] : (float) (random.nextDouble() * 60 - 30);
                    rows[2][b] = (float) (random.nextDouble() * 2 - 1);
                    rows[3][b] = -rows[1][b];
                    rows[4][b] = (float) (random.nextDouble() * 20 - 10);
                }
                float[][] sigmoid = copy(rows);
                operations.sigmoid(sigmoid, 1, 3, lanes);
                float[][] tanh = new float[5][lanes];
                operations.tanh(rows, 1, tanh, 2, 3, lanes);
                float[][] inPlace = copy(rows);
                operations.tanh(inPlace, 1, inPlace, 1, 3, lanes);
                String what = operations + ", lanes " + lanes;
                for (int k = 1; k <= 3; k++) {
                    for (int b = 0; b < lanes; b++) {
                        float u = rows[k][b];
                        assertBits(FloatActivations.sigmoid(u), sigmoid[k][b], what + ": σ(" + u + ")");
                        assertBits(FloatActivations.tanh(u), tanh[k + 1][b], what + ": tanh(" + u + ")");
                        assertBits(FloatActivations.tanh(u), inPlace[k][b], what + ": tanh in place (" + u + ")");
                    }
                }
                assertUntouched(rows, sigmoid, 0, 1, what + ", σ before from");
                assertUntouched(rows, sigmoid, 4, 5, what + ", σ after the block");
                assertArrayEquals(new float[lanes], tanh[0], 0f, what + ", tanh before intoRow");
                assertArrayEquals(new float[lanes], tanh[1], 0f, what + ", tanh before intoRow");
            }
        }
    }

    /** The float kernels through {@link BatchKernels}, as generated code calls them. */
    @Test
    void batchKernelsPassTheirArgumentsThrough() {
        int rows = 12, columns = 20, lanes = 32;
        float[] w = uniform(rows * columns + 3 * columns);
        float[][] x = uniformRows(columns, lanes);
        float[][] whole = new float[rows][lanes];
        float[][] block = new float[rows + 3][lanes];
        BatchKernels.addProduct(w, rows, columns, x, 0, whole, 0, lanes);
        BatchKernels.addProduct(w, 3, rows, columns, x, 0, block, 3, lanes); // rows 3..3 + rows of the matrix
        float[][] direct = new float[rows + 3][lanes];
        new VectorBatchOperations().multiplyAdd(w, 3 * columns, columns, 1, rows, columns, x, 0, direct, 3, lanes);
        assertUntouched(direct, block, 0, rows + 3, "a block of rows");
        float[][] expected = new float[rows][lanes];
        new VectorBatchOperations().multiplyAdd(w, 0, columns, 1, rows, columns, x, 0, expected, 0, lanes);
        assertUntouched(expected, whole, 0, rows, "the whole matrix");

        float[][] back = new float[columns][lanes];
        BatchKernels.addTransposedProduct(w, rows, columns, whole, 0, back, 0, lanes);
        float[][] backExpected = new float[columns][lanes];
        new VectorBatchOperations().multiplyAdd(w, 0, 1, columns, columns, rows, whole, 0, backExpected, 0, lanes);
        assertUntouched(backExpected, back, 0, columns, "the transposed product");

        float[] gradient = new float[rows * columns];
        BatchKernels.addOuterProducts(whole, 0, rows, x, 0, columns, 1, rows, columns, gradient, lanes);
        float[] gradientExpected = new float[rows * columns];
        new VectorBatchOperations().addOuterProducts(whole, 0, rows, x, 0, columns, 1, rows, columns, gradientExpected,
                0, lanes);
        assertArrayEquals(gradientExpected, gradient, 0f, "the outer products");
    }

    /**
     * The float helpers move and clear the same values as their double twins, on values both
     * types hold exactly.
     */
    @Test
    void scatterGatherClearAndSeedMatchTheirDoubleTwins() {
        int batch = 5, lanes = 16, width = 3, offset = 2, steps = 4;
        int[] lengths = {4, 2, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        float[][] states = uniformRows(batch, offset + width);
        double[][] doubleStates = widen(states);

        float[][] rows = new float[(steps + 1) * width][lanes];
        double[][] doubleRows = new double[(steps + 1) * width][lanes];
        BatchKernels.scatterStates(states, batch, offset, rows, width, width);
        BatchKernels.scatterStates(doubleStates, batch, offset, doubleRows, width, width);
        assertRowsEqual(doubleRows, rows, "scatterStates");

        float[][] filled = uniformRows((steps + 1) * width, lanes);
        double[][] doubleFilled = widen(filled);
        // a float32 network gathers its float rows into the caller's double states (widened)
        double[][] gathered = new double[batch][offset + width];
        double[][] doubleGathered = new double[batch][offset + width];
        for (boolean atEnd : new boolean[] {true, false}) {
            BatchKernels.gatherStates(filled, lengths, atEnd, width, width, gathered, batch, offset);
            BatchKernels.gatherStates(doubleFilled, lengths, atEnd, width, width, doubleGathered, batch, offset);
            for (int b = 0; b < batch; b++) {
                assertArrayEquals(doubleGathered[b], gathered[b], 0.0, "gatherStates, at the end " + atEnd);
            }
        }

        BatchKernels.clearEnded(filled, width, 2 * width, lengths, 3, lanes);
        BatchKernels.clearEnded(doubleFilled, width, 2 * width, lengths, 3, lanes);
        assertRowsEqual(doubleFilled, filled, "clearEnded");

        float[][] carried = uniformRows(width, lanes);
        double[][] doubleCarried = widen(carried);
        // what seeds BPTT is the caller's state gradients, double in both precisions
        BatchKernels.seedEnding(doubleStates, offset, lengths, 4, carried, width);
        BatchKernels.seedEnding(doubleStates, offset, lengths, 4, doubleCarried, width);
        for (int k = 0; k < width; k++) {
            for (int b = 0; b < lanes; b++) { // one float sum against the double sum rounded to float
                assertBits((float) doubleCarried[k][b], carried[k][b], "seedEnding, row " + k + " lane " + b);
            }
        }
        assertTrue(carried[0][0] != 0 && rows[width][0] != 0 && filled[width][2] == 0, "the values moved");
    }

    private float[] uniform(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    private float[][] uniformRows(int rows, int lanes) {
        float[][] values = new float[rows][];
        for (int r = 0; r < rows; r++) {
            values[r] = uniform(lanes);
        }
        return values;
    }

    private static float[][] copy(float[][] rows) {
        float[][] copy = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
        }
        return copy;
    }

    private static double[][] widen(float[][] rows) {
        double[][] wide = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            wide[r] = new double[rows[r].length];
            for (int b = 0; b < rows[r].length; b++) {
                wide[r][b] = rows[r][b];
            }
        }
        return wide;
    }

    private static void assertWithin(double[][] expected, double[][] bound, float[][] actual, int actualRow, String what) {
        for (int r = 0; r < expected.length; r++) {
            for (int b = 0; b < expected[r].length; b++) {
                double error = Math.abs(actual[actualRow + r][b] - expected[r][b]);
                if (!(error <= bound[r][b])) {
                    throw new AssertionError(what + ", row " + r + " lane " + b + ": " + actual[actualRow + r][b]
                            + " against " + expected[r][b] + ", error " + error + " above the bound " + bound[r][b]);
                }
            }
        }
    }

    private static void assertUntouched(float[][] expected, float[][] actual, int from, int to, String what) {
        for (int r = from; r < to; r++) {
            assertArrayEquals(expected[r], actual[r], 0f, what + ", row " + r);
        }
    }

    private static void assertRowsEqual(double[][] expected, float[][] actual, String what) {
        for (int r = 0; r < expected.length; r++) {
            for (int b = 0; b < expected[r].length; b++) {
                assertEquals(expected[r][b], actual[r][b], 0.0, what + ", row " + r + " lane " + b);
            }
        }
    }

    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), () -> what + ": expected "
                + expected + ", was " + actual);
    }
}
