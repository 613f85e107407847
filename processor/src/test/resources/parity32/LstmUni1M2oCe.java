package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmUni1M2oCe.weights.safetensors. */
@Network(input = 1, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface LstmUni1M2oCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 2, cell = Cell.LSTM)
    Layer layer0();
}
