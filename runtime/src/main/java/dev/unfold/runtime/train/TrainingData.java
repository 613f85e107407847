package dev.unfold.runtime.train;

import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.data.StreamChunks;
import dev.unfold.runtime.seq2seq.SequencePairs;

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

    /**
     * The parameters {@link #backward} adds gradients to: those of the network (or networks) the
     * data was built for. A {@link Trainer} refuses data whose parameters are not the ones it
     * updates, which it would otherwise never change. Null when the data does not say (the default),
     * and then nothing is checked.
     */
    default Parameters parameters() {
        return null;
    }

    /**
     * The {@link Trainer} calls this once before its first epoch. Data that changes its network's
     * streaming state to train it ({@link StreamChunks} makes it stateful and carries state from
     * chunk to chunk) notes here how the network was. Nothing by default.
     */
    default void beforeTraining() {}

    /**
     * The {@link Trainer} calls this once after its last epoch, and also when training stops with
     * an exception: data that noted its network's state in {@link #beforeTraining} puts it back.
     * Nothing by default.
     */
    default void afterTraining() {}
}
