package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of Mixed4M2oCe.weights.safetensors. */
@Network(input = 1, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface Mixed4M2oCe extends Classifier, Traceable {
    @Recurrent(hidden = 1, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.SIMPLE, activation = Activation.RELU)
    Layer layer1();
}
