package feedback32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmFedBack.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.MSE, precision = Precision.FLOAT32)
public interface LstmFedBack extends Autoregressive, Traceable {
    @Recurrent(hidden = 4, cell = Cell.LSTM, recurrence = Recurrence.HIDDEN_AND_OUTPUT)
    Layer layer0();
}
