package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class EchoSampleTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void deepGruRepeatsTheSymbolFromSixStepsBefore() {
        EchoSample.Result result = EchoSample.run(1000, 4, 0.003, 1, QUIET);
        assertTrue(result.accuracy() >= 0.98, "held-out accuracy " + result.accuracy());
    }

    @Test
    void untrainedGruIsNearChance() {
        double accuracy = EchoSample.accuracy(new UnfoldedEcho(1), 1);
        assertTrue(accuracy < 0.3, "untrained accuracy " + accuracy + " (chance: 1/9)");
    }

    @Test
    void targetsAreTheSymbolsShiftedByTheDelay() {
        int[] symbols = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 2, 3}, EchoSample.targets(symbols));
    }
}
