package projection32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of ProjUni1M2mMse.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface ProjUni1M2mMse extends Encoder, Decoder, Traceable {
    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 2)
    Layer layer0();
}
