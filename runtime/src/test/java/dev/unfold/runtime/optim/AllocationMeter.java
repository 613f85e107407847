package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Asserts that a call allocates nothing once warm, by the JVM's per-thread allocation counter: the
 * runtime's counterpart of the processor's AllocationTest, with the same windows.
 */
final class AllocationMeter {
    private static final int CALLS = 1_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {}

    /**
     * Warms {@code call} up, then asserts that a window of 1,000 more calls allocates exactly 0
     * bytes. Up to three windows are tried: a one-off event of the JIT in this thread has been seen
     * to cost a few hundred bytes once, while an allocation on the call's own path costs at least
     * 16 bytes in every window and so still fails all three.
     */
    static void assertNoAllocation(String what, Runnable call) {
        for (int i = 0; i < 3 * CALLS; i++) {
            call.run();
        }
        long[] windows = new long[3];
        for (int w = 0; w < windows.length; w++) {
            long overhead = allocatedBetweenTwoReadings();
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS; i++) {
                call.run();
            }
            windows[w] = THREADS.getCurrentThreadAllocatedBytes() - before - overhead;
            if (windows[w] == 0) {
                return;
            }
        }
        assertEquals(0, windows[windows.length - 1], "bytes allocated by " + CALLS + " calls of " + what
                + ", in each of " + windows.length + " windows: " + Arrays.toString(windows));
    }

    private static long allocatedBetweenTwoReadings() {
        long first = THREADS.getCurrentThreadAllocatedBytes();
        return THREADS.getCurrentThreadAllocatedBytes() - first;
    }
}
