package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmUni2M2oMse.weights.safetensors. */
@Network(input = 1, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface LstmUni2M2oMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 3, cell = Cell.LSTM)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.LSTM)
    Layer layer1();
}
