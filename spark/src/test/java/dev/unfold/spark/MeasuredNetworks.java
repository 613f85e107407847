package dev.unfold.spark;

import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Precision;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** The two networks {@link StepTimes} measures, as the issue names them. */
final class MeasuredNetworks {
    private MeasuredNetworks() {}

    /** W3's shape (benchmarks/): an LSTM 128 → 256 → 128 over tokens, cross-entropy, float64; 427,136 parameters. */
    @Network(input = 128, output = 128, loss = Loss.CROSS_ENTROPY)
    interface W3Lstm extends Classifier {
        @Recurrent(hidden = 256, cell = Cell.LSTM)
        Layer lstm();
    }

    /** charlm's large shape (W7): two stacked LSTMs of 512 over 96 characters, float32; 3,356,768 parameters. */
    @Network(input = 96, output = 96, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)
    interface CharLm2x512 extends Classifier {
        @Recurrent(hidden = 512, cell = Cell.LSTM)
        Layer first();

        @Recurrent(hidden = 512, cell = Cell.LSTM)
        Layer second();
    }
}
