package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Streaming;

/**
 * W7: a character language model, two stacked LSTMs of 512 over a vocabulary of 96 given as tokens,
 * cross-entropy, trained on many streams at once with truncated BPTT.
 */
@Network(input = 96, output = 96, loss = Loss.CROSS_ENTROPY)
public interface StatefulCharLm extends Streaming, Classifier {
    @Recurrent(hidden = 512, cell = Cell.LSTM)
    Layer lower();

    @Recurrent(hidden = 512, cell = Cell.LSTM)
    Layer upper();
}
