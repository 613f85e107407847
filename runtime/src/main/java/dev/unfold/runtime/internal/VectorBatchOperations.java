package dev.unfold.runtime.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchOperations} with the JDK's Vector API: the sums of four output rows across four
 * vectors of lanes stay in registers for the whole reduction, so each step of it is four vector
 * loads and four broadcasts for sixteen fused multiply-adds, where the plain loops load and store
 * the row being summed into on every step. Loaded only when the JVM resolves
 * {@code jdk.incubator.vector} (see {@link BatchKernels}).
 *
 * <p>The float products follow their double twins, which they sit beside: a float vector holds
 * twice the lanes. Lane b of an output row is the same chain of fused multiply-adds over the
 * reduction, first to last, whichever block computes it, so its value does not depend on the
 * vector width or on how the lanes are blocked; lanes past the last whole vector run the same
 * chain with {@code Math.fma}, so the float products take any number of lanes.
 */
final class VectorBatchOperations implements BatchOperations {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();
    private static final VectorSpecies<Float> FLOAT_SPECIES = FloatVectorActivations.SPECIES;
    private static final int FLOAT_LENGTH = FLOAT_SPECIES.length();

    /**
     * Whether float products over two vectors of lanes take twelve rows at a time (24 sums in
     * registers) before eight: only where the JIT keeps a kernel that large in registers however the
     * JVM ran before, from Java 25 on. Java 17's C2 gives up on a compiled method whose inlined Vector
     * API calls have recorded more than {@code -XX:PerMethodTrapLimit} class-check traps in total and
     * boxes its vectors (ARCHITECTURE.md, on the row activations); with the twelve-row block
     * the runtime suite's FloatAllocationTest measured 346 MB per 200 steps in one test order. The
     * eight-row block gives the same bits.
     */
    private static final boolean TWELVE_ROW_FLOAT_BLOCKS = Runtime.version().feature() >= 25;

