package seq2seq32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the decoder of ProjectedLstm. */
@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface ProjectedLstmDecoder extends Decoder, Classifier, Traceable {
    @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 2)
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 3)
    Layer layer1();
}
