package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruUni1M2mCe.weights.safetensors. */
@Network(input = 2, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface GruUni1M2mCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer0();
}
