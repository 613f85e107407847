package dev.unfold.samples;

import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/**
 * The temporal order problem's LSTM: 25 cells, about the parameters of {@link OrderRnn} (3,304
 * against 3,054) and its cost per step.
 */
@Network(input = TemporalOrderProblem.SYMBOLS, output = TemporalOrderProblem.CLASSES, loss = Loss.CROSS_ENTROPY,
        mapping = Mapping.MANY_TO_ONE)
public interface OrderLstm extends Classifier {
    @Recurrent(hidden = 25, cell = Cell.LSTM)
    Layer lstm();
}
