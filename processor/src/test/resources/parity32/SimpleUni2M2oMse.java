package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni2M2oMse.weights.safetensors. */
@Network(input = 1, output = 3, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface SimpleUni2M2oMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer1();
}
