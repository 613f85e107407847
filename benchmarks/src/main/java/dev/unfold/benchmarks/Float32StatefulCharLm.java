package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Streaming;

/** W7 in float32, PyTorch's default precision: two stacked LSTMs of 512, a vocabulary of 96 as tokens, cross-entropy. */
@Network(input = 96, output = 96, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface Float32StatefulCharLm extends Streaming, Classifier {
    @Recurrent(hidden = 512, cell = Cell.LSTM)
    Layer lower();

    @Recurrent(hidden = 512, cell = Cell.LSTM)
    Layer upper();
}
