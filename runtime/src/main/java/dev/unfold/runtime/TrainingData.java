package dev.unfold.runtime;

/**
 * What one epoch of training goes through: a fixed number of updates, each a forward and backward
 * pass over part of the data, by the network (or networks) the data was built for.
 * {@link Minibatches} holds whole sequences and batches them; {@link StreamChunks} cuts one long
 * stream into chunks for truncated BPTT; {@link SequencePairs} feeds an encoder and its decoders.
 * The {@link Trainer} calls them in order, one optimizer step per update.
 */
public interface TrainingData {

    /** Updates in one epoch. */
    int updates();

    /**
     * Gets ready for an epoch: shuffles the order of the sequences from {@code seed}, or restarts
     * the stream. The same seed gives the same epoch, which is what makes a resumed run exact.
     */
    void startEpoch(long seed);

    /** Forward and backward pass of update {@code update}: adds its gradient, returns its summed loss. */
    double backward(int update);

    /** The loss {@link #backward} would return, without touching the gradients. */
    double loss(int update);

    /**
     * How many outputs (rows of predictions: one per step, or one per sequence for many-to-one)
     * update {@code update}'s loss and gradient are sums over; the trainer averages over them.
     */
    int outputs(int update);
}
