package projection32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of ProjUni1M2oCe.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface ProjUni1M2oCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 3)
    Layer layer0();
}
