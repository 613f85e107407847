package dev.unfold.runtime.internal;

/**
 * {@link BatchOperations} in plain loops. Every inner loop runs over the lanes of batch rows, each
 * an array of its own read at the same index, which Java 17's JIT vectorises (see
 * {@link Kernels#addMatrixVector}); four reduction terms per pass quarter the loads and stores of
 * the row being summed into.
 */
final class ScalarBatchOperations implements BatchOperations {

    @Override
    public void multiplyAdd(double[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                            double[][] x, int xRow, double[][] out, int outRow, int lanes) {
        for (int i = 0; i < outputs; i++) {
            double[] sums = out[outRow + i];
            int at = offset + i * outputStride;
            int r = 0;
            for (; r + 4 <= reduce; r += 4) {
                double w0 = w[at + r * reduceStride];
                double w1 = w[at + (r + 1) * reduceStride];
                double w2 = w[at + (r + 2) * reduceStride];
                double w3 = w[at + (r + 3) * reduceStride];
                double[] x0 = x[xRow + r];
                double[] x1 = x[xRow + r + 1];
                double[] x2 = x[xRow + r + 2];
                double[] x3 = x[xRow + r + 3];
                for (int b = 0; b < lanes; b++) {
                    sums[b] += w0 * x0[b] + w1 * x1[b] + w2 * x2[b] + w3 * x3[b];
                }
            }
            for (; r < reduce; r++) {
                double w0 = w[at + r * reduceStride];
                double[] x0 = x[xRow + r];
                for (int b = 0; b < lanes; b++) {
                    sums[b] += w0 * x0[b];
                }
            }
        }
    }

    @Override
    public void multiplyAdd(float[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                            float[][] x, int xRow, float[][] out, int outRow, int lanes) {
        for (int i = 0; i < outputs; i++) {
            float[] sums = out[outRow + i];
            int at = offset + i * outputStride;
            int r = 0;
            for (; r + 4 <= reduce; r += 4) {
                float w0 = w[at + r * reduceStride];
                float w1 = w[at + (r + 1) * reduceStride];
                float w2 = w[at + (r + 2) * reduceStride];
                float w3 = w[at + (r + 3) * reduceStride];
                float[] x0 = x[xRow + r];
                float[] x1 = x[xRow + r + 1];
                float[] x2 = x[xRow + r + 2];
                float[] x3 = x[xRow + r + 3];
                for (int b = 0; b < lanes; b++) {
                    sums[b] += w0 * x0[b] + w1 * x1[b] + w2 * x2[b] + w3 * x3[b];
                }
            }
            for (; r < reduce; r++) {
                float w0 = w[at + r * reduceStride];
                float[] x0 = x[xRow + r];
                for (int b = 0; b < lanes; b++) {
                    sums[b] += w0 * x0[b];
                }
            }
        }
    }

    /**
     * Per-lane partial sums, columns × lanes, one set per thread: summing a dot product as it goes
     * is a reduction the JIT keeps scalar, while adding into per-lane sums is a loop it
     * vectorises; the lanes are added up once per entry at the end.
     */
    private static final ThreadLocal<double[][]> PARTIAL_SUMS = ThreadLocal.withInitial(() -> new double[0][0]);

    @Override
    public void addOuterProducts(double[][] d, int dRow, int dStride, double[][] x, int xRow, int xStride, int steps,
                                 int rows, int columns, double[] gradient, int gradientOffset, int lanes) {
        double[][] partial = partialSums(columns, lanes);
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < columns; j++) {
                java.util.Arrays.fill(partial[j], 0, lanes, 0.0);
            }
            int s = 0;
            for (; s + 2 <= steps; s += 2) {
                double[] d0 = d[dRow + s * dStride + m];
                double[] d1 = d[dRow + (s + 1) * dStride + m];
                int x0Row = xRow + s * xStride;
                int x1Row = x0Row + xStride;
                for (int j = 0; j < columns; j++) {
                    double[] sums = partial[j];
                    double[] x0 = x[x0Row + j];
                    double[] x1 = x[x1Row + j];
                    for (int b = 0; b < lanes; b++) {
                        sums[b] += d0[b] * x0[b] + d1[b] * x1[b];
                    }
                }
            }
            for (; s < steps; s++) {
                double[] d0 = d[dRow + s * dStride + m];
                int x0Row = xRow + s * xStride;
                for (int j = 0; j < columns; j++) {
                    double[] sums = partial[j];
                    double[] x0 = x[x0Row + j];
                    for (int b = 0; b < lanes; b++) {
                        sums[b] += d0[b] * x0[b];
                    }
                }
            }
            int row = gradientOffset + m * columns;
            for (int j = 0; j < columns; j++) {
                double[] sums = partial[j];
                double sum = 0;
                for (int b = 0; b < lanes; b++) {
                    sum += sums[b];
                }
                gradient[row + j] += sum;
            }
        }
    }

