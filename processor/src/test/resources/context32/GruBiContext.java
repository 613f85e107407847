package context32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of GruBiContext.weights.safetensors. */
@Network(input = 2, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, context = 2, precision = Precision.FLOAT32)
public interface GruBiContext extends Contextual, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();
}
