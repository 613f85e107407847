package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni3M2mMse.weights.safetensors. */
@Network(input = 2, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleUni3M2mMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer1();

    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer2();
}
