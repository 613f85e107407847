package dev.unfold.runtime.internal;

import java.util.Arrays;

/**
 * The inner loops generated networks share. Each is a small static method that the JIT inlines
 * at its call site, where the sizes are the generated class's constants.
 *
 * <p>Each comes in double and, right after it, in float for float32 networks: the same loop over
 * float arrays, summing in float in the same order.
 */
public final class Kernels {
    private Kernels() {}

    /**
     * {@code into[j][m] = matrix[m · columns + j]}: a row-major matrix's columns, each an array of
     * its own, for {@link #addMatrixVector}. Eight rows at a time, so that each column array
     * receives a whole cache line of values per visit rather than one.
     */
    public static void columns(double[] matrix, int rows, int columns, double[][] into) {
        int m = 0;
        for (; m + 8 <= rows; m += 8) {
            int r = m * columns;
            for (int j = 0; j < columns; j++) {
                double[] column = into[j];
                int at = r + j;
                column[m] = matrix[at];
                column[m + 1] = matrix[at + columns];
                column[m + 2] = matrix[at + 2 * columns];
                column[m + 3] = matrix[at + 3 * columns];
                column[m + 4] = matrix[at + 4 * columns];
                column[m + 5] = matrix[at + 5 * columns];
                column[m + 6] = matrix[at + 6 * columns];
                column[m + 7] = matrix[at + 7 * columns];
            }
        }
        for (; m < rows; m++) {
            int r = m * columns;
            for (int j = 0; j < columns; j++) {
                into[j][m] = matrix[r + j];
            }
        }
    }

    /** {@link #columns(double[], int, int, double[][])} in float. */
    public static void columns(float[] matrix, int rows, int columns, float[][] into) {
        int m = 0;
        for (; m + 8 <= rows; m += 8) {
            int r = m * columns;
            for (int j = 0; j < columns; j++) {
                float[] column = into[j];
                int at = r + j;
                column[m] = matrix[at];
                column[m + 1] = matrix[at + columns];
                column[m + 2] = matrix[at + 2 * columns];
                column[m + 3] = matrix[at + 3 * columns];
                column[m + 4] = matrix[at + 4 * columns];
                column[m + 5] = matrix[at + 5 * columns];
                column[m + 6] = matrix[at + 6 * columns];
                column[m + 7] = matrix[at + 7 * columns];
            }
        }
        for (; m < rows; m++) {
            int r = m * columns;
            for (int j = 0; j < columns; j++) {
                into[j][m] = matrix[r + j];
            }
        }
    }

    /**
     * {@link #columns} only if the matrix differs from {@code copied}, the values the columns were
     * last made from, which it then updates. Comparing is a sequential scan the JDK vectorises,
     * several times cheaper than the column copy's scattered writes, and exact: any change to the
     * matrix, by whatever means, is seen. Nothing to do when the products read the matrix itself
     * (see {@link #readsMatrixItself}).
     */
    public static void columnsIfChanged(double[] matrix, int rows, int columns, double[] copied, double[][] into) {
        if (!readsMatrixItself(rows, columns)) {
            copyColumnsIfChanged(matrix, rows, columns, copied, into);
        }
    }

    /** {@link #columnsIfChanged(double[], int, int, double[], double[][])} in float. */
    public static void columnsIfChanged(float[] matrix, int rows, int columns, float[] copied, float[][] into) {
        copyColumnsIfChanged(matrix, rows, columns, copied, into);
    }

    /**
     * Whether {@link #addMatrixVector(double[], double[][], double[], int, double[], int)} reads the
     * row-major matrix rather than its column copies: with the Vector API, from 4,096 entries on.
     * Below, the column loops win: a row of a few columns is mostly the vector sum's fixed cost.
     * A float matrix is always read by its columns (see
     * {@link #addMatrixVector(float[], float[][], float[], int, float[], int)}).
     */
    static boolean readsMatrixItself(int rows, int columns) {
        return BatchKernels.vectorised() && rows * columns >= 4096;
    }

    /** {@link #columnsIfChanged}'s copy, whatever the products use. */
    static void copyColumnsIfChanged(double[] matrix, int rows, int columns, double[] copied, double[][] into) {
        int n = rows * columns;
        if (Arrays.mismatch(matrix, 0, n, copied, 0, n) < 0) {
            return;
        }
        System.arraycopy(matrix, 0, copied, 0, n);
        columns(matrix, rows, columns, into);
    }

    /** {@link #copyColumnsIfChanged(double[], int, int, double[], double[][])} in float. */
    static void copyColumnsIfChanged(float[] matrix, int rows, int columns, float[] copied, float[][] into) {
        int n = rows * columns;
        if (Arrays.mismatch(matrix, 0, n, copied, 0, n) < 0) {
            return;
        }
        System.arraycopy(matrix, 0, copied, 0, n);
        columns(matrix, rows, columns, into);
    }

