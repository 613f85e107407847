package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A sequence's weight gradient Σ_t d_t x_tᵀ ({@link Kernels#addOuterProducts}) is, bit for bit, each
 * entry's chain over the steps in order from zero, then added to the gradient once: with the Vector
 * API (these tests run with the module) a chain of fused multiply-adds, by the rows without it a
 * product rounded before each addition, as the loops before. For every shape, including columns past
 * the last whole vector and x in strided rows at an offset (a bidirectional layer's states), and
 * nothing written outside the gradient's rows × columns.
 */
class OuterProductsTest {
    private static final int[] ROWS = {1, 3, 20, 65, 128};
    private static final int[] COLUMNS = {1, 4, 7, 8, 20, 32, 33, 64, 100};
    private static final int[] STEPS = {1, 2, 25};
    private final SplittableRandom random = new SplittableRandom(19);

    @Test
    void theVectorAPIIsInUse() {
        assertTrue(BatchKernels.vectorised(), "these tests compare the Vector API's kernel: run with the module");
    }

    @Test
    void doubleGradientsEqualTheStepByStepSumsBitForBit() {
        for (int rows : ROWS) {
            for (int columns : COLUMNS) {
                for (int steps : STEPS) {
                    int xFrom = 5;
                    int xStride = 2 * columns + 3;
                    double[] d = values((steps + 2) * rows);
                    double[] x = values(xFrom + (steps + 1) * xStride);
                    double[] gradient = values(rows * columns + 2);
                    double[] expected = gradient.clone();
                    double[] byRows = gradient.clone();
                    double[] expectedByRows = gradient.clone();
                    for (int m = 0; m < rows; m++) { // the definition: Σ_t from zero, then added once
                        for (int j = 0; j < columns; j++) {
                            double fused = 0;
                            double sum = 0;
                            for (int t = 1; t <= steps; t++) {
                                double dt = d[t * rows + m];
                                double xt = x[xFrom + (t - 1) * xStride + j];
                                fused = Math.fma(dt, xt, fused);
                                sum += dt * xt;
                            }
                            expected[m * columns + j] += fused;
                            expectedByRows[m * columns + j] += sum;
                        }
                    }
                    double[][] gradientRows = new double[rows][columns];
                    Kernels.addOuterProducts(d, x, xFrom, xStride, steps, rows, columns, gradient, new double[columns],
                            gradientRows);
                    Kernels.addOuterProductsByRows(d, x, xFrom, xStride, steps, rows, columns, byRows, new double[columns],
                            gradientRows);
                    for (int i = 0; i < expected.length; i++) {
                        String where = rows + "×" + columns + " over " + steps + " steps, entry " + i;
                        assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(gradient[i]),
                                where + " with the Vector API: " + gradient[i] + " instead of " + expected[i]);
                        assertEquals(Double.doubleToRawLongBits(expectedByRows[i]), Double.doubleToRawLongBits(byRows[i]),
                                where + " by rows: " + byRows[i] + " instead of " + expectedByRows[i]);
                    }
                    for (double[] row : gradientRows) {
                        for (double value : row) {
                            assertEquals(0.0, value, "the rows are zero again after a call");
                        }
                    }
                }
            }
        }
    }

    @Test
    void floatGradientsEqualTheStepByStepSumsBitForBit() {
        for (int rows : ROWS) {
            for (int columns : COLUMNS) {
                for (int steps : STEPS) {
                    int xFrom = 5;
                    int xStride = 2 * columns + 3;
                    float[] d = floatValues((steps + 2) * rows);
                    float[] x = floatValues(xFrom + (steps + 1) * xStride);
                    float[] gradient = floatValues(rows * columns + 2);
                    float[] expected = gradient.clone();
                    float[] byRows = gradient.clone();
                    float[] expectedByRows = gradient.clone();
                    for (int m = 0; m < rows; m++) {
                        for (int j = 0; j < columns; j++) {
                            float fused = 0;
                            float sum = 0;
                            for (int t = 1; t <= steps; t++) {
                                float dt = d[t * rows + m];
                                float xt = x[xFrom + (t - 1) * xStride + j];
                                fused = Math.fma(dt, xt, fused);
                                sum += dt * xt;
                            }
                            expected[m * columns + j] += fused;
                            expectedByRows[m * columns + j] += sum;
                        }
                    }
                    float[][] gradientRows = new float[rows][columns];
                    Kernels.addOuterProducts(d, x, xFrom, xStride, steps, rows, columns, gradient, new float[columns],
                            gradientRows);
                    Kernels.addOuterProductsByRows(d, x, xFrom, xStride, steps, rows, columns, byRows, new float[columns],
                            gradientRows);
                    for (int i = 0; i < expected.length; i++) {
                        String where = rows + "×" + columns + " over " + steps + " steps, entry " + i;
                        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(gradient[i]),
                                where + " with the Vector API: " + gradient[i] + " instead of " + expected[i]);
                        assertEquals(Float.floatToRawIntBits(expectedByRows[i]), Float.floatToRawIntBits(byRows[i]),
                                where + " by rows: " + byRows[i] + " instead of " + expectedByRows[i]);
                    }
                }
            }
        }
    }

    private double[] values(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble() * 2 - 1;
        }
        return values;
    }

    private float[] floatValues(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
