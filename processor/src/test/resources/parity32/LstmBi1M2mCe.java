package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBi1M2mCe.weights.safetensors. */
@Network(input = 2, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface LstmBi1M2mCe extends Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();
}
