package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni3M2mCe.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleUni3M2mCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 2, cell = Cell.SIMPLE)
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer1();

    @Recurrent(hidden = 2, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer2();
}
