package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruUni3M2mCe.weights.safetensors. */
@Network(input = 4, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface GruUni3M2mCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer1();

    @Recurrent(hidden = 4, cell = Cell.GRU)
    Layer layer2();
}
