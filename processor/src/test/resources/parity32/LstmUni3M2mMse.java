package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmUni3M2mMse.weights.safetensors. */
@Network(input = 4, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface LstmUni3M2mMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 4, cell = Cell.LSTM)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.LSTM)
    Layer layer1();

    @Recurrent(hidden = 3, cell = Cell.LSTM)
    Layer layer2();
}
