package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleBi3M2mCe.weights.safetensors. */
@Network(input = 2, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleBi3M2mCe extends Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE, activation = Activation.RELU)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 4, cell = Cell.SIMPLE)
    @Bidirectional
    Layer layer2();
}
