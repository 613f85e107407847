package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** W8: a big LSTM 256 → 1024 → 256 with cross-entropy, T = 20, trained on batches of 32; its weights do not fit in L2. */
@Network(input = 256, output = 256, loss = Loss.CROSS_ENTROPY)
public interface BigLstm extends Classifier {
    @Recurrent(hidden = 1024, cell = Cell.LSTM)
    Layer lstm();
}
