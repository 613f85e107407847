package dev.unfold.spark;

import dev.unfold.Activation;
import dev.unfold.Bidirectional;
import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Network;
import dev.unfold.Precision;
import dev.unfold.Recurrence;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Autoregressive;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.SequenceModel;

/** The networks the module's tests train on a cluster and on one machine: one of each kind the module serves. */
final class TestNetworks {
    private TestNetworks() {}

    /** Dense sequences to dense targets, one output per step: a regression, float64. */
    @Network(input = 3, output = 2, loss = Loss.MSE)
    interface DenseRegressor extends SequenceModel {
        @Recurrent(hidden = 5, activation = Activation.TANH)
        Layer rnn();
    }

    /** The same in float32. */
    @Network(input = 3, output = 2, loss = Loss.MSE, precision = Precision.FLOAT32)
    interface FloatDenseRegressor extends SequenceModel {
        @Recurrent(hidden = 5, activation = Activation.TANH)
        Layer rnn();
    }

    /** Tokens to one label per sequence (many-to-one), a bidirectional LSTM, float64. */
    @Network(input = 7, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)
    interface TokenClassifier extends Classifier {
        @Recurrent(hidden = 4, cell = Cell.LSTM)
        @Bidirectional
        Layer lstm();
    }

    /** The same in float32. */
    @Network(input = 7, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE,
            precision = Precision.FLOAT32)
    interface FloatTokenClassifier extends Classifier {
        @Recurrent(hidden = 4, cell = Cell.LSTM)
        @Bidirectional
        Layer lstm();
    }

    /** Tokens to a label per step (a tagger), two stacked GRU layers, float64. */
    @Network(input = 6, output = 4, loss = Loss.CROSS_ENTROPY)
    interface StackedTagger extends Classifier {
        @Recurrent(hidden = 5, cell = Cell.GRU)
        Layer first();

        @Recurrent(hidden = 4, cell = Cell.GRU)
        Layer second();
    }

    /** Dense sequences to one label per sequence, float64. */
    @Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)
    interface DenseClassifier extends Classifier {
        @Recurrent(hidden = 4, cell = Cell.LSTM)
        Layer lstm();
    }

    /** An LSTM with a projection (PyTorch's proj_size), dense input, one label per sequence. */
    @Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)
    interface ProjectedClassifier extends Classifier {
        @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 3)
        Layer lstm();
    }

    /** Output feedback: the state reads the previous output (teacher-forced in training). */
    @Network(input = 3, output = 2, loss = Loss.MSE)
    interface FeedbackRegressor extends Autoregressive {
        @Recurrent(hidden = 4, activation = Activation.TANH, recurrence = Recurrence.OUTPUT)
        Layer rnn();
    }

    /** A network with dropout, which the module refuses. */
    @Network(input = 3, output = 2, loss = Loss.MSE)
    interface DroppingRegressor extends SequenceModel {
        @Recurrent(hidden = 4, activation = Activation.TANH, dropout = 0.2)
        Layer rnn();
    }
}
