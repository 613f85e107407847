package dev.unfold.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.internal.BatchKernels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The row activations, in float and in double, run on vectors and allocate nothing, even in a JVM
 * whose JIT has given up trapping on class checks. A JVM that has run vector code of other types
 * and operators first (a float64 network before a float32 one) collects class-check
 * deoptimisations in the Vector API's generic methods; on Java 17, once a kernel's inlined copies
 * of them add up to {@code -XX:PerMethodTrapLimit}, C2 compiles every vector call of the kernel
 * with a virtual-call fallback, and a kernel of some fifty vector operations, or one inlined into
 * a large caller, boxes its vectors (36 MB a W3 float32 pass). Whether that happens depends on the
 * JVM's history, so this test forces it: a child JVM with {@code -XX:PerMethodTrapLimit=0}, with
 * and without the Vector API module, counts the bytes {@link BatchKernels#sigmoid} and
 * {@link BatchKernels#tanh} allocate once compiled, over float rows and double rows, and reports
 * whether they ran on vectors (with the module they must, on every Java release). (It sits beside
 * the benchmarks' allocation counts rather than in the runtime's tests: its wait for the child JVM
 * changed when the runtime suite's JVM compiled the float kernels, and that JVM's
 * {@code FloatAllocationTest} then counted boxed vectors: a history effect of the same kind.)
 */
class ActivationsUnderTrapPressureTest {
    private static final int ROWS = 64;
    private static final int LANES = 32;
    private static final int CALLS = 2_000;

    @ParameterizedTest(name = "Vector API module: {0}")
    @ValueSource(booleans = {true, false})
    void theRowActivationsAllocateNothingWhenTheJitFallsBackToVirtualCalls(boolean vectorModule)
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
        assertEquals("least bytes per call: 0", last, "the row activations allocate (the JIT boxed their vectors): " + output);
        assertTrue(output.contains("vectorised activations: " + vectorModule), "on vectors exactly when the module is there: " + output);
    }

    /**
     * The child JVM: warms the row activations of both precisions through to C2, then prints the
     * least bytes per call over a few windows.
     */
    public static final class Child {
        public static void main(String[] args) {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            float[][] rows = new float[ROWS][LANES];
            double[][] doubleRows = new double[ROWS][LANES];
            long least = Long.MAX_VALUE;
            for (int window = 0; window < 12; window++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int call = 0; call < CALLS; call++) {
                    for (int k = 0; k < ROWS; k++) { // values across σ's and tanh's ranges, changing every call
                        for (int b = 0; b < LANES; b++) {
                            rows[k][b] = ((k * LANES + b + call) % 97 - 48) * 0.25f;
                            doubleRows[k][b] = ((k * LANES + b + call) % 89 - 44) * 0.5;
                        }
                    }
                    BatchKernels.sigmoid(rows, 0, ROWS / 2, LANES);
                    BatchKernels.tanh(rows, ROWS / 2, ROWS / 2, LANES);
                    BatchKernels.sigmoid(doubleRows, 0, ROWS / 2, LANES);
                    BatchKernels.tanh(doubleRows, ROWS / 2, ROWS / 2, LANES);
                }
                long bytes = (threads.getCurrentThreadAllocatedBytes() - before) / CALLS;
                // the least over the windows: a tier-up during one window costs that window only
                least = window >= 4 ? Math.min(least, bytes) : least;
            }
            System.out.println("vectorised activations: " + BatchKernels.activatesByVector());
            System.out.println("least bytes per call: " + least);
        }
    }
}
