package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A sequence's weight gradient Σ_t d_t x_tᵀ ({@link Kernels#addOuterProducts}) is, bit for bit, each
 * entry's terms summed over the steps in order from zero, each product rounded before its addition,
 * then added to the gradient once: what the generated loops computed before they called it. For
 * every shape, x in strided rows at an offset (a bidirectional layer's states), nothing written
 * outside the gradient's rows × columns, and the rows zero again after a call.
 */
class OuterProductsTest {
    private static final int[] ROWS = {1, 3, 20, 65, 128};
    private static final int[] COLUMNS = {1, 4, 7, 8, 20, 32, 33, 64, 100};
    private static final int[] STEPS = {1, 2, 25};
    private final SplittableRandom random = new SplittableRandom(19);

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
                    for (int m = 0; m < rows; m++) { // the definition: Σ_t from zero, then added once
                        for (int j = 0; j < columns; j++) {
                            double sum = 0;
                            for (int t = 1; t <= steps; t++) {
                                double dt = d[t * rows + m];
                                double xt = x[xFrom + (t - 1) * xStride + j];
                                sum += dt * xt;
                            }
                            expected[m * columns + j] += sum;
                        }
                    }
                    double[][] gradientRows = new double[rows][columns];
                    Kernels.addOuterProducts(d, x, xFrom, xStride, steps, rows, columns, gradient, new double[columns],
                            gradientRows);
                    for (int i = 0; i < expected.length; i++) {
                        String where = rows + "×" + columns + " over " + steps + " steps, entry " + i;
                        assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(gradient[i]),
                                where + ": " + gradient[i] + " instead of " + expected[i]);
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
                    for (int m = 0; m < rows; m++) {
                        for (int j = 0; j < columns; j++) {
                            float sum = 0;
                            for (int t = 1; t <= steps; t++) {
                                float dt = d[t * rows + m];
                                float xt = x[xFrom + (t - 1) * xStride + j];
                                sum += dt * xt;
                            }
                            expected[m * columns + j] += sum;
                        }
                    }
                    float[][] gradientRows = new float[rows][columns];
                    Kernels.addOuterProducts(d, x, xFrom, xStride, steps, rows, columns, gradient, new float[columns],
                            gradientRows);
                    for (int i = 0; i < expected.length; i++) {
                        String where = rows + "×" + columns + " over " + steps + " steps, entry " + i;
                        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(gradient[i]),
                                where + ": " + gradient[i] + " instead of " + expected[i]);
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
