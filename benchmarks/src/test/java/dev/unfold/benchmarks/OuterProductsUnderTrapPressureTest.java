package dev.unfold.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.internal.Kernels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One sequence's weight gradient ({@link Kernels#addOuterProducts}) allocates nothing even in a JVM
 * whose JIT has given up trapping on class checks ({@code -XX:PerMethodTrapLimit=0}: see
 * {@link FloatActivationsUnderTrapPressureTest} for why, and why in a child JVM). Its first form, a
 * multiply then an add per step in vector registers, boxed its vectors there (77 MB a W6 float64
 * training step; unflagged, 870 KB a W1 float64 step in about one Java 17 run of fourteen); the
 * fused form allocates nothing. W6's W_hh (128 × 32 over 428 steps, its reverse direction's states
 * at an offset) and W1's (20 × 20 over 50 steps, columns past the last vector), in both precisions.
 */
class OuterProductsUnderTrapPressureTest {
    private static final int CALLS = 400;

    @ParameterizedTest(name = "Vector API module: {0}")
    @ValueSource(booleans = {true, false})
    void sequenceGradientsAllocateNothingWhenTheJitFallsBackToVirtualCalls(boolean vectorModule)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (vectorModule) {
            command.add("--add-modules");
            command.add("jdk.incubator.vector");
        }
        command.addAll(List.of("-XX:PerMethodTrapLimit=0", "-cp", System.getProperty("java.class.path"),
                Child.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), output);
        String last = output.lines().filter(line -> line.startsWith("least bytes per call: ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no count from the child JVM: " + output));
        assertEquals("least bytes per call: 0", last, "the gradient kernel allocates (the JIT boxed its vectors): " + output);
    }

    /** The child JVM: warms the kernel through to C2 on both shapes, then prints the least bytes per call. */
    public static final class Child {
        public static void main(String[] args) {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            Shape w6 = new Shape(128, 32, 64, 428);
            Shape w1 = new Shape(20, 20, 20, 50);
            long least = Long.MAX_VALUE;
            for (int window = 0; window < 12; window++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int call = 0; call < CALLS; call++) {
                    w6.run(call);
                    w1.run(call);
                }
                long bytes = (threads.getCurrentThreadAllocatedBytes() - before) / CALLS;
                // the least over the windows: a tier-up during one window costs that window only
                least = window >= 4 ? Math.min(least, bytes) : least;
            }
            System.out.println("least bytes per call: " + least);
        }
    }

    /** A layer's deltas and states, in double and float, and the gradients they are summed into. */
    private static final class Shape {
        final int rows, columns, stride, steps;
        final double[] d, x, gradient, xRow;
        final double[][] gradientRows;
        final float[] floatD, floatX, floatGradient, floatXRow;
        final float[][] floatGradientRows;

        Shape(int rows, int columns, int stride, int steps) {
            this.rows = rows;
            this.columns = columns;
            this.stride = stride;
            this.steps = steps;
            d = new double[(steps + 2) * rows];
            x = new double[(steps + 2) * stride];
            for (int i = 0; i < d.length; i++) {
                d[i] = (i % 13 - 6) * 0.01;
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 7 - 3) * 0.1;
            }
            gradient = new double[rows * columns];
            xRow = new double[columns];
            gradientRows = new double[rows][columns];
            floatD = new float[d.length];
            floatX = new float[x.length];
            for (int i = 0; i < d.length; i++) {
                floatD[i] = (float) d[i];
            }
            for (int i = 0; i < x.length; i++) {
                floatX[i] = (float) x[i];
            }
            floatGradient = new float[rows * columns];
            floatXRow = new float[columns];
            floatGradientRows = new float[rows][columns];
        }

        /** Both directions' offsets: the forward one's from 0, a reverse one's past a row and a half. */
        void run(int call) {
            int xFrom = call % 2 == 0 ? 0 : stride + columns;
            Kernels.addOuterProducts(d, x, xFrom, stride, steps, rows, columns, gradient, xRow, gradientRows);
            Kernels.addOuterProducts(floatD, floatX, xFrom, stride, steps, rows, columns, floatGradient, floatXRow,
                    floatGradientRows);
        }
    }
}
