package dev.unfold.samples;

import dev.unfold.runtime.SequenceModel;
import java.util.Random;

/**
 * A synthetic task whose answer depends on steps far from the end of the sequence, so that a
 * network can only learn it if the gradient carries the error back that far: how to draw its
 * sequences, the two networks that try it, and how a trained one is scored.
 */
interface MemoryTask {

    /** The name on the command line and in file names, e.g. {@code adding}. */
    String name();

    /** The name in text, e.g. "adding problem". */
    String title();

    /** How the score reads in the table, e.g. "test MSE". */
    String metricName();

    /** The score of a network that ignores its input, e.g. 0.167 for always answering 1. */
    double trivialMetric();

    /** The criterion in words, e.g. "test MSE below 0.04". */
    String successCriterion();

    /** Whether {@code metric} meets the criterion. */
    boolean succeeded(double metric);

    /** The metric as the table shows it, e.g. "0.0123" or "0.4%". */
    String format(double metric);

    /** Shortest length the task is defined for. */
    int minimumLength();

    /** Empty arrays for {@code count} sequences of {@code length}, to {@link #draw} into. */
    Examples allocate(int count, int length);

    /** Fills every sequence of {@code examples} and its answer with a fresh draw from {@code random}. */
    void draw(Examples examples, Random random);

    /** The simple tanh RNN that tries the task, seeded. */
    SequenceModel simpleRnn(long seed);

    /** The LSTM that tries the task, seeded. */
    SequenceModel lstm(long seed);

    /** The score of {@code net} on {@code test}: lower is better. */
    double metric(SequenceModel net, Examples test);
}
