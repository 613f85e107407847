package context32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of LstmContext.weights.safetensors. */
@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_MANY, context = 3, precision = Precision.FLOAT32)
public interface LstmContext extends Encoder, Decoder, Contextual, Classifier, Traceable {
    @Recurrent(hidden = 4, cell = Cell.LSTM)
    Layer layer0();
}
