package dev.unfold.samples;

import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.SequenceModel;

/**
 * The networks of {@code ./unfold caption}: a vector in, a sentence out. The encoder reads the
 * vector as a sequence of one step; its final state starts the decoder, which says the words.
 */
public final class CaptionModels {
    /** The vector: one-hot hundreds, tens and units digits. */
    public static final int VECTOR = 30;

    private CaptionModels() {}

    /** Reads the vector; its own output layer is not used, only its state. */
    @Network(input = VECTOR, output = 2, loss = Loss.CROSS_ENTROPY)
    public interface Reader extends SequenceModel {
        @Recurrent(hidden = 64, cell = Cell.LSTM)
        Layer lstm();
    }

    /** Says the words, one token at a time. */
    @Network(input = NumberWords.TOKENS, output = NumberWords.TOKENS, loss = Loss.CROSS_ENTROPY)
    public interface Describer extends SequenceModel {
        @Recurrent(hidden = 64, cell = Cell.LSTM)
        Layer lstm();
    }
}
