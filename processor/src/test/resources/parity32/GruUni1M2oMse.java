package parity32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruUni1M2oMse.weights.safetensors. */
@Network(input = 1, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface GruUni1M2oMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 2, cell = Cell.GRU)
    Layer layer0();
}
