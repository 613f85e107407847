package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruBi1M2oMse.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface GruBi1M2oMse extends Traceable {
    @Recurrent(hidden = 4, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();
}
