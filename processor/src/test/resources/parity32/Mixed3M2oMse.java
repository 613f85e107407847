package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of Mixed3M2oMse.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface Mixed3M2oMse extends Traceable {
    @Recurrent(hidden = 2, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 2, cell = Cell.SIMPLE)
    Layer layer1();

    @Recurrent(hidden = 1, cell = Cell.SIMPLE)
    Layer layer2();
}
