package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A vector's caption, learned: numbers never seen are named right, and the names are English. */
class CaptionSampleTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void namesHeldOutNumbers() {
        // half the sample's epochs
        for (boolean everyStep : new boolean[] {false, true}) {
            CaptionSample.Result result = CaptionSample.run(new CaptionSample.Settings(10, 16, 0.005, everyStep, 1),
                    QUIET, QUIET);
            // an exact caption by chance is about one in 30^3 or worse; untrained, none is right
            assertTrue(result.heldOutAccuracy() >= 0.9, everyStep + ": held out " + result.heldOutAccuracy());
            assertTrue(result.trainingAccuracy() >= result.heldOutAccuracy() - 0.1,
                    everyStep + ": trained on " + result.trainingAccuracy());
        }
    }

    /**
     * As {@code ./unfold caption} prints to a terminal: standard output and the progress stream
     * together. Each epoch's loss is on one line, whether the sample's own (with the accuracies, on
     * the first, the last and every fifth epoch) or the progress line.
     */
    @Test
    void eachEpochsLineIsPrintedOnce() {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        CaptionSample.run(new CaptionSample.Settings(6, 64, 0.005, false, 1), both, both);
        String printed = terminal.toString(StandardCharsets.UTF_8);
        for (int epoch = 1; epoch <= 6; epoch++) {
            Pattern line = Pattern.compile("epoch +" + epoch + "(/6)?: loss .*");
            assertEquals(1, printed.lines().flatMap(l -> Pattern.compile("\\r").splitAsStream(l))
                    .filter(l -> line.matcher(l).matches()).count(), "epoch " + epoch + " in:\n" + printed);
        }
    }

    @Test
    void captionsAreTheNumbersNames() {
        assertEquals(NumberWords.START, NumberWords.WORDS.size(), "the start token follows the words");
        assertEquals("zero", NumberWords.text(NumberWords.caption(0)));
        assertEquals("seven", NumberWords.text(NumberWords.caption(7)));
        assertEquals("fifteen", NumberWords.text(NumberWords.caption(15)));
        assertEquals("seventy", NumberWords.text(NumberWords.caption(70)));
        assertEquals("four hundred twelve", NumberWords.text(NumberWords.caption(412)));
        assertEquals("three hundred", NumberWords.text(NumberWords.caption(300)));
        assertEquals("nine hundred ninety nine", NumberWords.text(NumberWords.caption(999)));
        assertEquals("one hundred five", NumberWords.text(NumberWords.caption(105)));
        double[] vector = NumberWords.vector(412);
        double[] expected = new double[30];
        expected[4] = 1;
        expected[11] = 1;
        expected[22] = 1;
        assertArrayEquals(expected, vector);
    }
}
