package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sub-command of the main program, run end to end as a user runs it, with settings small
 * enough for CI: exit code 0 and the lines that say it worked.
 */
class MainTest {

    /** Runs {@code ./unfold args...} and returns what it printed on standard output. */
    private static String run(String... args) {
        PrintStream standardOut = System.out;
        PrintStream standardErr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            int exitCode = Main.commandLine().execute(args);
            assertEquals(0, exitCode, String.join(" ", args) + " printed:\n" + printed);
        } finally {
            System.setOut(standardOut);
            System.setErr(standardErr);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void forecast() {
        String output = run("forecast", "--networks", "2", "--epochs", "300");
        assertTrue(output.contains("Mean answer of 2 networks"), output);
    }

    @Test
    void classify() {
        String output = run("classify", "--train", "300", "--test", "100", "--epochs", "2", "--batch", "16");
        assertTrue(output.contains("epoch  2: training loss"), output);
    }

    @Test
    void charlm() {
        String output = run("charlm", "--fast", "--no-checkpoint");
        assertTrue(output.contains("epoch 2/2: loss"), output);
        assertTrue(output.contains("T = 0.5: ") && output.contains("T = 1.0: "), output);
    }

    @Test
    void translate() {
        String output = run("translate", "--pairs", "400", "--epochs", "1", "--max-length", "4", "--scheduled-sampling",
                "0.25");
        assertTrue(output.contains("scheduled sampling (own predictions 25% of the time)")
                && output.contains("epoch 1: loss") && output.contains("→ reversed"), output);
    }

    @Test
    void memory(@TempDir Path directory) {
        String output = run("memory", "--fast", "--checkpoints", directory.resolve("runs").toString(), "--plot",
                directory.resolve("memory.png").toString());
        assertTrue(output.contains("Longest T learned"), output);
        assertTrue(Files.exists(directory.resolve("memory-adding.png")), output);
    }

    @Test
    void gradients(@TempDir Path directory) {
        String output = run("gradients", "--length", "8", "--updates", "40", "--epoch", "20", "--test", "20", "--plot",
                directory.resolve("gradients.png").toString());
        assertTrue(output.contains("‖∂L/∂h‖ at distance")
                && (output.contains("must vanish") || output.contains("may explode")), output);
        assertTrue(output.contains("mean product of forget gates") && output.contains("clipped"), output);
        assertTrue(Files.exists(directory.resolve("gradients-distance.png")), output);
        assertTrue(Files.exists(directory.resolve("gradients-training.png")), output);
    }

    @Test
    void caption() {
        String output = run("caption", "--epochs", "1");
        assertTrue(output.contains("epoch   1: loss") && output.contains("→"), output);
    }

    @Test
    void echo() {
        String output = run("echo", "--sequences", "100", "--epochs", "1");
        assertTrue(output.toLowerCase().contains("accuracy"), output);
    }

    @Test
    void aBadOptionIsAnErrorNamingIt() {
        PrintStream standardErr = System.err;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            assertEquals(2, Main.commandLine().execute("charlm", "--cell", "transformer", "--no-checkpoint"));
        } finally {
            System.setErr(standardErr);
        }
        assertEquals("unfold charlm: no character model with cell transformer and size 128: the cells are lstm, gru"
                + " and rnn, the sizes 128 and 256", errors.toString(StandardCharsets.UTF_8).strip());
    }
}
