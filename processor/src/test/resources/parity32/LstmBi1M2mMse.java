package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBi1M2mMse.weights.safetensors. */
@Network(input = 2, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface LstmBi1M2mMse extends Traceable {
    @Recurrent(hidden = 2, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();
}
