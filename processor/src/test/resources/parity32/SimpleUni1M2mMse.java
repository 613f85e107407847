package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni1M2mMse.weights.safetensors. */
@Network(input = 1, output = 3, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleUni1M2mMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE)
    Layer layer0();
}
