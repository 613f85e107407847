package dev.unfold.samples;

import dev.unfold.Bidirectional;
import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Network;
import dev.unfold.Precision;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/**
 * The protein classifier with the usual remedies: an LSTM, whose cell state
 * carries gradients across hundreds of steps (equations.md (4.8)), run in both directions, so the output
 * reads [h_Z ; g_1]: the sequence summarised from each end. It computes in float32
 * ({@code precision = Precision.FLOAT32}, PyTorch's default precision): for sequences of hundreds
 * of steps, float arithmetic is the faster.
 */
@Network(input = 20, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE,
        precision = Precision.FLOAT32)
public interface BidirectionalProteinClassifier extends Classifier {
    @Recurrent(hidden = 12, cell = Cell.LSTM)
    @Bidirectional
    Layer lstm();
}
