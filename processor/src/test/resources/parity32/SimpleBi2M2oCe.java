package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleBi2M2oCe.weights.safetensors. */
@Network(input = 2, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface SimpleBi2M2oCe extends Classifier, Traceable {
    @Recurrent(hidden = 1, cell = Cell.SIMPLE)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 1, cell = Cell.SIMPLE, activation = Activation.RELU)
    @Bidirectional
    Layer layer1();
}
