package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The double activations compute the same bits interpreted and compiled: a JVM run with {@code -Xint}
 * (nothing compiled) and this one, once its JIT has compiled them, agree on
 * {@link DoubleChecksum} over a million inputs, with the Vector API in both (this module's tests
 * run with it).
 */
class DoubleReproducibilityTest {

    @Test
    void interpretedAndCompiledCodeComputeTheSameBits() throws Exception {
        DoubleChecksum checksum = new DoubleChecksum();
        long first = checksum.compute(); // mostly interpreted, the loops compiled on the way
        long compiled = first;
        for (int i = 0; i < 8; i++) {
            compiled = checksum.compute();
            assertEquals(first, compiled, "run " + (i + 2) + " against the first");
        }
        assertEquals(compiled, interpreted(), "-Xint against the JIT");
    }

    private static long interpreted() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), DoubleChecksum.class.getName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "the -Xint run finished");
        assertEquals(0, process.exitValue(), "the -Xint run's exit code; printed " + output);
        return Long.parseLong(output);
    }
}
