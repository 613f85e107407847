package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleUni1M2oCe.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface SimpleUni1M2oCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer0();
}
