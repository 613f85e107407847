package dev.unfold.samples;

import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/**
 * A deep GRU (layers stacked as in equations.md section 6): two GRU layers read a stream of
 * symbols and, at every step, name the symbol they saw {@link EchoSample#DELAY} steps before.
 */
@Network(input = EchoSample.SYMBOLS, output = EchoSample.SYMBOLS, loss = Loss.CROSS_ENTROPY)
public interface Echo extends Classifier {
    @Recurrent(hidden = 32, cell = Cell.GRU)
    Layer lower();

    @Recurrent(hidden = 32, cell = Cell.GRU)
    Layer upper();
}
