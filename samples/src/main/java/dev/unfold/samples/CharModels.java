package dev.unfold.samples;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Precision;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Streaming;

/**
 * The character-level language models of {@code ./unfold charlm}: one character in as a token,
 * a softmax over the next character out, at every step. Sizes are compile-time constants, so each
 * choice of cell and width is a network of its own; they read up to {@link #CHARACTERS} distinct
 * characters, which covers English text in ASCII (the bundled sonnets use 68). They compute in
 * float32 ({@code precision = Precision.FLOAT32}), as PyTorch does by default: networks of this size
 * train faster in float, and reach the held-out loss of their float64 twins
 * ({@code CharLmPrecisionTest}).
 */
public final class CharModels {
    /** The widest alphabet the models read: the input and output size. */
    public static final int CHARACTERS = 96;

    private CharModels() {}

    /**
     * What every model here is: a classifier of the next character that streams, so that it can be
     * trained on chunks of a long text and write one character at a time.
     */
    public interface CharModel extends Streaming, Classifier {}

    /** An LSTM of 128 units: the default. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Lstm128 extends CharModel {
        @Recurrent(hidden = 128, cell = Cell.LSTM)
        Layer lstm();
    }

    /** An LSTM of 256 units: about four times the work per character. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Lstm256 extends CharModel {
        @Recurrent(hidden = 256, cell = Cell.LSTM)
        Layer lstm();
    }

    /** A GRU of 128 units. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Gru128 extends CharModel {
        @Recurrent(hidden = 128, cell = Cell.GRU)
        Layer gru();
    }

    /** A GRU of 256 units. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Gru256 extends CharModel {
        @Recurrent(hidden = 256, cell = Cell.GRU)
        Layer gru();
    }

    /** Karpathy's min-char-rnn: a tanh RNN, here of 128 units. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Rnn128 extends CharModel {
        @Recurrent(hidden = 128, activation = Activation.TANH)
        Layer rnn();
    }

    /** A tanh RNN of 256 units. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Rnn256 extends CharModel {
        @Recurrent(hidden = 256, activation = Activation.TANH)
        Layer rnn();
    }

    // The same models with dropout in training (equations.md section 16): p = 0.1 on the input
    // character and 0.25 on h_{t−1} where it enters W_hh. On the first 4,000 characters of the
    // sonnets, where the LSTM of 128 overfits after 9 epochs of one stream (held-out 2.41 nats, then
    // 3.02 after 25 epochs), these rates keep it at 2.28 after 25; recurrent dropout of 0.25 alone
    // gave 2.40, of 0.5 alone 2.28 (CharLmSampleTest keeps the comparison).

    /** {@link Lstm128} with dropout in training. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Lstm128Dropout extends CharModel {
        @Recurrent(hidden = 128, cell = Cell.LSTM, dropout = 0.1, recurrentDropout = 0.25)
        Layer lstm();
    }

    /** {@link Lstm256} with dropout in training. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Lstm256Dropout extends CharModel {
        @Recurrent(hidden = 256, cell = Cell.LSTM, dropout = 0.1, recurrentDropout = 0.25)
        Layer lstm();
    }

    /** {@link Gru128} with dropout in training. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Gru128Dropout extends CharModel {
        @Recurrent(hidden = 128, cell = Cell.GRU, dropout = 0.1, recurrentDropout = 0.25)
        Layer gru();
    }

    /** {@link Gru256} with dropout in training. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Gru256Dropout extends CharModel {
        @Recurrent(hidden = 256, cell = Cell.GRU, dropout = 0.1, recurrentDropout = 0.25)
        Layer gru();
    }

    /** {@link Rnn128} with dropout in training. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Rnn128Dropout extends CharModel {
        @Recurrent(hidden = 128, activation = Activation.TANH, dropout = 0.1, recurrentDropout = 0.25)
        Layer rnn();
    }

    /** {@link Rnn256} with dropout in training. */
    @Network(input = CHARACTERS, output = CHARACTERS, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    public interface Rnn256Dropout extends CharModel {
        @Recurrent(hidden = 256, activation = Activation.TANH, dropout = 0.1, recurrentDropout = 0.25)
        Layer rnn();
    }

    /** The network for {@code cell} (lstm, gru or rnn) and {@code size} (128 or 256), seeded. */
    public static CharModel create(String cell, int size, long seed) {
        return create(cell, size, false, seed);
    }

    /** The same, with dropout in training when {@code dropout} is true. */
    public static CharModel create(String cell, int size, boolean dropout, long seed) {
        String key = cell + size + (dropout ? "dropout" : "");
        return switch (key) {
            case "lstm128" -> new UnfoldedCharModels_Lstm128(seed);
            case "lstm256" -> new UnfoldedCharModels_Lstm256(seed);
            case "gru128" -> new UnfoldedCharModels_Gru128(seed);
            case "gru256" -> new UnfoldedCharModels_Gru256(seed);
            case "rnn128" -> new UnfoldedCharModels_Rnn128(seed);
            case "rnn256" -> new UnfoldedCharModels_Rnn256(seed);
            case "lstm128dropout" -> new UnfoldedCharModels_Lstm128Dropout(seed);
            case "lstm256dropout" -> new UnfoldedCharModels_Lstm256Dropout(seed);
            case "gru128dropout" -> new UnfoldedCharModels_Gru128Dropout(seed);
            case "gru256dropout" -> new UnfoldedCharModels_Gru256Dropout(seed);
            case "rnn128dropout" -> new UnfoldedCharModels_Rnn128Dropout(seed);
            case "rnn256dropout" -> new UnfoldedCharModels_Rnn256Dropout(seed);
            default -> throw new IllegalArgumentException("no character model with cell " + cell + " and size " + size
                    + ": the cells are lstm, gru and rnn, the sizes 128 and 256");
        };
    }
}
