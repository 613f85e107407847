package seq2seq32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the decoder of LstmGru. */
@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface LstmGruDecoder extends Decoder, Classifier, Traceable {
    @Recurrent(hidden = 4, cell = Cell.LSTM)
    Layer layer0();

    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer1();
}
