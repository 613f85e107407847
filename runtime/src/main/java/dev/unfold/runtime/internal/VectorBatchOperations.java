package dev.unfold.runtime.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchOperations} with the JDK's Vector API: the sums of four output rows across four
 * vectors of lanes stay in registers for the whole reduction, so each step of it is four vector
 * loads and four broadcasts for sixteen fused multiply-adds, where the plain loops load and store
 * the row being summed into on every step. Loaded only when the JVM resolves
 * {@code jdk.incubator.vector} (see {@link BatchKernels}).
 */
final class VectorBatchOperations implements BatchOperations {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();

    @Override
    public void multiplyAdd(double[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                            double[][] x, int xRow, double[][] out, int outRow, int lanes) {
        int i = 0;
        for (; i + 4 <= outputs; i += 4) {
            int v = 0;
            for (; v + 4 * LENGTH <= lanes; v += 4 * LENGTH) {
                fourRowsFourVectors(w, offset + i * outputStride, outputStride, reduceStride, reduce, x, xRow,
                        out, outRow + i, v);
            }
            for (; v < lanes; v += LENGTH) {
                fourRowsOneVector(w, offset + i * outputStride, outputStride, reduceStride, reduce, x, xRow,
                        out, outRow + i, v);
            }
        }
        for (; i < outputs; i++) {
            double[] sums = out[outRow + i];
            int at = offset + i * outputStride;
            for (int v = 0; v < lanes; v += LENGTH) {
                DoubleVector acc = DoubleVector.fromArray(SPECIES, sums, v);
                for (int r = 0; r < reduce; r++) {
                    acc = DoubleVector.fromArray(SPECIES, x[xRow + r], v)
                            .fma(DoubleVector.broadcast(SPECIES, w[at + r * reduceStride]), acc);
                }
                acc.intoArray(sums, v);
            }
        }
    }

    private static void fourRowsFourVectors(double[] w, int at, int outputStride, int reduceStride, int reduce,
                                            double[][] x, int xRow, double[][] out, int outRow, int v) {
        double[] o0 = out[outRow];
        double[] o1 = out[outRow + 1];
        double[] o2 = out[outRow + 2];
        double[] o3 = out[outRow + 3];
        int v1 = v + LENGTH;
        int v2 = v + 2 * LENGTH;
        int v3 = v + 3 * LENGTH;
        DoubleVector a00 = DoubleVector.fromArray(SPECIES, o0, v), a01 = DoubleVector.fromArray(SPECIES, o0, v1);
        DoubleVector a02 = DoubleVector.fromArray(SPECIES, o0, v2), a03 = DoubleVector.fromArray(SPECIES, o0, v3);
        DoubleVector a10 = DoubleVector.fromArray(SPECIES, o1, v), a11 = DoubleVector.fromArray(SPECIES, o1, v1);
        DoubleVector a12 = DoubleVector.fromArray(SPECIES, o1, v2), a13 = DoubleVector.fromArray(SPECIES, o1, v3);
        DoubleVector a20 = DoubleVector.fromArray(SPECIES, o2, v), a21 = DoubleVector.fromArray(SPECIES, o2, v1);
        DoubleVector a22 = DoubleVector.fromArray(SPECIES, o2, v2), a23 = DoubleVector.fromArray(SPECIES, o2, v3);
        DoubleVector a30 = DoubleVector.fromArray(SPECIES, o3, v), a31 = DoubleVector.fromArray(SPECIES, o3, v1);
        DoubleVector a32 = DoubleVector.fromArray(SPECIES, o3, v2), a33 = DoubleVector.fromArray(SPECIES, o3, v3);
        for (int r = 0; r < reduce; r++) {
            double[] xr = x[xRow + r];
            DoubleVector x0 = DoubleVector.fromArray(SPECIES, xr, v);
            DoubleVector x1 = DoubleVector.fromArray(SPECIES, xr, v1);
            DoubleVector x2 = DoubleVector.fromArray(SPECIES, xr, v2);
            DoubleVector x3 = DoubleVector.fromArray(SPECIES, xr, v3);
            int k = at + r * reduceStride;
            DoubleVector w0 = DoubleVector.broadcast(SPECIES, w[k]);
            a00 = x0.fma(w0, a00); a01 = x1.fma(w0, a01); a02 = x2.fma(w0, a02); a03 = x3.fma(w0, a03);
            DoubleVector w1 = DoubleVector.broadcast(SPECIES, w[k + outputStride]);
            a10 = x0.fma(w1, a10); a11 = x1.fma(w1, a11); a12 = x2.fma(w1, a12); a13 = x3.fma(w1, a13);
            DoubleVector w2 = DoubleVector.broadcast(SPECIES, w[k + 2 * outputStride]);
            a20 = x0.fma(w2, a20); a21 = x1.fma(w2, a21); a22 = x2.fma(w2, a22); a23 = x3.fma(w2, a23);
            DoubleVector w3 = DoubleVector.broadcast(SPECIES, w[k + 3 * outputStride]);
            a30 = x0.fma(w3, a30); a31 = x1.fma(w3, a31); a32 = x2.fma(w3, a32); a33 = x3.fma(w3, a33);
        }
        a00.intoArray(o0, v); a01.intoArray(o0, v1); a02.intoArray(o0, v2); a03.intoArray(o0, v3);
        a10.intoArray(o1, v); a11.intoArray(o1, v1); a12.intoArray(o1, v2); a13.intoArray(o1, v3);
        a20.intoArray(o2, v); a21.intoArray(o2, v1); a22.intoArray(o2, v2); a23.intoArray(o2, v3);
        a30.intoArray(o3, v); a31.intoArray(o3, v1); a32.intoArray(o3, v2); a33.intoArray(o3, v3);
    }

    private static void fourRowsOneVector(double[] w, int at, int outputStride, int reduceStride, int reduce,
                                          double[][] x, int xRow, double[][] out, int outRow, int v) {
        double[] o0 = out[outRow];
        double[] o1 = out[outRow + 1];
        double[] o2 = out[outRow + 2];
        double[] o3 = out[outRow + 3];
        DoubleVector a0 = DoubleVector.fromArray(SPECIES, o0, v);
        DoubleVector a1 = DoubleVector.fromArray(SPECIES, o1, v);
        DoubleVector a2 = DoubleVector.fromArray(SPECIES, o2, v);
        DoubleVector a3 = DoubleVector.fromArray(SPECIES, o3, v);
        for (int r = 0; r < reduce; r++) {
            DoubleVector xr = DoubleVector.fromArray(SPECIES, x[xRow + r], v);
            int k = at + r * reduceStride;
            a0 = xr.fma(DoubleVector.broadcast(SPECIES, w[k]), a0);
            a1 = xr.fma(DoubleVector.broadcast(SPECIES, w[k + outputStride]), a1);
            a2 = xr.fma(DoubleVector.broadcast(SPECIES, w[k + 2 * outputStride]), a2);
            a3 = xr.fma(DoubleVector.broadcast(SPECIES, w[k + 3 * outputStride]), a3);
        }
        a0.intoArray(o0, v);
        a1.intoArray(o1, v);
        a2.intoArray(o2, v);
        a3.intoArray(o3, v);
    }

    /**
     * Sixteen sums of four rows of δ by four rows of x, one vector of lanes each, kept between
     * the passes over the lanes' vectors; one set per thread.
     */
    /** What {@link #addOuterProducts} rearranges its operands into, one set per thread. */
    private static final class Scratch {
        /** δ by row: row m holds δ[s][m][b] of every step s and lane b, in that order. */
        double[] deltas = new double[0];
        /** x by (step, lane): one array of {@code columns} values per step and lane. */
        double[][] inputs = new double[0][0];
        /** The gradient being summed, by rows. */
        double[][] sums = new double[0][0];

        void reserve(int count, int rows, int columns) {
            if (deltas.length < count * rows) {
                deltas = new double[count * rows];
            }
            if (inputs.length < count || inputs[0].length < columns) {
                inputs = new double[Math.max(count, inputs.length)][Math.max(columns, width(inputs))];
            }
            if (sums.length < rows || sums[0].length < columns) {
                sums = new double[Math.max(rows, sums.length)][Math.max(columns, width(sums))];
            }
        }

        private static int width(double[][] rows) {
            return rows.length == 0 ? 0 : rows[0].length;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final ScalarBatchOperations PLAIN = new ScalarBatchOperations();

    /**
     * The gradient as a product of the lanes' rows: with δ and x rearranged so that each step
     * and lane is a row, gradient row m = Σ_(s,b) δ_(s,b)[m] · x_(s,b), which is
     * {@link #multiplyAdd} with the columns in the place of the lanes, its sums in registers over
     * every step and lane at once. Summing per (m, j) over the lanes instead, as the plain loops
     * do, ran at a third of the speed: Java 17's JIT boxes vectors carried through two loops.
     * Column counts that are not a whole number of vectors take the plain loops.
     */
    @Override
    public void addOuterProducts(double[][] d, int dRow, int dStride, double[][] x, int xRow, int xStride, int steps,
                                 int rows, int columns, double[] gradient, int gradientOffset, int lanes) {
        if (columns % LENGTH != 0) {
            PLAIN.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, rows, columns, gradient, gradientOffset, lanes);
            return;
        }
        int count = steps * lanes;
        Scratch scratch = SCRATCH.get();
        scratch.reserve(count, rows, columns);
        double[] deltas = scratch.deltas;
        double[][] inputs = scratch.inputs;
        double[][] sums = scratch.sums;
        for (int s = 0; s < steps; s++) {
            for (int m = 0; m < rows; m++) {
                System.arraycopy(d[dRow + s * dStride + m], 0, deltas, m * count + s * lanes, lanes);
            }
            for (int j = 0; j < columns; j++) {
                double[] values = x[xRow + s * xStride + j];
                for (int b = 0; b < lanes; b++) {
                    inputs[s * lanes + b][j] = values[b];
                }
            }
        }
        for (int m = 0; m < rows; m++) {
            java.util.Arrays.fill(sums[m], 0, columns, 0.0);
        }
        multiplyAdd(deltas, 0, count, 1, rows, count, inputs, 0, sums, 0, columns);
        for (int m = 0; m < rows; m++) {
            double[] sum = sums[m];
            int at = gradientOffset + m * columns;
            for (int j = 0; j < columns; j++) {
                gradient[at + j] += sum[j];
            }
        }
    }

    /**
     * Four rows at a time, each summed in a vector over the columns (one loop, so the sums stay in
     * registers), then across its lanes; columns past the last whole vector in scalars.
     */
    @Override
    public void addMatrixVector(double[] w, int rows, int columns, double[] x, int xOffset, double[] sums) {
        int vectorColumns = columns / LENGTH * LENGTH;
        int m = 0;
        for (; m + 4 <= rows; m += 4) {
            int r0 = m * columns;
            int r1 = r0 + columns;
            int r2 = r1 + columns;
            int r3 = r2 + columns;
            DoubleVector s0 = DoubleVector.zero(SPECIES);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int j = 0; j < vectorColumns; j += LENGTH) {
                DoubleVector xj = DoubleVector.fromArray(SPECIES, x, xOffset + j);
                s0 = DoubleVector.fromArray(SPECIES, w, r0 + j).fma(xj, s0);
                s1 = DoubleVector.fromArray(SPECIES, w, r1 + j).fma(xj, s1);
                s2 = DoubleVector.fromArray(SPECIES, w, r2 + j).fma(xj, s2);
                s3 = DoubleVector.fromArray(SPECIES, w, r3 + j).fma(xj, s3);
            }
            double t0 = sumOfLanes(s0);
            double t1 = sumOfLanes(s1);
            double t2 = sumOfLanes(s2);
            double t3 = sumOfLanes(s3);
            for (int j = vectorColumns; j < columns; j++) {
                double xj = x[xOffset + j];
                t0 += w[r0 + j] * xj;
                t1 += w[r1 + j] * xj;
                t2 += w[r2 + j] * xj;
                t3 += w[r3 + j] * xj;
            }
            sums[m] += t0;
            sums[m + 1] += t1;
            sums[m + 2] += t2;
            sums[m + 3] += t3;
        }
        for (; m < rows; m++) {
            int r = m * columns;
            DoubleVector s0 = DoubleVector.zero(SPECIES);
            for (int j = 0; j < vectorColumns; j += LENGTH) {
                s0 = DoubleVector.fromArray(SPECIES, w, r + j).fma(DoubleVector.fromArray(SPECIES, x, xOffset + j), s0);
            }
            double t = sumOfLanes(s0);
            for (int j = vectorColumns; j < columns; j++) {
                t += w[r + j] * x[xOffset + j];
            }
            sums[m] += t;
        }
    }

    /**
     * The lanes added first to last. Not {@code reduceLanes(ADD)}, whose order the Vector API leaves
     * open: the JIT's tiers add in different orders, and a network must compute the same values
     * every time.
     */
    private static double sumOfLanes(DoubleVector v) {
        double sum = v.lane(0);
        for (int i = 1; i < LENGTH; i++) {
            sum += v.lane(i);
        }
        return sum;
    }
}
