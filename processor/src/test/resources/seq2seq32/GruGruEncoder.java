package seq2seq32;

import dev.unfold.*;
import dev.unfold.runtime.*;

/** Written by tools/pytorch-fixtures.py: the encoder of GruGru. */
@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
public interface GruGruEncoder extends Encoder, Classifier, Traceable {
    @Recurrent(hidden = 3, cell = Cell.GRU)
    Layer layer0();

    @Recurrent(hidden = 2, cell = Cell.GRU)
    Layer layer1();
}
