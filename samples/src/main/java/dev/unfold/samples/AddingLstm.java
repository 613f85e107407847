package dev.unfold.samples;

import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Traceable;

/**
 * The adding problem's LSTM: 25 cells, so that it has about as many parameters as {@link AddingRnn}
 * (2,826 against 2,701) and costs about as much a step: the comparison is of the cell, not the size.
 */
@Network(input = 2, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE)
public interface AddingLstm extends Traceable {
    @Recurrent(hidden = 25, cell = Cell.LSTM)
    Layer lstm();
}
