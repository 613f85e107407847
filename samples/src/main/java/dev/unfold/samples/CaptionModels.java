package dev.unfold.samples;

import dev.unfold.Cell;
import dev.unfold.DecodesFrom;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Streaming;

/**
 * The networks of {@code ./unfold caption}: a vector in, a sentence out. Either the reader takes
 * the vector as a sequence of one step and its final state starts the describer, which says the
 * words; or the speaker reads the vector at every step as its context.
 */
public final class CaptionModels {
    /** The vector: one-hot hundreds, tens and units digits. */
    public static final int VECTOR = 30;

    private CaptionModels() {}

    /** Reads the vector; its own output layer is not used, only its state. */
    @Network(input = VECTOR, output = 2, loss = Loss.CROSS_ENTROPY)
    public interface Reader extends Encoder, Classifier {
        @Recurrent(hidden = 64, cell = Cell.LSTM)
        Layer lstm();
    }

    /**
     * The other form (equations.md (7.1)): no encoder; the vector enters every step of the speaking LSTM through
     * weights of its own, R (h_t = σ(W h_{t−1} + U y_{t−1} + R x + b)).
     */
    @Network(input = NumberWords.TOKENS, output = NumberWords.TOKENS, loss = Loss.CROSS_ENTROPY, context = VECTOR)
    public interface Speaker extends Streaming, Contextual, Classifier {
        @Recurrent(hidden = 64, cell = Cell.LSTM)
        Layer lstm();
    }

    /** Says the words, one token at a time. */
    @Network(input = NumberWords.TOKENS, output = NumberWords.TOKENS, loss = Loss.CROSS_ENTROPY)
    @DecodesFrom(Reader.class)
    public interface Describer extends Decoder, Classifier {
        @Recurrent(hidden = 64, cell = Cell.LSTM)
        Layer lstm();
    }
}
