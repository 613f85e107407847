package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** W6 in float32, PyTorch's default precision: a bidirectional LSTM 20 → 2×32 → 2 reading one-hot amino acids, many-to-one, T = 428 (a long protein). */
@Network(input = 20, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface Float32ProteinBiLstm extends Classifier {
    @Recurrent(hidden = 32, cell = Cell.LSTM)
    @Bidirectional
    Layer lstm();
}
