package dev.unfold.samples;

import dev.unfold.Activation;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Recurrence;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Autoregressive;
import dev.unfold.runtime.Layer;

/**
 * The "folded version" of the forecaster (equations.md (8.1)): h_t = tanh(W y_{t−1} + U x_t + b), where W is
 * 20 × 1 instead of 20 × 20. Trained with teacher forcing (W reads the true previous value);
 * forecasting, it reads its own previous prediction. 20·4 + 20·1 + 20 + 1·20 + 1 = 141 parameters.
 */
@Network(input = 4, output = 1, loss = Loss.MSE)
public interface FoldedForecaster extends Autoregressive {
    @Recurrent(hidden = 20, activation = Activation.TANH, recurrence = Recurrence.OUTPUT)
    Layer rnn();
}
