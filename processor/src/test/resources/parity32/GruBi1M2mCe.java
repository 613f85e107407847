package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruBi1M2mCe.weights.safetensors. */
@Network(input = 1, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface GruBi1M2mCe extends Classifier, Traceable {
    @Recurrent(hidden = 4, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();
}
