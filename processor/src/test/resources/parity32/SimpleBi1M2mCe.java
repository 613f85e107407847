package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleBi1M2mCe.weights.safetensors. */
@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleBi1M2mCe extends Classifier, Traceable {
    @Recurrent(hidden = 1, cell = Cell.SIMPLE)
    @Bidirectional
    Layer layer0();
}
