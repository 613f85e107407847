package dev.unfold.samples;

import dev.unfold.Activation;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/**
 * The temporal order problem's simple RNN: 50 tanh units read one of six symbols per step (as a
 * token) and name, from h_T, the order of the two relevant ones: XX, XY, YX or YY.
 */
@Network(input = TemporalOrderProblem.SYMBOLS, output = TemporalOrderProblem.CLASSES, loss = Loss.CROSS_ENTROPY,
        mapping = Mapping.MANY_TO_ONE)
public interface OrderRnn extends Classifier {
    @Recurrent(hidden = 50, activation = Activation.TANH)
    Layer rnn();
}
