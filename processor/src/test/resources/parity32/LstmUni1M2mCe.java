package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmUni1M2mCe.weights.safetensors. */
@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface LstmUni1M2mCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.LSTM)
    Layer layer0();
}
