package seq2seq32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the decoder of GruGru. */
@Network(input = 4, output = 4, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface GruGruDecoder extends Decoder, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 2, cell = Cell.GRU)
    Layer layer1();
}
