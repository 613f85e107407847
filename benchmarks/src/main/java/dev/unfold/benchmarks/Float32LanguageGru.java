package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** W4 in float32, PyTorch's default precision: W3 with a GRU. */
@Network(input = 128, output = 128, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface Float32LanguageGru extends Classifier {
    @Recurrent(hidden = 256, cell = Cell.GRU)
    Layer gru();
}
