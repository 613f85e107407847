package feedback32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmFedBackDeep.weights.safetensors. */
@Network(input = 2, output = 3, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface LstmFedBackDeep extends Autoregressive, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.LSTM, recurrence = Recurrence.HIDDEN_AND_OUTPUT)
    Layer layer0();
    @Recurrent(hidden = 2, cell = Cell.LSTM)
    Layer layer1();
}
