package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruUni3M2oCe.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface GruUni3M2oCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 2, cell = Cell.GRU)
    Layer layer1();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer2();
}
