package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruUni2M2mMse.weights.safetensors. */
@Network(input = 4, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface GruUni2M2mMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 2, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 1, cell = Cell.GRU)
    Layer layer1();
}
