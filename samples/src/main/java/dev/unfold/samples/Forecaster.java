package dev.unfold.samples;

import dev.unfold.Activation;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.SequenceModel;

/**
 * The README's worked example: windows of 4 values of a series in, the next value out, through 20
 * tanh units. 20·4 + 20·20 + 20 + 1·20 + 1 = 521 parameters.
 */
@Network(input = 4, output = 1, loss = Loss.MSE)
public interface Forecaster extends SequenceModel {
    @Recurrent(hidden = 20, activation = Activation.TANH)
    Layer rnn();
}
