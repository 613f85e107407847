package dev.unfold.benchmarks;

import dev.unfold.Precision;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The bytes each benchmarked operation allocates, counted exactly by the JVM's per-thread
 * allocation counter over many calls after warm-up. JMH's {@code gc.alloc.rate.norm} also counts
 * what JMH itself allocates once per iteration, spread over the iteration's calls, which for a
 * 100 ms operation is kilobytes per call; this count has no such floor.
 *
 * <p>Prints one JSON object: {@code {"W1Forecaster.forward": bytesPerCall, ...}}.
 */
public final class AllocationCheck {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationCheck() {}

    public static void main(String[] args) {
        Map<String, DoubleSupplier> operations = new LinkedHashMap<>();
        for (Precision precision : Precision.values()) {
            // keyed as JMH reports a parameterised benchmark: class.method [precision]
            String in = " [" + precision + "]";
            W1Forecaster w1 = new W1Forecaster();
            w1.precision = precision;
            w1.setUp();
            operations.put("W1Forecaster.forward" + in, w1::forward);
            operations.put("W1Forecaster.trainingStep" + in, w1::trainingStep);
            W2CharRnn w2 = new W2CharRnn();
            w2.precision = precision;
            w2.setUp();
            operations.put("W2CharRnn.forward" + in, w2::forward);
            operations.put("W2CharRnn.trainingStep" + in, w2::trainingStep);
            W3Lstm w3 = new W3Lstm();
            w3.precision = precision;
            w3.setUp();
            operations.put("W3Lstm.forward" + in, w3::forward);
            operations.put("W3Lstm.trainingStep" + in, w3::trainingStep);
            W4Gru w4 = new W4Gru();
            w4.precision = precision;
            w4.setUp();
            operations.put("W4Gru.forward" + in, w4::forward);
            operations.put("W4Gru.trainingStep" + in, w4::trainingStep);
            W5Streaming w5 = new W5Streaming();
            w5.precision = precision;
            w5.setUp();
            operations.put("W5Streaming.step" + in, w5::step);
            W6ProteinBiLstm w6 = new W6ProteinBiLstm();
            w6.precision = precision;
            w6.setUp();
            operations.put("W6ProteinBiLstm.forward" + in, w6::forward);
            operations.put("W6ProteinBiLstm.trainingStep" + in, w6::trainingStep);
            W7CharLm w7 = new W7CharLm();
            w7.precision = precision;
            w7.setUp();
            operations.put("W7CharLm.trainingChunk" + in, w7::trainingChunk);
            W8BigLstm w8 = new W8BigLstm();
            w8.precision = precision;
            w8.setUp();
            operations.put("W8BigLstm.forward" + in, w8::forward);
            operations.put("W8BigLstm.trainingStep" + in, w8::trainingStep);
        }

        StringBuilder json = new StringBuilder("{");
        operations.forEach((name, operation) -> {
            double perCall = bytesPerCall(operation);
            json.append(json.length() > 1 ? ", " : "").append('"').append(name).append("\": ").append(perCall);
        });
        System.out.println(json.append('}'));
    }

    /**
     * Warm-up, then bytes per call over calls lasting at least half a second, counted on the
     * calling thread and on the thread that computes half of the large batched products. Up to
     * three such windows, the first at 0 ending the count: a one-off event of the JIT (seen once
     * as 64 bytes at the 70th call of a 150 ms operation, during its tier-up) costs one window,
     * while an allocation on the operation's own path shows in every window.
     */
    private static double bytesPerCall(DoubleSupplier operation) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        double sink = 0;
        while (System.nanoTime() < deadline) {
            sink += operation.getAsDouble();
        }
        long[] threads = countedThreads();
        double least = Double.MAX_VALUE;
        for (int window = 0; window < 3 && least > 0; window++) {
            long calls = 0;
            long before = allocated(threads);
            deadline = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < deadline || calls < 10) {
                sink += operation.getAsDouble();
                calls++;
            }
            least = Math.min(least, (double) (allocated(threads) - before) / calls);
        }
        if (Double.isNaN(sink)) {
            System.err.println("(a network produced NaN)");
        }
        return least;
    }

    /** This thread and, once a batched product has started it, the runtime's second-core helper. */
    private static long[] countedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread == Thread.currentThread() || thread.getName().equals("unfold-second-core"))
                .mapToLong(Thread::getId)
                .toArray();
    }

    private static long allocated(long[] threads) {
        long total = 0;
        for (long thread : threads) {
            total += THREADS.getThreadAllocatedBytes(thread); // one at a time: the array form allocates
        }
        return total;
    }
}
