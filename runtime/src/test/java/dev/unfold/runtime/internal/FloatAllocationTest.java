package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The float kernels allocate nothing once compiled: the Vector API's vectors stay in registers (a
 * vector that crossed a call the JIT did not inline would be boxed, an allocation per call), and
 * scratch space is allocated once per thread.
 */
class FloatAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int LANES = 32;

    private final float[] w = new float[256 * 128];
    private final float[][] x = rows(2 * 128);
    private final float[][] gates = rows(4 * 256);
    private final float[][] deltas = rows(2 * 256);
    private final float[][] into = rows(128);
    private final float[] gradient = new float[256 * 128];
    private final float[][] columns = new float[128][256];
    private final float[] vector = new float[128];
    private final float[] sums = new float[256];
    private final float[] probabilities = new float[128];

    @Test
    void aFloatStepAllocatesNothingOnceCompiled() {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i);
        }
        for (int i = 0; i < 3_000; i++) { // the JIT's tiers, through to C2
            step();
        }
        // the least over a few windows of calls: a one-off event of the JIT (a tier-up during the
        // window) costs one window, an allocation on the path shows in every one
        long least = Long.MAX_VALUE;
        Thread thread = Thread.currentThread();
        for (int window = 0; window < 5 && least > 0; window++) {
            long before = THREADS.getThreadAllocatedBytes(thread.getId());
            for (int i = 0; i < 200; i++) {
                step();
            }
            least = Math.min(least, THREADS.getThreadAllocatedBytes(thread.getId()) - before);
        }
        assertEquals(0, least, "bytes allocated by 200 steps");
    }

    /** What a float LSTM's step runs: products, activations, outer products, a one-sequence product, a softmax. */
    private void step() {
        BatchKernels.addProduct(w, 256, 128, x, 0, gates, 0, LANES);
        BatchKernels.sigmoid(gates, 0, 3 * 256, LANES);
        BatchKernels.tanh(gates, 3 * 256, 256, LANES);
        BatchKernels.tanh(gates, 0, into, 0, 128, LANES);
        BatchKernels.addTransposedProduct(w, 256, 128, gates, 0, into, 0, LANES);
        BatchKernels.addOuterProducts(deltas, 0, 256, x, 0, 128, 2, 256, 128, gradient, LANES);
        Kernels.addMatrixVector(w, columns, vector, 0, sums, 256);
        Kernels.softmax(w, 0, 128, probabilities, 0);
    }

    private static float[][] rows(int count) {
        float[][] rows = new float[count][LANES];
        for (int r = 0; r < count; r++) {
            for (int b = 0; b < LANES; b++) {
                rows[r][b] = (float) Math.cos(r * LANES + b);
            }
        }
        return rows;
    }
}
