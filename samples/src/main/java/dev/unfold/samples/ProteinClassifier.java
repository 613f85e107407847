package dev.unfold.samples;

import dev.unfold.Activation;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/**
 * Sequence classification (equations.md (6.3)): a protein, one amino acid per step as a token over the 20
 * letters, read to its end; one softmax over two classes from h_Z (many-to-one).
 */
@Network(input = 20, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)
public interface ProteinClassifier extends Classifier {
    @Recurrent(hidden = 16, activation = Activation.TANH)
    Layer rnn();
}