    /**
     * From this many rows on, {@link #addMatrixVector(double[][], double[], int, double[], int)} keeps
     * its sums in vector registers ({@link VectorColumnProducts}): four vectors of 16 floats, or of 8
     * doubles twice over. Below, the plain loop is faster: measured on W1's 20 rows, a vector or two
     * and a remainder, called one level deeper, made its training step 8% slower.
     */
    static final int VECTOR_COLUMN_ROWS = 64;

    /**
     * {@code sums[m] += Σ_j columns[j][m] · x[xOffset + j]} for m &lt; rows: a matrix, given by its
     * columns, times a vector, added column by column.
     *
     * <p>Java 17's JIT vectorises a loop only when every array in it is read and written at the
     * same index (it cannot rule out that two arrays are one, and then an offset between them
     * would make the loop depend on itself). Row by row, a matrix-vector product is a sum, which
     * it will not vectorise either; column by column, it is {@code sums[m] += column[m] · x_j},
     * which it does, several m at once. With the Vector API and from {@link #VECTOR_COLUMN_ROWS}
     * rows on, {@link VectorColumnProducts} keeps the sums in registers over every column instead,
     * with the same results bit for bit.
     */
    public static void addMatrixVector(double[][] columns, double[] x, int xOffset, double[] sums, int rows) {
        if (rows >= VECTOR_COLUMN_ROWS && BatchKernels.vectorised()) {
            VectorColumnProducts.addMatrixVector(columns, x, xOffset, sums, rows);
            return;
        }
        for (int j = 0; j < columns.length; j++) {
            double xj = x[xOffset + j];
            double[] column = columns[j];
            for (int m = 0; m < rows; m++) {
                sums[m] += column[m] * xj;
            }
        }
    }

    /** {@link #addMatrixVector(double[][], double[], int, double[], int)} in float. */
    public static void addMatrixVector(float[][] columns, float[] x, int xOffset, float[] sums, int rows) {
        if (rows >= VECTOR_COLUMN_ROWS && BatchKernels.vectorised()) {
            VectorColumnProducts.addMatrixVector(columns, x, xOffset, sums, rows);
            return;
        }
        for (int j = 0; j < columns.length; j++) {
            float xj = x[xOffset + j];
            float[] column = columns[j];
            for (int m = 0; m < rows; m++) {
                sums[m] += column[m] * xj;
            }
        }
    }

    /**
     * {@code sums[m] += Σ_j matrix[m · columns + j] · x[xOffset + j]}, for columns = {@code
     * columns.length}: with the Vector API (see {@link BatchKernels}) and a large enough matrix, on
     * the row-major matrix as it is, four rows at a time in vector registers; otherwise by the
     * column copies
     * {@link #columnsIfChanged} keeps, as {@link #addMatrixVector(double[][], double[], int, double[], int)}.
     */
    public static void addMatrixVector(double[] matrix, double[][] columns, double[] x, int xOffset, double[] sums,
                                       int rows) {
        if (readsMatrixItself(rows, columns.length)) {
            BatchKernels.addMatrixVector(matrix, rows, columns.length, x, xOffset, sums);
        } else {
            addMatrixVector(columns, x, xOffset, sums, rows);
        }
    }

    /**
     * {@link #addMatrixVector(double[], double[][], double[], int, double[], int)} in float, always
     * by the column copies: a row-major row's sum must add its vector's lanes one by one (in a fixed
     * order, so that results do not depend on the machine), and a float vector has twice a double
     * vector's lanes (16 with AVX-512), so that sum costs more than the products it ends. Measured
     * with the Vector API on an AVX-512 machine, reading the rows made W5's float step 1.7× and W6's
     * float forward pass 1.8× slower than the columns, whose loop the JIT vectorises.
     */
    public static void addMatrixVector(float[] matrix, float[][] columns, float[] x, int xOffset, float[] sums,
                                       int rows) {
        addMatrixVector(columns, x, xOffset, sums, rows);
    }

    /** {@code into[m]} = row m of a row-major matrix, each an array of its own, for {@link #addScaled}. */
    public static void rows(double[] matrix, int rows, int columns, double[][] into) {
        for (int m = 0; m < rows; m++) {
            System.arraycopy(matrix, m * columns, into[m], 0, columns);
        }
    }

    /** {@link #rows(double[], int, int, double[][])} in float. */
    public static void rows(float[] matrix, int rows, int columns, float[][] into) {
        for (int m = 0; m < rows; m++) {
            System.arraycopy(matrix, m * columns, into[m], 0, columns);
        }
    }

