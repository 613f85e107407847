package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruBi3M2oCe.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface GruBi3M2oCe extends Classifier, Traceable {
    @Recurrent(hidden = 4, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 2, cell = Cell.GRU)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    @Bidirectional
    Layer layer2();
}
