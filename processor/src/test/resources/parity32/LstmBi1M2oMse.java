package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBi1M2oMse.weights.safetensors. */
@Network(input = 2, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface LstmBi1M2oMse extends Traceable {
    @Recurrent(hidden = 3, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();
}
