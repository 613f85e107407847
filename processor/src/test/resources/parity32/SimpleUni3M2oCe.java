package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni3M2oCe.weights.safetensors. */
@Network(input = 2, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface SimpleUni3M2oCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.SIMPLE)
    Layer layer1();

    @Recurrent(hidden = 3, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer2();
}
