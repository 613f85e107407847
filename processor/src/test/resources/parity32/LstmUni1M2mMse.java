package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmUni1M2mMse.weights.safetensors. */
@Network(input = 3, output = 3, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface LstmUni1M2mMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 1, cell = Cell.LSTM)
    Layer layer0();
}
