package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruBi1M2oCe.weights.safetensors. */
@Network(input = 3, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface GruBi1M2oCe extends Classifier, Traceable {
    @Recurrent(hidden = 1, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();
}
