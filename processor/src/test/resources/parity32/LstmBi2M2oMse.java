package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBi2M2oMse.weights.safetensors. */
@Network(input = 4, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface LstmBi2M2oMse extends Traceable {
    @Recurrent(hidden = 3, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.LSTM)
    @Bidirectional
    Layer layer1();
}
