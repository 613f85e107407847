package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni2M2mCe.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleUni2M2mCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer0();

    @Recurrent(hidden = 1, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer1();
}