    /**
     * {@code y[i] += a · x[i]} for i &lt; n. Both arrays are read at the same index, so the JIT
     * vectorises it (see {@link #addMatrixVector}).
     */
    public static void addScaled(double a, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += a * x[i];
        }
    }

    /** {@link #addScaled(double, double[], double[], int)} in float. */
    public static void addScaled(float a, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += a * x[i];
        }
    }

    /**
     * {@code gradient[m · columns + j] += Σ_t d[t · rows + m] · x[xFrom + (t − 1) · xStride + j]} for
     * t = 1..steps, m &lt; rows, j &lt; columns: a sequence's weight gradient Σ_t d_t x_tᵀ (equations.md
     * (3.3), (3.7)), with d_t in row t of a buffer of rows-wide rows and x_t in rows of any stride (a
     * layer's states, both directions of a bidirectional one side by side). Each step's x_t is copied
     * into {@code xRow} and added scaled into the rows of {@code gradientRows}, zero between calls,
     * whose loops the JIT vectorises (see {@link #addScaled}); the rows are then added into the
     * gradient and zeroed: each entry's terms summed from zero in step order, then added once.
     *
     * <p>Keeping each row's sums in vector registers over all the steps instead measured 2.5–3× faster
     * on W2's and W6's shapes, but Java 17's JIT boxed those vectors once it ran out of class-check
     * traps (-XX:PerMethodTrapLimit=0: megabytes a call, in the multiply-then-add form and, in some
     * runs, in the fused one), so the generated code's one call per weight is where such a kernel
     * would go once it allocates nothing in every JVM history (benchmarks/ANALYSIS.md).
     */
    public static void addOuterProducts(double[] d, double[] x, int xFrom, int xStride, int steps, int rows,
                                        int columns, double[] gradient, double[] xRow, double[][] gradientRows) {
        for (int t = 1; t <= steps; t++) {
            System.arraycopy(x, xFrom + (t - 1) * xStride, xRow, 0, columns);
            int row = t * rows;
            for (int m = 0; m < rows; m++) {
                addScaled(d[row + m], xRow, gradientRows[m], columns);
            }
        }
        addRowsInto(gradientRows, gradient, columns);
    }

    /** {@link #addOuterProducts(double[], double[], int, int, int, int, int, double[], double[], double[][])} in float. */
    public static void addOuterProducts(float[] d, float[] x, int xFrom, int xStride, int steps, int rows,
                                        int columns, float[] gradient, float[] xRow, float[][] gradientRows) {
        for (int t = 1; t <= steps; t++) {
            System.arraycopy(x, xFrom + (t - 1) * xStride, xRow, 0, columns);
            int row = t * rows;
            for (int m = 0; m < rows; m++) {
                addScaled(d[row + m], xRow, gradientRows[m], columns);
            }
        }
        addRowsInto(gradientRows, gradient, columns);
    }

    /** Adds each row into the row-major matrix, then zeroes the row. */
    public static void addRowsInto(double[][] rows, double[] matrix, int columns) {
        for (int m = 0; m < rows.length; m++) {
            double[] row = rows[m];
            int offset = m * columns;
            for (int j = 0; j < columns; j++) {
                matrix[offset + j] += row[j];
                row[j] = 0;
            }
        }
    }

    /** {@link #addRowsInto(double[][], double[], int)} in float. */
    public static void addRowsInto(float[][] rows, float[] matrix, int columns) {
        for (int m = 0; m < rows.length; m++) {
            float[] row = rows[m];
            int offset = m * columns;
            for (int j = 0; j < columns; j++) {
                matrix[offset + j] += row[j];
                row[j] = 0;
            }
        }
    }

    /**
     * {@code out[outOffset + k] = softmax(logits[offset..offset + n))_k}, computed from the largest
     * logit so that exp never overflows, with one exp per entry; returns log Σ_k exp(logits_k),
     * the log-sum-exp the cross-entropy needs.
     */
    public static double softmax(double[] logits, int offset, int n, double[] out, int outOffset) {
        double max = logits[offset];
        for (int k = 1; k < n; k++) {
            max = Math.max(max, logits[offset + k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double e = Math.exp(logits[offset + k] - max);
            out[outOffset + k] = e;
            sum += e;
        }
        double scale = 1 / sum;
        for (int k = 0; k < n; k++) {
            out[outOffset + k] *= scale;
        }
        return max + Math.log(sum);
    }

    /**
     * {@link #softmax(double[], int, int, double[], int)} for float logits: each e^(logit − max) by
     * {@link FloatActivations#exp}, their sum in double, each probability that sum's share rounded
     * once to float; returns the log-sum-exp in double, by {@code StrictMath.log}, so that the
     * loss too is the same whether the code is interpreted or compiled.
     */
    public static double softmax(float[] logits, int offset, int n, float[] out, int outOffset) {
        float max = logits[offset];
        for (int k = 1; k < n; k++) {
            max = Math.max(max, logits[offset + k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            float e = FloatActivations.exp(logits[offset + k] - max);
            out[outOffset + k] = e;
            sum += e;
        }
        for (int k = 0; k < n; k++) {
            out[outOffset + k] = (float) (out[outOffset + k] / sum);
        }
        return max + StrictMath.log(sum);
    }
}
