package projection32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of ProjBi2M2oMse.weights.safetensors. */
@Network(input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)
public interface ProjBi2M2oMse extends Traceable {
    @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 2)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.LSTM, projection = 2)
    @Bidirectional
    Layer layer1();
}
