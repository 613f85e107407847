package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The memory sample end to end in its fast mode (lengths 5 and 10, 500 updates), and the pieces it
 * stands on: the two tasks' data, resuming, and divergence.
 */
class MemorySampleTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final String CELL = "(✓|✗) \\d+\\.\\d+%?|diverged at step \\d+";

    @TempDir
    Path directory;

    /** The settings the command line gives for {@code args}, with checkpoints and plot in the temporary directory. */
    private MemorySettings settings(String... args) {
        return settingsIn(directory.resolve("runs"), args);
    }

    private MemorySettings settingsIn(Path checkpoints, String... args) {
        Main.Memory command = new Main.Memory();
        List<String> all = new ArrayList<>(List.of("--checkpoints", checkpoints.toString(),
                "--plot", directory.resolve("memory.png").toString()));
        all.addAll(List.of(args));
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        return command.settings();
    }

    private static String run(MemorySettings settings, MemorySample.Result[] result) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        result[0] = MemorySample.run(settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fastModeFillsBothTablesDrawsBothPlotsAndLearnsTheShortestLength() throws Exception {
        MemorySettings settings = settings("--fast");
        MemorySample.Result[] result = new MemorySample.Result[1];
        String output = run(settings, result);

        for (String task : List.of("adding", "order")) {
            String[] lines = result[0].tables().get(task).split("\n");
            assertEquals(3, lines.length, output);
            assertTrue(lines[0].matches(" *T +RNN +RNN\\+clipping +LSTM"), lines[0]);
            for (int row = 1; row <= 2; row++) {
                String length = row == 1 ? "5" : "10";
                String[] cells = lines[row].trim().split(" {3,}");
                assertEquals(4, cells.length, lines[row]);
                assertEquals(length, cells[0]);
                for (int c = 1; c < 4; c++) {
                    assertTrue(cells[c].matches(CELL), "cell \"" + cells[c] + "\" in " + lines[row]);
                }
            }
            assertTrue(output.contains(result[0].tables().get(task)), "the table is printed");
            Path plot = result[0].plots().get(task);
            assertEquals(directory.resolve("memory-" + task + ".png"), plot);
            BufferedImage image = ImageIO.read(plot.toFile());
            assertNotNull(image, plot + " is a PNG ImageIO can read");
            assertEquals(1000, image.getWidth());
        }

        // Learning that guessing cannot fake: always answering 1 scores an MSE of 1/6 on the adding
        // problem, and guessing errs 75% of the time on the temporal order problem.
        RunOutcome adding = result[0].outcome("adding", Contender.LSTM, 5);
        assertTrue(adding.metric() < 0.04, "the LSTM learns the adding problem at T = 5: test MSE " + adding.metric());
        RunOutcome order = result[0].outcome("order", Contender.CLIPPED_RNN, 5);
        assertTrue(order.metric() < 0.01, "the clipped RNN learns the temporal order at T = 5: error " + order.metric());
        assertEquals(RunOutcome.Start.NEW, adding.start());
    }

    @Test
    void rerunningReadsFinishedRunsBackFromTheirCheckpointsWithoutTraining() throws Exception {
        MemorySettings settings = settings("--fast", "--task", "order", "--lengths", "5");
        MemorySample.Result[] first = new MemorySample.Result[1];
        run(settings, first);
        List<FileTime> written = modificationTimes(settings);

        MemorySample.Result[] again = new MemorySample.Result[1];
        String output = run(settings, again);

        for (Contender contender : Contender.values()) {
            RunOutcome before = first[0].outcome("order", contender, 5);
            RunOutcome after = again[0].outcome("order", contender, 5);
            assertEquals(RunOutcome.Start.DONE_BEFORE, after.start());
            assertEquals(before.metric(), after.metric(), "the restored weights score as the trained ones did");
            assertEquals(before.log().epochs(), after.log().epochs(), "the whole loss curve is kept");
        }
        assertEquals(written, modificationTimes(settings), "no checkpoint was written again");
        assertEquals(3, output.split("read from its checkpoint", -1).length - 1, output);
        assertEquals(first[0].tables(), again[0].tables());
    }

    @Test
    void freshDeletesTheRunsAndTrainsThemAgain() throws Exception {
        MemorySettings settings = settings("--fast", "--task", "order", "--lengths", "5");
        MemorySample.Result[] first = new MemorySample.Result[1];
        run(settings, first);
        MemorySample.Result[] fresh = new MemorySample.Result[1];
        run(settings("--fast", "--task", "order", "--lengths", "5", "--fresh"), fresh);
        for (Contender contender : Contender.values()) {
            RunOutcome outcome = fresh[0].outcome("order", contender, 5);
            assertEquals(RunOutcome.Start.NEW, outcome.start());
            assertEquals(first[0].outcome("order", contender, 5).metric(), outcome.metric(), "seeded: the same again");
        }
    }

    @Test
    void anInterruptedRunResumesAndEndsAsAnUninterruptedOneWould() throws Exception {
        MemorySettings settings = settings("--fast", "--task", "adding", "--lengths", "5");
        MemoryTask task = settings.tasks().get(0);
        Examples test = MemorySample.testSet(task, 5, settings);
        MemoryRun interrupted = new MemoryRun(task, Contender.LSTM, 5, settings, test)
                .listener(new StopAfterEpoch(7));
        assertThrows(Interruption.class, interrupted::train);

        RunOutcome resumed = new MemoryRun(task, Contender.LSTM, 5, settings, test).train();

        MemorySettings elsewhere = settingsIn(directory.resolve("elsewhere"), "--fast", "--task", "adding", "--lengths",
                "5");
        RunOutcome straight = new MemoryRun(task, Contender.LSTM, 5, elsewhere, test).train();
        assertEquals(RunOutcome.Start.RESUMED, resumed.start());
        assertEquals(RunOutcome.Start.NEW, straight.start());
        assertEquals(straight.metric(), resumed.metric(), "the same weights to the last bit");
        assertEquals(straight.log().epochs(), resumed.log().epochs(), "the same curve, epochs 1 to 7 kept from before");
    }

    @Test
    void aDivergedRunIsReportedWithItsStepAndNotRepeated() throws Exception {
        // A step of 1e300 overflows the weights: the next loss is not finite.
        MemorySettings settings = settings("--fast", "--task", "adding", "--lengths", "5", "--learning-rate", "1e300");
        MemorySample.Result[] result = new MemorySample.Result[1];
        String output = run(settings, result);
        RunOutcome rnn = result[0].outcome("adding", Contender.RNN, 5);
        assertTrue(rnn.diverged(), output);
        assertTrue(result[0].tables().get("adding").contains("diverged at step " + rnn.divergedAtStep()), output);

        MemorySample.Result[] again = new MemorySample.Result[1];
        run(settings, again);
        RunOutcome reread = again[0].outcome("adding", Contender.RNN, 5);
        assertEquals(RunOutcome.Start.DONE_BEFORE, reread.start());
        assertEquals(rnn.divergedAtStep(), reread.divergedAtStep());
    }

    @Test
    void addingProblemMarksOneStepInEachHalfAndAsksForTheirSum() {
        AddingProblem task = new AddingProblem();
        Examples examples = task.allocate(500, 11);
        task.draw(examples, new Random(3));
        for (int b = 0; b < examples.size(); b++) {
            double[][] xs = examples.xs[b];
            List<Integer> marked = new ArrayList<>();
            double sum = 0;
            for (int t = 0; t < xs.length; t++) {
                assertTrue(xs[t][0] >= 0 && xs[t][0] < 1, "values from U[0, 1)");
                if (xs[t][1] == 1) {
                    marked.add(t);
                    sum += xs[t][0];
                } else {
                    assertEquals(0, xs[t][1]);
                }
            }
            assertEquals(2, marked.size());
            assertTrue(marked.get(0) < 5 && marked.get(1) >= 5, "one in the first half, one in the second: " + marked);
            assertEquals(sum, examples.targets[b][0][0]);
        }
    }

    @Test
    void temporalOrderPutsXOrYInTheTwoWindowsAndNamesTheirOrder() {
        TemporalOrderProblem task = new TemporalOrderProblem();
        Examples examples = task.allocate(500, 100);
        task.draw(examples, new Random(4));
        int[] classes = new int[TemporalOrderProblem.CLASSES];
        for (int b = 0; b < examples.size(); b++) {
            List<Integer> relevant = new ArrayList<>();
            StringBuilder order = new StringBuilder();
            for (int t = 0; t < 100; t++) {
                double[] x = examples.xs[b][t];
                assertEquals(1, Arrays.stream(x).sum(), "one-hot");
                if (x[TemporalOrderProblem.X] == 1 || x[TemporalOrderProblem.Y] == 1) {
                    relevant.add(t);
                    order.append(x[TemporalOrderProblem.X] == 1 ? 'X' : 'Y');
                }
            }
            assertEquals(2, relevant.size());
            assertTrue(relevant.get(0) >= 10 && relevant.get(0) <= 20, "first in [0.1 T, 0.2 T]: " + relevant);
            assertTrue(relevant.get(1) >= 50 && relevant.get(1) <= 60, "second in [0.5 T, 0.6 T]: " + relevant);
            int label = examples.labels[b][0];
            assertEquals(List.of("XX", "XY", "YX", "YY").get(label), order.toString());
            classes[label]++;
        }
        for (int count : classes) {
            assertTrue(count > 80, "each order about a quarter of the time: " + Arrays.toString(classes));
        }
    }

    @Test
    void theSameSeedDrawsTheSameBatchesForEveryNetwork() {
        MemoryTask task = new AddingProblem();
        UnfoldedAddingRnn net = new UnfoldedAddingRnn(1);
        FreshBatches one = new FreshBatches(net, task, 10, 4, 5);
        FreshBatches other = new FreshBatches(net, task, 10, 4, 5);
        one.startEpoch(42);
        other.startEpoch(42);
        assertEquals(one.loss(3), other.loss(3));
        assertTrue(one.loss(2) != one.loss(3), "every update a new batch");
    }

    @Test
    void contendersAreComparableInSize() {
        assertEquals(2701, new UnfoldedAddingRnn(1).parameterCount());
        assertEquals(2826, new UnfoldedAddingLstm(1).parameterCount());
        assertEquals(3054, new UnfoldedOrderRnn(1).parameterCount());
        assertEquals(3304, new UnfoldedOrderLstm(1).parameterCount());
    }

    @Test
    void helpListsTheOptions() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine line = Main.commandLine();
        line.setOut(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, line.execute("memory", "--help"));
        String help = bytes.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--task", "--lengths", "--updates", "--batch", "--learning-rate", "--clip",
                "--seed", "--checkpoints", "--fresh", "--plot", "--fast")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
    }

    @Test
    void impossibleSettingsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings("--lengths", "3", "--task", "order"));
        assertEquals("length 3 is too short for the temporal order problem: it needs at least 4 steps", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings("--updates", "120", "--epoch", "50"));
        assertTrue(e.getMessage().startsWith("updates (120) must be a whole number of epochs of 50"), e.getMessage());
    }

    private static List<FileTime> modificationTimes(MemorySettings settings) throws IOException {
        try (var files = Files.list(settings.runDirectory())) {
            List<Path> sorted = files.sorted().toList();
            List<FileTime> times = new ArrayList<>();
            for (Path file : sorted) {
                times.add(Files.getLastModifiedTime(file));
            }
            return times;
        }
    }

    /** What a Ctrl-C after an epoch's checkpoint leaves behind, simulated. */
    private static final class Interruption extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static final class StopAfterEpoch implements TrainingListener {
        private final int epoch;

        StopAfterEpoch(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public void epochEnded(EpochReport report) {
            if (report.epoch() == epoch) {
                throw new Interruption();
            }
        }
    }
}
