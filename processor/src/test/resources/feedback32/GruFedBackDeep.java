package feedback32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruFedBackDeep.weights.safetensors. */
@Network(input = 5, output = 4, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface GruFedBackDeep extends Autoregressive, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU, recurrence = Recurrence.HIDDEN_AND_OUTPUT)
    Layer layer0();
    @Recurrent(hidden = 4)
    Layer layer1();
}
