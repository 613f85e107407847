package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of Mixed1M2mCe.weights.safetensors. */
@Network(input = 1, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface Mixed1M2mCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 2, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.LSTM)
    Layer layer1();
}
