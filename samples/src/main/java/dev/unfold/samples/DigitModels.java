package dev.unfold.samples;

import dev.unfold.Cell;
import dev.unfold.DecodesFrom;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Precision;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Layer;

/**
 * The networks of {@code ./unfold translate}: one encoder reads a string of digits; two decoders,
 * started from its final state, say it reversed and sorted. Tokens 0 to 9 are the digits,
 * {@link #START} starts a decoder and {@link #END} is how it says it is done. The three compute in
 * float32 ({@code precision = Precision.FLOAT32}, PyTorch's default precision): an encoder and its
 * decoders share one precision.
 */
public final class DigitModels {
    /** The digits, the start token and the end token. */
    public static final int TOKENS = 12;
    public static final int START = 10;
    public static final int END = 11;

    private DigitModels() {}

    /** Reads the source; its own output layer is not used, only its final state. */
    @Network(input = TOKENS, output = TOKENS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Encoder extends dev.unfold.runtime.Encoder, Classifier {
        @Recurrent(hidden = 128, cell = Cell.LSTM)
        Layer lstm();
    }

    /** Says the digits in reverse order. */
    @Network(input = TOKENS, output = TOKENS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    @DecodesFrom(Encoder.class)
    public interface Reverser extends Decoder, Classifier {
        @Recurrent(hidden = 128, cell = Cell.LSTM)
        Layer lstm();
    }

    /** Says the digits in ascending order. */
    @Network(input = TOKENS, output = TOKENS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    @DecodesFrom(Encoder.class)
    public interface Sorter extends Decoder, Classifier {
        @Recurrent(hidden = 128, cell = Cell.LSTM)
        Layer lstm();
    }
}
