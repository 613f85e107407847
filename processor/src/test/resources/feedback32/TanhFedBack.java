package feedback32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of TanhFedBack.weights.safetensors. */
@Network(input = 4, output = 3, loss = Loss.MSE, precision = Precision.FLOAT32)
public interface TanhFedBack extends Autoregressive, Traceable {
    @Recurrent(hidden = 3, cell = Cell.SIMPLE, recurrence = Recurrence.HIDDEN_AND_OUTPUT)
    Layer layer0();
}
