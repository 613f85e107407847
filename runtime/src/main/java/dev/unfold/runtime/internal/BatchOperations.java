package dev.unfold.runtime.internal;

/**
 * The matrix products of a batched pass, where a batch row is an array of
 * {@code lanes} values, one per sequence. Two implementations: {@link ScalarBatchOperations}, loops the JIT vectorises on
 * its own, and {@link VectorBatchOperations}, register-blocked with the JDK's Vector API when the
 * JVM runs with {@code --add-modules jdk.incubator.vector}; {@link TwoCoreOperations} splits large
 * products of either over two cores. {@link BatchKernels} picks.
 *
 * <p>Each operation comes in double and in float (for float32 networks), side by side here and in
 * every implementation. The float products sum in float, in the same order as the double ones.
 */
interface BatchOperations {

    /**
     * {@code out[outRow + i][b] += Σ_r w[offset + i·outputStride + r·reduceStride] · x[xRow + r][b]}
     * for i &lt; outputs, r &lt; reduce, b &lt; lanes. With strides (columns, 1) it is W x; with
     * (1, columns) it is Wᵀ x.
     */
    void multiplyAdd(double[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                     double[][] x, int xRow, double[][] out, int outRow, int lanes);

    /** {@link #multiplyAdd(double[], int, int, int, int, int, double[][], int, double[][], int, int)} in float. */
    void multiplyAdd(float[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                     float[][] x, int xRow, float[][] out, int outRow, int lanes);

    /**
     * {@code gradient[gradientOffset + m·columns + j] += Σ_s Σ_b d[dRow + s·dStride + m][b] · x[xRow + s·xStride + j][b]}
     * for m &lt; rows, j &lt; columns, s &lt; steps, b &lt; lanes: the outer products δ xᵀ of every
     * step and sequence, summed.
     */
    void addOuterProducts(double[][] d, int dRow, int dStride, double[][] x, int xRow, int xStride, int steps,
                          int rows, int columns, double[] gradient, int gradientOffset, int lanes);

    /** {@link #addOuterProducts(double[][], int, int, double[][], int, int, int, int, int, double[], int, int)} in float. */
    void addOuterProducts(float[][] d, int dRow, int dStride, float[][] x, int xRow, int xStride, int steps,
                          int rows, int columns, float[] gradient, int gradientOffset, int lanes);

    /**
     * {@code sums[m] += Σ_j w[m·columns + j] · x[xOffset + j]}: one sequence's matrix-vector product
     * on the row-major matrix as it is (see {@link Kernels#addMatrixVector(double[], double[][], double[], int, double[], int)}).
     */
    void addMatrixVector(double[] w, int rows, int columns, double[] x, int xOffset, double[] sums);

    /** {@code rows[from + k][b] = σ(rows[from + k][b])} for k &lt; count, b &lt; lanes, by {@link DoubleActivations#sigmoid}. */
    void sigmoid(double[][] rows, int from, int count, int lanes);

    /** {@link #sigmoid(double[][], int, int, int)} in float, by {@link FloatActivations#sigmoid}. */
    void sigmoid(float[][] rows, int from, int count, int lanes);

    /** {@code into[intoRow + k][b] = tanh(rows[from + k][b])} for k &lt; count, b &lt; lanes, by {@link DoubleActivations#tanh}. */
    void tanh(double[][] rows, int from, double[][] into, int intoRow, int count, int lanes);

    /** {@code into[intoRow + k][b] = tanh(rows[from + k][b])} for k &lt; count, b &lt; lanes, by {@link FloatActivations#tanh}. */
    void tanh(float[][] rows, int from, float[][] into, int intoRow, int count, int lanes);
}
