package dev.unfold.samples;

import dev.unfold.runtime.SequenceModel;

/**
 * The three ways of training a network on a {@link MemoryTask} that the memory sample compares,
 * each one change from the one before: a simple tanh RNN as it is, the same RNN with its
 * gradient clipped by norm (the remedy for exploding gradients), and an LSTM, whose cell state
 * carries the gradient back through a product of forget gates instead of W_hh (the remedy for
 * vanishing ones, equations.md (4.8), (11.2)). The LSTM is clipped too, as LSTMs are in practice, so that it
 * differs from the clipped RNN in its cell alone.
 */
enum Contender {
    RNN("RNN", "rnn", false),
    CLIPPED_RNN("RNN+clipping", "rnn-clipped", true),
    LSTM("LSTM", "lstm", true);

    /** The column heading and the name in the plot's legend. */
    final String title;
    /** The name in file names. */
    final String fileName;
    /** Whether the gradient is clipped by its global norm. */
    final boolean clipped;

    Contender(String title, String fileName, boolean clipped) {
        this.title = title;
        this.fileName = fileName;
        this.clipped = clipped;
    }

    /** The untrained network for {@code task}, its weights drawn from {@code seed}. */
    SequenceModel network(MemoryTask task, long seed) {
        return this == LSTM ? task.lstm(seed) : task.simpleRnn(seed);
    }
}
