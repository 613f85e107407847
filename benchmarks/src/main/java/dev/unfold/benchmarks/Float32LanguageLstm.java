package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** W3 in float32, PyTorch's default precision: an LSTM 128 → 256 → 128 with cross-entropy, T = 35, trained on batches of 32. */
@Network(input = 128, output = 128, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface Float32LanguageLstm extends Classifier {
    @Recurrent(hidden = 256, cell = Cell.LSTM)
    Layer lstm();
}
