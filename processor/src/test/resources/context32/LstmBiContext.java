package context32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmBiContext.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, context = 3, precision = Precision.FLOAT32)
public interface LstmBiContext extends Contextual, Traceable {
    @Recurrent(hidden = 2, cell = Cell.LSTM)
    @Bidirectional
    Layer layer0();
}
