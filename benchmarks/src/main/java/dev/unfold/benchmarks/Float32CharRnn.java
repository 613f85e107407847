package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** W2 in float32, PyTorch's default precision: min-char-rnn's size, a tanh RNN over 65 one-hot characters → 100 → 65, cross-entropy, T = 25. */
@Network(input = 65, output = 65, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface Float32CharRnn extends Classifier {
    @Recurrent(hidden = 100, activation = Activation.TANH)
    Layer rnn();
}
