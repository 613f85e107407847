package dev.unfold.runtime;

/**
 * A network that reads a context vector at every step ({@code @Network(context = C)},
 * equations.md (7.1)). A network declaring a context must extend it, and only such a network may.
 * Contexts are given as {@code double} values in both precisions; a float32 network rounds each to
 * nearest as it copies it in.
 */
public interface Contextual extends SequenceModel {

    /**
     * Width of the context vector the network reads at every step ({@code @Network(context = C)},
     * equations.md (7.1)).
     */
    int contextSize();

    /**
     * Sets the context vector x that the sequences and steps to come read at every step through the
     * first layer's R, until set again. Allocates nothing. Batched calls read
     * {@link #setContexts}'s instead, one per sequence.
     */
    void setContext(double[] x);

    /**
     * Sets one context vector per sequence for the batched calls to come: {@code contexts[b]} is what
     * sequence b of each batch reads at every step, until set again. The batches must have as many
     * sequences as there are contexts. Copies the vectors; allocates only for a larger batch than
     * before.
     */
    void setContexts(double[][] contexts);
}
