package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of Mixed2M2mBce.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.BINARY_CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface Mixed2M2mBce extends Traceable {
    @Recurrent(hidden = 2, cell = Cell.LSTM)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    @Bidirectional
    Layer layer1();
}
