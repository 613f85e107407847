package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.seq2seq.EncoderDecoder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shared encoder and its two decoders learn to reverse and sort digit strings they never saw. */
class TranslateSampleTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void learnsBothTasksFromOneEncoder() {
        // a short run: 4,000 pairs of 3 to 5 digits, 3 epochs (the sample's default reaches 99% on both)
        TranslateSample.Result result = TranslateSample.run(new TranslateSample.Settings(4000, 3, 5, 3, 32, 0.003, 0, 1),
                QUIET, QUIET);
        // an exact answer by chance is about one in 10^4 for these lengths; untrained, none is right
        assertTrue(result.sortedAccuracy() >= 0.85, "sorted " + result.sortedAccuracy());
        assertTrue(result.reversedAccuracy() >= 0.05, "reversed " + result.reversedAccuracy());
    }

    /** As {@code ./unfold translate} prints to a terminal: standard output and the progress stream together. */
    @Test
    void eachEpochsLineIsPrintedOnce() {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        TranslateSample.run(new TranslateSample.Settings(200, 3, 4, 2, 32, 0.003, 0, 1), both, both);
        String printed = terminal.toString(StandardCharsets.UTF_8);
        for (int epoch = 1; epoch <= 2; epoch++) {
            assertEquals(1, EpochLines.count(printed, "epoch " + epoch + ": loss")
                    + EpochLines.count(printed, "epoch " + epoch + "/2: loss"), printed);
        }
    }

    @Test
    void untrainedDecodersGetNothingRight() {
        EncoderDecoder model = new EncoderDecoder(new UnfoldedDigitModels_Encoder(1), new UnfoldedDigitModels_Reverser(2),
                new UnfoldedDigitModels_Sorter(3));
        int[][] strings = {{1, 2, 3}, {9, 0, 4, 4}, {5, 5, 1, 0, 7}};
        TranslateSample.Result result = TranslateSample.accuracy(model, strings);
        assertEquals(0.0, result.reversedAccuracy());
        assertEquals(0.0, result.sortedAccuracy());
    }

    @Test
    void theAnswersAreReversalAndSorting() {
        assertArrayEquals(new int[] {2, 9, 5, 1, 4, 1, 3}, TranslateSample.answer(new int[] {3, 1, 4, 1, 5, 9, 2}, 0));
        assertArrayEquals(new int[] {1, 1, 2, 3, 4, 5, 9}, TranslateSample.answer(new int[] {3, 1, 4, 1, 5, 9, 2}, 1));
    }
}
