package twobiases32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of SimpleTwoBiases.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface SimpleTwoBiases extends Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE, biases = Biases.TWO)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 2, cell = Cell.SIMPLE, activation = Activation.RELU, biases = Biases.TWO)
    Layer layer1();
}
