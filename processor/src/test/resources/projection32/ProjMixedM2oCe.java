package projection32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of ProjMixedM2oCe.weights.safetensors. */
@Network(input = 5, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface ProjMixedM2oCe extends Classifier, Traceable {
    @Recurrent(hidden = 6, cell = Cell.LSTM, projection = 4)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.SIMPLE)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 3, cell = Cell.LSTM, projection = 2)
    @Bidirectional
    Layer layer2();
}
