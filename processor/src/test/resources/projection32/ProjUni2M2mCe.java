package projection32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of ProjUni2M2mCe.weights.safetensors. */
@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface ProjUni2M2mCe extends Encoder, Decoder, Classifier, Traceable {
    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 2)
    Layer layer0();

    @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 3)
    Layer layer1();
}
