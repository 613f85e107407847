package twobiases32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruTwoBiases.weights.safetensors. */
@Network(input = 3, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface GruTwoBiases extends Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU, biases = Biases.TWO)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 2, cell = Cell.GRU, biases = Biases.TWO)
    Layer layer1();
}