    private static final ThreadLocal<float[][]> FLOAT_PARTIAL_SUMS = ThreadLocal.withInitial(() -> new float[0][0]);

    @Override
    public void addOuterProducts(float[][] d, int dRow, int dStride, float[][] x, int xRow, int xStride, int steps,
                                 int rows, int columns, float[] gradient, int gradientOffset, int lanes) {
        float[][] partial = floatPartialSums(columns, lanes);
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < columns; j++) {
                java.util.Arrays.fill(partial[j], 0, lanes, 0f);
            }
            int s = 0;
            for (; s + 2 <= steps; s += 2) {
                float[] d0 = d[dRow + s * dStride + m];
                float[] d1 = d[dRow + (s + 1) * dStride + m];
                int x0Row = xRow + s * xStride;
                int x1Row = x0Row + xStride;
                for (int j = 0; j < columns; j++) {
                    float[] sums = partial[j];
                    float[] x0 = x[x0Row + j];
                    float[] x1 = x[x1Row + j];
                    for (int b = 0; b < lanes; b++) {
                        sums[b] += d0[b] * x0[b] + d1[b] * x1[b];
                    }
                }
            }
            for (; s < steps; s++) {
                float[] d0 = d[dRow + s * dStride + m];
                int x0Row = xRow + s * xStride;
                for (int j = 0; j < columns; j++) {
                    float[] sums = partial[j];
                    float[] x0 = x[x0Row + j];
                    for (int b = 0; b < lanes; b++) {
                        sums[b] += d0[b] * x0[b];
                    }
                }
            }
            int row = gradientOffset + m * columns;
            for (int j = 0; j < columns; j++) {
                float[] sums = partial[j];
                float sum = 0;
                for (int b = 0; b < lanes; b++) {
                    sum += sums[b];
                }
                gradient[row + j] += sum;
            }
        }
    }

    private static double[][] partialSums(int columns, int lanes) {
        double[][] partial = PARTIAL_SUMS.get();
        if (partial.length < columns || partial[0].length < lanes) {
            partial = new double[Math.max(columns, partial.length)][Math.max(lanes, partial.length == 0 ? 0 : partial[0].length)];
            PARTIAL_SUMS.set(partial);
        }
        return partial;
    }

    private static float[][] floatPartialSums(int columns, int lanes) {
        float[][] partial = FLOAT_PARTIAL_SUMS.get();
        if (partial.length < columns || partial[0].length < lanes) {
            partial = new float[Math.max(columns, partial.length)][Math.max(lanes, partial.length == 0 ? 0 : partial[0].length)];
            FLOAT_PARTIAL_SUMS.set(partial);
        }
        return partial;
    }

    /** Row by row: a sum the JIT keeps scalar; {@link Kernels} uses column copies instead when it can. */
    @Override
    public void addMatrixVector(double[] w, int rows, int columns, double[] x, int xOffset, double[] sums) {
        for (int m = 0; m < rows; m++) {
            double sum = 0;
            int at = m * columns;
            for (int j = 0; j < columns; j++) {
                sum += w[at + j] * x[xOffset + j];
            }
            sums[m] += sum;
        }
    }

    @Override
    public void sigmoid(double[][] rows, int from, int count, int lanes) {
        for (int k = 0; k < count; k++) {
            double[] row = rows[from + k];
            for (int b = 0; b < lanes; b++) {
                row[b] = DoubleActivations.sigmoid(row[b]);
            }
        }
    }

    @Override
    public void tanh(double[][] rows, int from, double[][] into, int intoRow, int count, int lanes) {
        for (int k = 0; k < count; k++) {
            double[] row = rows[from + k];
            double[] out = into[intoRow + k];
            for (int b = 0; b < lanes; b++) {
                out[b] = DoubleActivations.tanh(row[b]);
            }
        }
    }

    @Override
    public void sigmoid(float[][] rows, int from, int count, int lanes) {
        for (int k = 0; k < count; k++) {
            float[] row = rows[from + k];
            for (int b = 0; b < lanes; b++) {
                row[b] = FloatActivations.sigmoid(row[b]);
            }
        }
    }

    @Override
    public void tanh(float[][] rows, int from, float[][] into, int intoRow, int count, int lanes) {
        for (int k = 0; k < count; k++) {
            float[] row = rows[from + k];
            float[] out = into[intoRow + k];
            for (int b = 0; b < lanes; b++) {
                out[b] = FloatActivations.tanh(row[b]);
            }
        }
    }
}
