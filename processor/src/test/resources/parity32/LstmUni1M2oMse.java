package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmUni1M2oMse.weights.safetensors. */
@Network(input = 2, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface LstmUni1M2oMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 1, cell = Cell.LSTM)
    Layer layer0();
}
