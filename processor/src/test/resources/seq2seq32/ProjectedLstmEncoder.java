package seq2seq32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the encoder of ProjectedLstm. */
@Network(input = 4, output = 2, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface ProjectedLstmEncoder extends Encoder, Classifier, Traceable {
    @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 2)
    Layer layer0();

    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 3)
    Layer layer1();
}
