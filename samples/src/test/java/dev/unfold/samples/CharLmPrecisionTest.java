package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Precision;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.data.Vocabulary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The character model learns as well in float32, its default, as in float64: trained on the same
 * text from the same seed for the same epochs (12,000 characters of the sonnets, 4 epochs, about
 * ten seconds for both), the two reach the same held-out loss within 0.02 nats a character.
 */
class CharLmPrecisionTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** {@link CharModels.Lstm128} in float64: the same network but for its precision. */
    @Network(input = CharModels.CHARACTERS, output = CharModels.CHARACTERS, loss = Loss.CROSS_ENTROPY,
            precision = Precision.FLOAT64)
    interface Lstm128InFloat64 extends CharModels.CharModel {
        @Recurrent(hidden = 128, cell = Cell.LSTM)
        Layer lstm();
    }

    @Test
    void float32ReachesTheHeldOutLossOfFloat64() throws IOException {
        CharLmSample.Settings settings = new CharLmSample.Settings("lstm", 128, 4, 50, 1, "adam", 0.002, 12000, 40,
                List.of(1.0), null, 1);
        CharModels.CharModel floats = CharModels.create("lstm", 128, settings.seed());
        assertEquals(Precision.FLOAT32, floats.precision(), "the sample's default");
        CharLmSample.Result float32 = CharLmSample.run(Corpus.bundled(), "sonnets", settings, floats, QUIET, QUIET);
        CharLmSample.Result float64 = CharLmSample.run(Corpus.bundled(), "sonnets", settings,
                new UnfoldedCharLmPrecisionTest_Lstm128InFloat64(settings.seed()), QUIET, QUIET);
        // both learned: guessing uniformly among the text's characters costs ln V nats a character
        double chance = Math.log(Vocabulary.ofCharacters(Corpus.bundled().substring(0, settings.characters())).size());
        assertTrue(float64.validationLoss() < chance - 1.5, "float64 held-out loss " + float64.validationLoss());
        assertTrue(float32.validationLoss() < chance - 1.5, "float32 held-out loss " + float32.validationLoss());
        assertEquals(float64.validationLoss(), float32.validationLoss(), 0.02,
                "held-out loss in float64 " + float64.validationLoss() + ", in float32 " + float32.validationLoss());
    }
}
