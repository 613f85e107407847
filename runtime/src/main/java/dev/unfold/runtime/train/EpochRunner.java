package dev.unfold.runtime.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs a {@link Trainer}'s epochs of updates somewhere else than in its own loop: on a cluster, by
 * copies of the network each trained by a trainer of its own (as {@code unfold-spark}'s barrier
 * tasks do), while the trainer that calls {@link Trainer#fitWith(EpochRunner)} keeps everything around
 * the updates: resuming, validation and its metric, the checkpoint, the best weights, early stopping,
 * listeners and the result. Between the two, the state travels as a {@link Checkpoint} file.
 */
public interface EpochRunner {

    /** The updates of each epoch, as its trainers count them (told to listeners before each epoch). */
    int updates();

    /**
     * Runs the updates of epoch {@code epoch}. {@code before} is a checkpoint of the trainer's state
     * after the epoch before (weights, optimizer state, step count, learning rate; its progress is
     * epoch {@code epoch - 1} of a run validated on nothing): a trainer of the same optimizer built
     * with {@code .epochs(epoch).checkpoint(file)} and no validation resumes from a copy of it and
     * takes exactly the steps of that epoch. Its checkpoint after the epoch goes to {@code after}, from
     * which the calling trainer takes its weights and optimizer state.
     *
     * @return the epoch's training loss and update counts, as its trainer's {@link EpochReport} gives them
     * @throws IOException if a checkpoint cannot be read or written
     */
    Trained run(int epoch, Path before, Path after) throws IOException;

    /**
     * What an epoch's updates did.
     *
     * @param trainingLoss the mean training loss per output over the epoch ({@link EpochReport#trainingLoss})
     * @param updates the epoch's updates
     * @param clippedUpdates how many of them clipping by norm rescaled
     */
    record Trained(double trainingLoss, int updates, int clippedUpdates) {}
}
