package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBi3M2oMse.weights.safetensors. */
@Network(input = 2, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface LstmBi3M2oMse extends Traceable {
    @Recurrent(hidden = 4, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 2, cell = Cell.LSTM)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 1, cell = Cell.LSTM)
    @Bidirectional
    Layer layer2();
}
