package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBi1M2oCe.weights.safetensors. */
@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface LstmBi1M2oCe extends Classifier, Traceable {
    @Recurrent(hidden = 1, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();
}
