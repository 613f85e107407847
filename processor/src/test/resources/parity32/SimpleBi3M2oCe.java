package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleBi3M2oCe.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface SimpleBi3M2oCe extends Classifier, Traceable {
    @Recurrent(hidden = 1, cell = Cell.SIMPLE)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.SIMPLE, activation = Activation.RELU)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 2, cell = Cell.SIMPLE, activation = Activation.RELU)
    @Bidirectional
    Layer layer2();
}
