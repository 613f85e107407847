package seq2seq;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the encoder of Tanh. */
@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY)
public interface TanhEncoder extends Encoder, Classifier, Traceable {
    @Recurrent(hidden = 5, cell = Cell.SIMPLE)
    Layer layer0();
}
