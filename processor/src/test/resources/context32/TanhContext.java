package context32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of TanhContext.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE, context = 2, precision = Precision.FLOAT32)
public interface TanhContext extends Encoder, Decoder, Contextual, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE)
    Layer layer0();
}
