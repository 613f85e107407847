package dev.unfold.samples;

import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.train.TrainingData;
import java.util.Random;

/**
 * Training data that never repeats: every update is a batch of sequences drawn afresh, as
 * usual for these synthetic tasks, so the network cannot memorise a
 * training set and its training loss is an honest estimate of its test loss. An "epoch" is just a
 * fixed number of updates, the unit of checkpoints and of the loss curve. Each batch is drawn from
 * the epoch's seed and the update's number alone, so a run resumed from a checkpoint sees exactly
 * the batches the uninterrupted run would have, and every network trained with the same seed sees
 * the same batches.
 */
final class FreshBatches implements TrainingData {
    private final SequenceModel model;
    private final MemoryTask task;
    private final Examples batch;
    private final int updates;
    private long epochSeed;
    private int drawn = -1;

    FreshBatches(SequenceModel model, MemoryTask task, int length, int batchSize, int updatesPerEpoch) {
        this.model = model;
        this.task = task;
        this.batch = task.allocate(batchSize, length);
        this.updates = updatesPerEpoch;
    }

    @Override
    public int updates() {
        return updates;
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    @Override
    public void startEpoch(long seed) {
        epochSeed = seed;
        drawn = -1;
    }

    @Override
    public double backward(int update) {
        return batch(update).backward(model);
    }

    @Override
    public double loss(int update) {
        return batch(update).loss(model);
    }

    @Override
    public int outputs(int update) {
        return batch.size();   // many-to-one: one output per sequence
    }

    private Examples batch(int update) {
        if (update != drawn) {
            task.draw(batch, new Random(Seeds.mix(epochSeed, update)));
            drawn = update;
        }
        return batch;
    }
}
