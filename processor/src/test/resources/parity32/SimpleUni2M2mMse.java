package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni2M2mMse.weights.safetensors. */
@Network(input = 3, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleUni2M2mMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE)
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer1();
}
