package projection32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the network of ProjMixedM2mMse.weights.safetensors. */
@Network(input = 2, output = 3, loss = Loss.MSE, mapping = Mapping.MANY_TO_MANY, precision = Precision.FLOAT32)
public interface ProjMixedM2mMse extends Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    @Bidirectional
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 3)
    Layer layer1();

    @Recurrent(hidden = 2, cell = Cell.LSTM)
    Layer layer2();
}
