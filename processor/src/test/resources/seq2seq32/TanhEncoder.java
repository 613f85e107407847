package seq2seq32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the encoder of Tanh. */
@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface TanhEncoder extends Encoder, Classifier, Traceable {
    @Recurrent(hidden = 5, cell = Cell.SIMPLE)
    Layer layer0();
}