    /**
     * The reduction in chunks of rows of x that stay in the core's caches while every output row
     * passes over them: without chunks a product whose x is larger than a cache (BPTT's 1024 rows of
     * δ, the weight gradient's 35 steps × 32 lanes of inputs) read all of x from the next level for
     * every four output rows, and the transposed product's four columns of W, 2 KB apart, fell out
     * of the cache before the next four used the rest of their lines. Each output's sum is stored and
     * reloaded between chunks, which is exact: its chain of fused multiply-adds is the same.
     */
    @Override
    public void multiplyAdd(double[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                            double[][] x, int xRow, double[][] out, int outRow, int lanes) {
        int chunk = chunkRows(lanes * Double.BYTES);
        for (int r = 0; r < reduce; r += chunk) {
            multiplyAddChunk(w, offset + r * reduceStride, outputStride, reduceStride, outputs,
                    Math.min(chunk, reduce - r), x, xRow + r, out, outRow, lanes);
        }
    }

    /** {@link #multiplyAdd(double[], int, int, int, int, int, double[][], int, double[][], int, int)} in float. */
    @Override
    public void multiplyAdd(float[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                            float[][] x, int xRow, float[][] out, int outRow, int lanes) {
        int chunk = chunkRows(lanes * Float.BYTES);
        for (int r = 0; r < reduce; r += chunk) {
            multiplyAddChunk(w, offset + r * reduceStride, outputStride, reduceStride, outputs,
                    Math.min(chunk, reduce - r), x, xRow + r, out, outRow, lanes);
        }
    }

    /**
     * The bytes of x a chunk of the reduction reads: half of this core's 1 MB L2, a quarter of a
     * 256 KB one. Measured on W3's shapes (one core, AMD Zen 4): 16 KB chunks slowed the forward
     * product by 10%, 64 KB ones left it as it was and made the transposed product 5% and the weight
     * gradient 20–40% faster than one chunk for the whole reduction.
     */
    private static final int CHUNK_BYTES = 64 * 1024;

    /** How many rows of x of {@code rowBytes} each make a chunk: at least 16, so that wide rows still chunk. */
    static int chunkRows(int rowBytes) {
        return Math.max(16, CHUNK_BYTES / Math.max(1, rowBytes));
    }

    private static void multiplyAddChunk(double[] w, int offset, int outputStride, int reduceStride, int outputs,
                                         int reduce, double[][] x, int xRow, double[][] out, int outRow, int lanes) {
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

    private static void multiplyAddChunk(float[] w, int offset, int outputStride, int reduceStride, int outputs,
                                         int reduce, float[][] x, int xRow, float[][] out, int outRow, int lanes) {
        int whole = FLOAT_SPECIES.loopBound(lanes);
        int i = 0;
        for (; TWELVE_ROW_FLOAT_BLOCKS && i + 12 <= outputs && whole == 2 * FLOAT_LENGTH; i += 12) {
            twelveRowsTwoVectors(w, offset + i * outputStride, outputStride, reduceStride, reduce, x, xRow, out, outRow + i);
        }
        for (; i + 8 <= outputs && whole == 2 * FLOAT_LENGTH; i += 8) {
            eightRowsTwoVectors(w, offset + i * outputStride, outputStride, reduceStride, reduce, x, xRow, out, outRow + i);
        }
        for (; i + 4 <= outputs; i += 4) {
            int at = offset + i * outputStride;
            int v = 0;
            for (; v + 4 * FLOAT_LENGTH <= whole; v += 4 * FLOAT_LENGTH) {
                fourRowsFourVectors(w, at, outputStride, reduceStride, reduce, x, xRow, out, outRow + i, v);
            }
            for (; v + 2 * FLOAT_LENGTH <= whole; v += 2 * FLOAT_LENGTH) {
                fourRowsTwoVectors(w, at, outputStride, reduceStride, reduce, x, xRow, out, outRow + i, v);
            }
            for (; v < whole; v += FLOAT_LENGTH) {
                fourRowsOneVector(w, at, outputStride, reduceStride, reduce, x, xRow, out, outRow + i, v);
            }
        }
        for (; i < outputs; i++) {
            float[] sums = out[outRow + i];
            int at = offset + i * outputStride;
            for (int v = 0; v < whole; v += FLOAT_LENGTH) {
                FloatVector acc = FloatVector.fromArray(FLOAT_SPECIES, sums, v);
                for (int r = 0; r < reduce; r++) {
                    acc = FloatVector.fromArray(FLOAT_SPECIES, x[xRow + r], v)
                            .fma(FloatVector.broadcast(FLOAT_SPECIES, w[at + r * reduceStride]), acc);
                }
                acc.intoArray(sums, v);
            }
        }
        if (whole < lanes) {
            lanesPastTheVectors(w, offset, outputStride, reduceStride, outputs, reduce, x, xRow, out, outRow, whole, lanes);
        }
    }

    /** The float products' lanes [from, lanes), with the vectors' chain of fused multiply-adds. */
    private static void lanesPastTheVectors(float[] w, int offset, int outputStride, int reduceStride, int outputs,
                                            int reduce, float[][] x, int xRow, float[][] out, int outRow,
                                            int from, int lanes) {
        for (int i = 0; i < outputs; i++) {
            float[] sums = out[outRow + i];
            int at = offset + i * outputStride;
            for (int b = from; b < lanes; b++) {
                float acc = sums[b];
                for (int r = 0; r < reduce; r++) {
                    acc = Math.fma(x[xRow + r][b], w[at + r * reduceStride], acc);
                }
                sums[b] = acc;
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

    private static void fourRowsFourVectors(float[] w, int at, int outputStride, int reduceStride, int reduce,
                                            float[][] x, int xRow, float[][] out, int outRow, int v) {
        float[] o0 = out[outRow];
        float[] o1 = out[outRow + 1];
        float[] o2 = out[outRow + 2];
        float[] o3 = out[outRow + 3];
        int v1 = v + FLOAT_LENGTH;
        int v2 = v + 2 * FLOAT_LENGTH;
        int v3 = v + 3 * FLOAT_LENGTH;
        FloatVector a00 = FloatVector.fromArray(FLOAT_SPECIES, o0, v), a01 = FloatVector.fromArray(FLOAT_SPECIES, o0, v1);
        FloatVector a02 = FloatVector.fromArray(FLOAT_SPECIES, o0, v2), a03 = FloatVector.fromArray(FLOAT_SPECIES, o0, v3);
        FloatVector a10 = FloatVector.fromArray(FLOAT_SPECIES, o1, v), a11 = FloatVector.fromArray(FLOAT_SPECIES, o1, v1);
        FloatVector a12 = FloatVector.fromArray(FLOAT_SPECIES, o1, v2), a13 = FloatVector.fromArray(FLOAT_SPECIES, o1, v3);
        FloatVector a20 = FloatVector.fromArray(FLOAT_SPECIES, o2, v), a21 = FloatVector.fromArray(FLOAT_SPECIES, o2, v1);
        FloatVector a22 = FloatVector.fromArray(FLOAT_SPECIES, o2, v2), a23 = FloatVector.fromArray(FLOAT_SPECIES, o2, v3);
        FloatVector a30 = FloatVector.fromArray(FLOAT_SPECIES, o3, v), a31 = FloatVector.fromArray(FLOAT_SPECIES, o3, v1);
        FloatVector a32 = FloatVector.fromArray(FLOAT_SPECIES, o3, v2), a33 = FloatVector.fromArray(FLOAT_SPECIES, o3, v3);
        for (int r = 0; r < reduce; r++) {
            float[] xr = x[xRow + r];
            FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, xr, v);
            FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, xr, v1);
            FloatVector x2 = FloatVector.fromArray(FLOAT_SPECIES, xr, v2);
            FloatVector x3 = FloatVector.fromArray(FLOAT_SPECIES, xr, v3);
            int k = at + r * reduceStride;
            FloatVector w0 = FloatVector.broadcast(FLOAT_SPECIES, w[k]);
            a00 = x0.fma(w0, a00); a01 = x1.fma(w0, a01); a02 = x2.fma(w0, a02); a03 = x3.fma(w0, a03);
            FloatVector w1 = FloatVector.broadcast(FLOAT_SPECIES, w[k + outputStride]);
            a10 = x0.fma(w1, a10); a11 = x1.fma(w1, a11); a12 = x2.fma(w1, a12); a13 = x3.fma(w1, a13);
            FloatVector w2 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 2 * outputStride]);
            a20 = x0.fma(w2, a20); a21 = x1.fma(w2, a21); a22 = x2.fma(w2, a22); a23 = x3.fma(w2, a23);
            FloatVector w3 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 3 * outputStride]);
            a30 = x0.fma(w3, a30); a31 = x1.fma(w3, a31); a32 = x2.fma(w3, a32); a33 = x3.fma(w3, a33);
        }
        a00.intoArray(o0, v); a01.intoArray(o0, v1); a02.intoArray(o0, v2); a03.intoArray(o0, v3);
        a10.intoArray(o1, v); a11.intoArray(o1, v1); a12.intoArray(o1, v2); a13.intoArray(o1, v3);
        a20.intoArray(o2, v); a21.intoArray(o2, v1); a22.intoArray(o2, v2); a23.intoArray(o2, v3);
        a30.intoArray(o3, v); a31.intoArray(o3, v1); a32.intoArray(o3, v2); a33.intoArray(o3, v3);
    }

