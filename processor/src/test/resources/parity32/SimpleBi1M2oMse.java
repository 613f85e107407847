package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleBi1M2oMse.weights.safetensors. */
@Network(input = 2, output = 3, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface SimpleBi1M2oMse extends Traceable {
    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    @Bidirectional
    Layer layer0();
}
