package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruBi3M2oMse.weights.safetensors. */
@Network(input = 1, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface GruBi3M2oMse extends Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 1, cell = Cell.GRU)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 4, cell = Cell.GRU)
    @Bidirectional
    Layer layer2();
}
