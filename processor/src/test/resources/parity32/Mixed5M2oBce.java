package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of Mixed5M2oBce.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.BINARY_CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface Mixed5M2oBce extends Traceable {
    @Recurrent(hidden = 2, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 1, cell = Cell.LSTM)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 1, cell = Cell.LSTM)
    @Bidirectional
    Layer layer2();
}
