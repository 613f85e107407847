package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** W4: W3 with a GRU. */
@Network(input = 128, output = 128, loss = Loss.CROSS_ENTROPY)
public interface LanguageGru extends Classifier {
    @Recurrent(hidden = 256, cell = Cell.GRU)
    Layer gru();
}
