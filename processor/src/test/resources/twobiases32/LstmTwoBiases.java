package twobiases32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmTwoBiases.weights.safetensors. */
@Network(input = 3, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface LstmTwoBiases extends Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.LSTM, biases = Biases.TWO)
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 2, biases = Biases.TWO)
    @Bidirectional
    Layer layer1();
}
