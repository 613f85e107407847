package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.SequenceModel;

/** W1 in float32, PyTorch's default precision: the README's worked example, a tanh RNN 4 → 20 → 1 with MSE, over T = 50. */
@Network(input = 4, output = 1, loss = Loss.MSE, precision = Precision.FLOAT32)
public interface Float32SeedForecaster extends SequenceModel {
    @Recurrent(hidden = 20, activation = Activation.TANH)
    Layer rnn();
}
