package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBi2M2mCe.weights.safetensors. */
@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface LstmBi2M2mCe extends Classifier, Traceable {
    @Recurrent(hidden = 2, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.LSTM)
    @Bidirectional
    Layer layer1();
}
