package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni1M2oMse.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface SimpleUni1M2oMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 1, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer0();
}
