package projection32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of ProjBi1M2mCe.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface ProjBi1M2mCe extends Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.LSTM, projection = 1)
    @Bidirectional
    Layer layer0();
}
