package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleBi3M2mMse.weights.safetensors. */
@Network(input = 2, output = 3, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleBi3M2mMse extends Traceable {
    @Recurrent(hidden = 2, cell = Cell.SIMPLE, activation = Activation.RELU)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 1, cell = Cell.SIMPLE, activation = Activation.RELU)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 2, cell = Cell.SIMPLE)
    @Bidirectional
    Layer layer2();
}
