package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBi3M2mCe.weights.safetensors. */
@Network(input = 2, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface LstmBi3M2mCe extends Classifier, Traceable {
    @Recurrent(hidden = 2, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 1, cell = Cell.LSTM)
    @Bidirectional
    Layer layer1();

    @Recurrent(hidden = 1, cell = Cell.LSTM)
    @Bidirectional
    Layer layer2();
}