    /**
     * Eight rows by two vectors of lanes, for a batch of exactly two vectors (32 floats on 512-bit
     * vectors, 16 on 256-bit ones): sixteen sums in registers, ten loads for sixteen fused
     * multiply-adds where four rows take six for eight.
     */
    private static void eightRowsTwoVectors(float[] w, int at, int outputStride, int reduceStride, int reduce,
                                            float[][] x, int xRow, float[][] out, int outRow) {
        int v1 = FLOAT_LENGTH;
        float[] o0 = out[outRow], o1 = out[outRow + 1], o2 = out[outRow + 2], o3 = out[outRow + 3];
        float[] o4 = out[outRow + 4], o5 = out[outRow + 5], o6 = out[outRow + 6], o7 = out[outRow + 7];
        FloatVector a00 = FloatVector.fromArray(FLOAT_SPECIES, o0, 0), a01 = FloatVector.fromArray(FLOAT_SPECIES, o0, v1);
        FloatVector a10 = FloatVector.fromArray(FLOAT_SPECIES, o1, 0), a11 = FloatVector.fromArray(FLOAT_SPECIES, o1, v1);
        FloatVector a20 = FloatVector.fromArray(FLOAT_SPECIES, o2, 0), a21 = FloatVector.fromArray(FLOAT_SPECIES, o2, v1);
        FloatVector a30 = FloatVector.fromArray(FLOAT_SPECIES, o3, 0), a31 = FloatVector.fromArray(FLOAT_SPECIES, o3, v1);
        FloatVector a40 = FloatVector.fromArray(FLOAT_SPECIES, o4, 0), a41 = FloatVector.fromArray(FLOAT_SPECIES, o4, v1);
        FloatVector a50 = FloatVector.fromArray(FLOAT_SPECIES, o5, 0), a51 = FloatVector.fromArray(FLOAT_SPECIES, o5, v1);
        FloatVector a60 = FloatVector.fromArray(FLOAT_SPECIES, o6, 0), a61 = FloatVector.fromArray(FLOAT_SPECIES, o6, v1);
        FloatVector a70 = FloatVector.fromArray(FLOAT_SPECIES, o7, 0), a71 = FloatVector.fromArray(FLOAT_SPECIES, o7, v1);
        for (int r = 0; r < reduce; r++) {
            float[] xr = x[xRow + r];
            FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, xr, 0);
            FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, xr, v1);
            int k = at + r * reduceStride;
            FloatVector w0 = FloatVector.broadcast(FLOAT_SPECIES, w[k]);
            a00 = x0.fma(w0, a00); a01 = x1.fma(w0, a01);
            FloatVector w1 = FloatVector.broadcast(FLOAT_SPECIES, w[k + outputStride]);
            a10 = x0.fma(w1, a10); a11 = x1.fma(w1, a11);
            FloatVector w2 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 2 * outputStride]);
            a20 = x0.fma(w2, a20); a21 = x1.fma(w2, a21);
            FloatVector w3 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 3 * outputStride]);
            a30 = x0.fma(w3, a30); a31 = x1.fma(w3, a31);
            FloatVector w4 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 4 * outputStride]);
            a40 = x0.fma(w4, a40); a41 = x1.fma(w4, a41);
            FloatVector w5 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 5 * outputStride]);
            a50 = x0.fma(w5, a50); a51 = x1.fma(w5, a51);
            FloatVector w6 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 6 * outputStride]);
            a60 = x0.fma(w6, a60); a61 = x1.fma(w6, a61);
            FloatVector w7 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 7 * outputStride]);
            a70 = x0.fma(w7, a70); a71 = x1.fma(w7, a71);
        }
        a00.intoArray(o0, 0); a01.intoArray(o0, v1);
        a10.intoArray(o1, 0); a11.intoArray(o1, v1);
        a20.intoArray(o2, 0); a21.intoArray(o2, v1);
        a30.intoArray(o3, 0); a31.intoArray(o3, v1);
        a40.intoArray(o4, 0); a41.intoArray(o4, v1);
        a50.intoArray(o5, 0); a51.intoArray(o5, v1);
        a60.intoArray(o6, 0); a61.intoArray(o6, v1);
        a70.intoArray(o7, 0); a71.intoArray(o7, v1);
    }

    /**
     * Twelve rows by two vectors of lanes, for a batch of exactly two vectors: 24 sums in registers
     * (of AVX-512's 32), fourteen loads for 24 fused multiply-adds.
     */
    private static void twelveRowsTwoVectors(float[] w, int at, int outputStride, int reduceStride, int reduce,
                                             float[][] x, int xRow, float[][] out, int outRow) {
        int v1 = FLOAT_LENGTH;
        float[] o0 = out[outRow];
        float[] o1 = out[outRow + 1];
        float[] o2 = out[outRow + 2];
        float[] o3 = out[outRow + 3];
        float[] o4 = out[outRow + 4];
        float[] o5 = out[outRow + 5];
        float[] o6 = out[outRow + 6];
        float[] o7 = out[outRow + 7];
        float[] o8 = out[outRow + 8];
        float[] o9 = out[outRow + 9];
        float[] o10 = out[outRow + 10];
        float[] o11 = out[outRow + 11];
        FloatVector a00 = FloatVector.fromArray(FLOAT_SPECIES, o0, 0), a01 = FloatVector.fromArray(FLOAT_SPECIES, o0, v1);
        FloatVector a10 = FloatVector.fromArray(FLOAT_SPECIES, o1, 0), a11 = FloatVector.fromArray(FLOAT_SPECIES, o1, v1);
        FloatVector a20 = FloatVector.fromArray(FLOAT_SPECIES, o2, 0), a21 = FloatVector.fromArray(FLOAT_SPECIES, o2, v1);
        FloatVector a30 = FloatVector.fromArray(FLOAT_SPECIES, o3, 0), a31 = FloatVector.fromArray(FLOAT_SPECIES, o3, v1);
        FloatVector a40 = FloatVector.fromArray(FLOAT_SPECIES, o4, 0), a41 = FloatVector.fromArray(FLOAT_SPECIES, o4, v1);
        FloatVector a50 = FloatVector.fromArray(FLOAT_SPECIES, o5, 0), a51 = FloatVector.fromArray(FLOAT_SPECIES, o5, v1);
        FloatVector a60 = FloatVector.fromArray(FLOAT_SPECIES, o6, 0), a61 = FloatVector.fromArray(FLOAT_SPECIES, o6, v1);
        FloatVector a70 = FloatVector.fromArray(FLOAT_SPECIES, o7, 0), a71 = FloatVector.fromArray(FLOAT_SPECIES, o7, v1);
        FloatVector a80 = FloatVector.fromArray(FLOAT_SPECIES, o8, 0), a81 = FloatVector.fromArray(FLOAT_SPECIES, o8, v1);
        FloatVector a90 = FloatVector.fromArray(FLOAT_SPECIES, o9, 0), a91 = FloatVector.fromArray(FLOAT_SPECIES, o9, v1);
        FloatVector a10v0 = FloatVector.fromArray(FLOAT_SPECIES, o10, 0), a10v1 = FloatVector.fromArray(FLOAT_SPECIES, o10, v1);
        FloatVector a11v0 = FloatVector.fromArray(FLOAT_SPECIES, o11, 0), a11v1 = FloatVector.fromArray(FLOAT_SPECIES, o11, v1);
        for (int r = 0; r < reduce; r++) {
            float[] xr = x[xRow + r];
            FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, xr, 0);
            FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, xr, v1);
            int k = at + r * reduceStride;
            FloatVector w0 = FloatVector.broadcast(FLOAT_SPECIES, w[k]);
            a00 = x0.fma(w0, a00); a01 = x1.fma(w0, a01);
            FloatVector w1 = FloatVector.broadcast(FLOAT_SPECIES, w[k + outputStride]);
            a10 = x0.fma(w1, a10); a11 = x1.fma(w1, a11);
            FloatVector w2 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 2 * outputStride]);
            a20 = x0.fma(w2, a20); a21 = x1.fma(w2, a21);
            FloatVector w3 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 3 * outputStride]);
            a30 = x0.fma(w3, a30); a31 = x1.fma(w3, a31);
            FloatVector w4 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 4 * outputStride]);
            a40 = x0.fma(w4, a40); a41 = x1.fma(w4, a41);
            FloatVector w5 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 5 * outputStride]);
            a50 = x0.fma(w5, a50); a51 = x1.fma(w5, a51);
            FloatVector w6 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 6 * outputStride]);
            a60 = x0.fma(w6, a60); a61 = x1.fma(w6, a61);
            FloatVector w7 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 7 * outputStride]);
            a70 = x0.fma(w7, a70); a71 = x1.fma(w7, a71);
            FloatVector w8 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 8 * outputStride]);
            a80 = x0.fma(w8, a80); a81 = x1.fma(w8, a81);
            FloatVector w9 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 9 * outputStride]);
            a90 = x0.fma(w9, a90); a91 = x1.fma(w9, a91);
            FloatVector w10 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 10 * outputStride]);
            a10v0 = x0.fma(w10, a10v0); a10v1 = x1.fma(w10, a10v1);
            FloatVector w11 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 11 * outputStride]);
            a11v0 = x0.fma(w11, a11v0); a11v1 = x1.fma(w11, a11v1);
        }
        a00.intoArray(o0, 0); a01.intoArray(o0, v1);
        a10.intoArray(o1, 0); a11.intoArray(o1, v1);
        a20.intoArray(o2, 0); a21.intoArray(o2, v1);
        a30.intoArray(o3, 0); a31.intoArray(o3, v1);
        a40.intoArray(o4, 0); a41.intoArray(o4, v1);
        a50.intoArray(o5, 0); a51.intoArray(o5, v1);
        a60.intoArray(o6, 0); a61.intoArray(o6, v1);
        a70.intoArray(o7, 0); a71.intoArray(o7, v1);
        a80.intoArray(o8, 0); a81.intoArray(o8, v1);
        a90.intoArray(o9, 0); a91.intoArray(o9, v1);
        a10v0.intoArray(o10, 0); a10v1.intoArray(o10, v1);
        a11v0.intoArray(o11, 0); a11v1.intoArray(o11, v1);
    }

    /** Four rows by two vectors of lanes: a batch of 32 floats on 512-bit vectors, 16 on 256-bit ones. */
    private static void fourRowsTwoVectors(float[] w, int at, int outputStride, int reduceStride, int reduce,
                                           float[][] x, int xRow, float[][] out, int outRow, int v) {
        float[] o0 = out[outRow];
        float[] o1 = out[outRow + 1];
        float[] o2 = out[outRow + 2];
        float[] o3 = out[outRow + 3];
        int v1 = v + FLOAT_LENGTH;
        FloatVector a00 = FloatVector.fromArray(FLOAT_SPECIES, o0, v), a01 = FloatVector.fromArray(FLOAT_SPECIES, o0, v1);
        FloatVector a10 = FloatVector.fromArray(FLOAT_SPECIES, o1, v), a11 = FloatVector.fromArray(FLOAT_SPECIES, o1, v1);
        FloatVector a20 = FloatVector.fromArray(FLOAT_SPECIES, o2, v), a21 = FloatVector.fromArray(FLOAT_SPECIES, o2, v1);
        FloatVector a30 = FloatVector.fromArray(FLOAT_SPECIES, o3, v), a31 = FloatVector.fromArray(FLOAT_SPECIES, o3, v1);
        for (int r = 0; r < reduce; r++) {
            float[] xr = x[xRow + r];
            FloatVector x0 = FloatVector.fromArray(FLOAT_SPECIES, xr, v);
            FloatVector x1 = FloatVector.fromArray(FLOAT_SPECIES, xr, v1);
            int k = at + r * reduceStride;
            FloatVector w0 = FloatVector.broadcast(FLOAT_SPECIES, w[k]);
            a00 = x0.fma(w0, a00); a01 = x1.fma(w0, a01);
            FloatVector w1 = FloatVector.broadcast(FLOAT_SPECIES, w[k + outputStride]);
            a10 = x0.fma(w1, a10); a11 = x1.fma(w1, a11);
            FloatVector w2 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 2 * outputStride]);
            a20 = x0.fma(w2, a20); a21 = x1.fma(w2, a21);
            FloatVector w3 = FloatVector.broadcast(FLOAT_SPECIES, w[k + 3 * outputStride]);
            a30 = x0.fma(w3, a30); a31 = x1.fma(w3, a31);
        }
        a00.intoArray(o0, v); a01.intoArray(o0, v1);
        a10.intoArray(o1, v); a11.intoArray(o1, v1);
        a20.intoArray(o2, v); a21.intoArray(o2, v1);
        a30.intoArray(o3, v); a31.intoArray(o3, v1);
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

    private static void fourRowsOneVector(float[] w, int at, int outputStride, int reduceStride, int reduce,
                                          float[][] x, int xRow, float[][] out, int outRow, int v) {
        float[] o0 = out[outRow];
        float[] o1 = out[outRow + 1];
        float[] o2 = out[outRow + 2];
        float[] o3 = out[outRow + 3];
        FloatVector a0 = FloatVector.fromArray(FLOAT_SPECIES, o0, v);
        FloatVector a1 = FloatVector.fromArray(FLOAT_SPECIES, o1, v);
        FloatVector a2 = FloatVector.fromArray(FLOAT_SPECIES, o2, v);
        FloatVector a3 = FloatVector.fromArray(FLOAT_SPECIES, o3, v);
        for (int r = 0; r < reduce; r++) {
            FloatVector xr = FloatVector.fromArray(FLOAT_SPECIES, x[xRow + r], v);
            int k = at + r * reduceStride;
            a0 = xr.fma(FloatVector.broadcast(FLOAT_SPECIES, w[k]), a0);
            a1 = xr.fma(FloatVector.broadcast(FLOAT_SPECIES, w[k + outputStride]), a1);
            a2 = xr.fma(FloatVector.broadcast(FLOAT_SPECIES, w[k + 2 * outputStride]), a2);
            a3 = xr.fma(FloatVector.broadcast(FLOAT_SPECIES, w[k + 3 * outputStride]), a3);
        }
        a0.intoArray(o0, v);
        a1.intoArray(o1, v);
        a2.intoArray(o2, v);
        a3.intoArray(o3, v);
    }

    /** Rows of δ packed together for one call of the product kernel (their values interleaved by step and lane). */
    private static final int PANEL_ROWS = 16;

    /**
     * What {@link #addOuterProducts} rearranges its operands into, one set per thread: a chunk of
     * steps at a time, so that it stays in the core's caches and weighs kilobytes, not the megabytes
     * of every step's δ and x.
     */
    private static final class Scratch {
        /** {@link #PANEL_ROWS} rows of δ for the chunk: entry (s·lanes + b)·panelRows + c is δ[s][m + c][b]. */
        double[] panel = new double[0];
        /** x by (step, lane) for the chunk: one array of {@code columns} values per step and lane. */
        double[][] inputs = new double[0][0];
        /** The gradient being summed, by rows. */
        double[][] sums = new double[0][0];

        void reserve(int count, int rows, int columns) {
            if (panel.length < count * PANEL_ROWS) {
                panel = new double[count * PANEL_ROWS];
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

    /** {@link Scratch} for the float products. */
    private static final class FloatScratch {
        float[] panel = new float[0];
        float[][] inputs = new float[0][0];
        float[][] sums = new float[0][0];

        void reserve(int count, int rows, int columns) {
            if (panel.length < count * PANEL_ROWS) {
                panel = new float[count * PANEL_ROWS];
            }
            if (inputs.length < count || inputs[0].length < columns) {
                inputs = new float[Math.max(count, inputs.length)][Math.max(columns, width(inputs))];
            }
            if (sums.length < rows || sums[0].length < columns) {
                sums = new float[Math.max(rows, sums.length)][Math.max(columns, width(sums))];
            }
        }

        private static int width(float[][] rows) {
            return rows.length == 0 ? 0 : rows[0].length;
        }
    }

    private static final ThreadLocal<FloatScratch> FLOAT_SCRATCH = ThreadLocal.withInitial(FloatScratch::new);

    private static final ScalarBatchOperations PLAIN = new ScalarBatchOperations();

    /**
     * The gradient as a product of the lanes' rows: with δ and x rearranged so that each step
     * and lane is a row, gradient row m = Σ_(s,b) δ_(s,b)[m] · x_(s,b), which is
     * {@link #multiplyAdd}'s kernel with the columns in the place of the lanes, its sums in
     * registers over every step and lane at once. Summing per (m, j) over the lanes instead, as the
     * plain loops do, ran at a third of the speed: Java 17's JIT boxes vectors carried through two
     * loops. The rearranging goes a chunk of steps at a time (as many as make {@link #chunkRows}
     * rows of x), and δ in panels of {@link #PANEL_ROWS} rows whose values sit side by side as the
     * kernel reads them: before, every step's δ was copied into one array first (9 MB for W3's
     * W_hh), written to memory and read back. Each weight's sum is the same chain, steps first to
     * last and lanes in order, from zero, then added to the gradient. Column counts that are not a
     * whole number of vectors take the plain loops.
     */
    @Override
    public void addOuterProducts(double[][] d, int dRow, int dStride, double[][] x, int xRow, int xStride, int steps,
                                 int rows, int columns, double[] gradient, int gradientOffset, int lanes) {
        if (columns % LENGTH != 0) {
            PLAIN.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, rows, columns, gradient, gradientOffset, lanes);
            return;
        }
        int chunkSteps = Math.max(1, Math.min(steps, chunkRows(columns * Double.BYTES) / lanes));
        Scratch scratch = SCRATCH.get();
        scratch.reserve(chunkSteps * lanes, rows, columns);
        double[] panel = scratch.panel;
        double[][] inputs = scratch.inputs;
        double[][] sums = scratch.sums;
        for (int m = 0; m < rows; m++) {
            java.util.Arrays.fill(sums[m], 0, columns, 0.0);
        }
        for (int first = 0; first < steps; first += chunkSteps) {
            int chunk = Math.min(chunkSteps, steps - first);
            for (int s = 0; s < chunk; s++) {
                for (int j = 0; j < columns; j++) {
                    double[] values = x[xRow + (first + s) * xStride + j];
                    for (int b = 0; b < lanes; b++) {
                        inputs[s * lanes + b][j] = values[b];
                    }
                }
            }
            for (int m = 0; m < rows; m += PANEL_ROWS) {
                int panelRows = Math.min(PANEL_ROWS, rows - m);
                for (int s = 0; s < chunk; s++) {
                    for (int c = 0; c < panelRows; c++) {
                        double[] delta = d[dRow + (first + s) * dStride + m + c];
                        for (int b = 0; b < lanes; b++) {
                            panel[(s * lanes + b) * panelRows + c] = delta[b];
                        }
                    }
                }
                multiplyAddChunk(panel, 0, 1, panelRows, panelRows, chunk * lanes, inputs, 0, sums, m, columns);
            }
        }
        for (int m = 0; m < rows; m++) {
            double[] sum = sums[m];
            int at = gradientOffset + m * columns;
            for (int j = 0; j < columns; j++) {
                gradient[at + j] += sum[j];
            }
        }
    }

    /** {@link #addOuterProducts(double[][], int, int, double[][], int, int, int, int, int, double[], int, int)} in float. */
    @Override
    public void addOuterProducts(float[][] d, int dRow, int dStride, float[][] x, int xRow, int xStride, int steps,
                                 int rows, int columns, float[] gradient, int gradientOffset, int lanes) {
        if (columns % FLOAT_LENGTH != 0) {
            PLAIN.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, rows, columns, gradient, gradientOffset, lanes);
            return;
        }
        int chunkSteps = Math.max(1, Math.min(steps, chunkRows(columns * Float.BYTES) / lanes));
        FloatScratch scratch = FLOAT_SCRATCH.get();
        scratch.reserve(chunkSteps * lanes, rows, columns);
        float[] panel = scratch.panel;
        float[][] inputs = scratch.inputs;
        float[][] sums = scratch.sums;
        for (int m = 0; m < rows; m++) {
            java.util.Arrays.fill(sums[m], 0, columns, 0f);
        }
        for (int first = 0; first < steps; first += chunkSteps) {
            int chunk = Math.min(chunkSteps, steps - first);
            for (int s = 0; s < chunk; s++) {
                for (int j = 0; j < columns; j++) {
                    float[] values = x[xRow + (first + s) * xStride + j];
                    for (int b = 0; b < lanes; b++) {
                        inputs[s * lanes + b][j] = values[b];
                    }
                }
            }
            for (int m = 0; m < rows; m += PANEL_ROWS) {
                int panelRows = Math.min(PANEL_ROWS, rows - m);
                for (int s = 0; s < chunk; s++) {
                    for (int c = 0; c < panelRows; c++) {
                        float[] delta = d[dRow + (first + s) * dStride + m + c];
                        for (int b = 0; b < lanes; b++) {
                            panel[(s * lanes + b) * panelRows + c] = delta[b];
                        }
                    }
                }
                multiplyAddChunk(panel, 0, 1, panelRows, panelRows, chunk * lanes, inputs, 0, sums, m, columns);
            }
        }
        for (int m = 0; m < rows; m++) {
            float[] sum = sums[m];
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
     *
     * <p>Written out for the usual widths, because {@code lane(i)} with a variable i is a switch
     * over the lanes that Java 17's JIT does not unroll: a compare and branch per lane, which made
     * the lanes' sum most of a row's cost in a small product (W5's step). With constant indices
     * each lane is one extract. The same additions in the same order as the loop, so the same sum.
     */
    private static double sumOfLanes(DoubleVector v) {
        if (LENGTH == 8) {
            return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
        }
        if (LENGTH == 4) {
            return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3);
        }
        double sum = v.lane(0);
        for (int i = 1; i < LENGTH; i++) {
            sum += v.lane(i);
        }
        return sum;
    }

    /** {@link #sumOfLanes(DoubleVector)} in float. */
    private static float sumOfLanes(FloatVector v) {
        float sum = v.lane(0);
        for (int i = 1; i < FLOAT_LENGTH; i++) {
            sum += v.lane(i);
        }
        return sum;
    }

    /** With {@link DoubleVectorActivations}, whose lanes equal {@link DoubleActivations}' results bit for bit. */
    @Override
    public void sigmoid(double[][] rows, int from, int count, int lanes) {
        DoubleVectorActivations.Scratch scratch = DoubleVectorActivations.scratch(lanes);
        for (int k = 0; k < count; k++) {
            DoubleVectorActivations.sigmoid(rows[from + k], lanes, scratch);
        }
    }

    /** As {@link #sigmoid(double[][], int, int, int)}. */
    @Override
    public void tanh(double[][] rows, int from, double[][] into, int intoRow, int count, int lanes) {
        DoubleVectorActivations.Scratch scratch = DoubleVectorActivations.scratch(lanes);
        for (int k = 0; k < count; k++) {
            DoubleVectorActivations.tanh(rows[from + k], into[intoRow + k], lanes, scratch);
        }
    }

    /**
     * With {@link FloatVectorActivations}, whose lanes equal {@link FloatActivations}' results bit
     * for bit.
     */
    @Override
    public void sigmoid(float[][] rows, int from, int count, int lanes) {
        FloatVectorActivations.Scratch scratch = FloatVectorActivations.scratch(lanes);
        for (int k = 0; k < count; k++) {
            FloatVectorActivations.sigmoid(rows[from + k], lanes, scratch);
        }
    }

    /** As {@link #sigmoid(float[][], int, int, int)}. */
    @Override
    public void tanh(float[][] rows, int from, float[][] into, int intoRow, int count, int lanes) {
        FloatVectorActivations.Scratch scratch = FloatVectorActivations.scratch(lanes);
        for (int k = 0; k < count; k++) {
            FloatVectorActivations.tanh(rows[from + k], into[intoRow + k], lanes, scratch);
        }
    }
}
