package dev.unfold.benchmarks;

import dev.unfold.*;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Streaming;

/** W5 in float32, PyTorch's default precision: streaming inference through an LSTM 32 → 64 (→ 32 outputs), one time step per call. */
@Network(input = 32, output = 32, loss = Loss.MSE, precision = Precision.FLOAT32)
public interface Float32StreamingLstm extends Streaming {
    @Recurrent(hidden = 64, cell = Cell.LSTM)
    Layer lstm();
}
