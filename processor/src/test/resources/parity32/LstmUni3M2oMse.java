package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmUni3M2oMse.weights.safetensors. */
@Network(input = 1, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface LstmUni3M2oMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 2, cell = Cell.LSTM)
    Layer layer0();

    @Recurrent(hidden = 1, cell = Cell.LSTM)
    Layer layer1();

    @Recurrent(hidden = 1, cell = Cell.LSTM)
    Layer layer2();
}
