package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruUni3M2oMse.weights.safetensors. */
@Network(input = 3, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface GruUni3M2oMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 4, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer1();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer2();
}
