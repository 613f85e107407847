package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** W8 in float32, PyTorch's default precision: an LSTM 256 → 1024 → 256 with cross-entropy, T = 20, trained on batches of 32. */
@Network(input = 256, output = 256, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface Float32BigLstm extends Classifier {
    @Recurrent(hidden = 1024, cell = Cell.LSTM)
    Layer lstm();
}
