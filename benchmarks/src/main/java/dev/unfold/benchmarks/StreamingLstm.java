package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Streaming;

/** W5: streaming inference through an LSTM 32 → 64 (→ 32 outputs), one time step per call. */
@Network(input = 32, output = 32, loss = Loss.MSE)
public interface StreamingLstm extends Streaming {
    @Recurrent(hidden = 64, cell = Cell.LSTM)
    Layer lstm();
}
