package projection32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of ProjBi1M2oMse.weights.safetensors. */
@Network(input = 2, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface ProjBi1M2oMse extends Traceable {
    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 3)
    @Bidirectional
    Layer layer0();
}
