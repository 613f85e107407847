package dev.unfold.samples;

import dev.unfold.Activation;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Traceable;

/**
 * The adding problem's simple RNN: 50 tanh units, as in Pascanu, Mikolov and Bengio (2013), read a
 * value and a marker per step; one output from h_T, the sum of the two marked values.
 */
@Network(input = 2, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE)
public interface AddingRnn extends Traceable {
    @Recurrent(hidden = 50, activation = Activation.TANH)
    Layer rnn();
}
