package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruBi3M2mCe.weights.safetensors. */
@Network(input = 3, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface GruBi3M2mCe extends Classifier, Traceable {
    @Recurrent(hidden = 4, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    @Bidirectional
    Layer layer2();
}
