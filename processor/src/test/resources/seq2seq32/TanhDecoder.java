package seq2seq32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the decoder of Tanh. */
@Network(input = 4, output = 4, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface TanhDecoder extends Decoder, Classifier, Traceable {
    @Recurrent(hidden = 5, cell = Cell.SIMPLE)
    Layer layer0();
}
