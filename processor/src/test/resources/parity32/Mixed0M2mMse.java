package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of Mixed0M2mMse.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface Mixed0M2mMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.LSTM)
    Layer layer1();
}
