package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruBi2M2mMse.weights.safetensors. */
@Network(input = 1, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface GruBi2M2mMse extends Traceable {
    @Recurrent(hidden = 4, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.GRU)
    @Bidirectional
    Layer layer1();
}
