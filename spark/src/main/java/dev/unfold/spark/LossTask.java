package dev.unfold.spark;

import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.internal.ShuffledUpdates;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's part of the losses of every update of an epoch (what validation asks for, update by
 * update): each example's single-sequence loss, added to its update's, as a {@link TreeSum} leaf of one
 * value per update. The epoch's order is rebuilt here from its seed, which is all that travels of it.
 */
final class LossTask implements Function2<Integer, Iterator<ExampleBlock>, Iterator<TreeSum>> {
    private static final long serialVersionUID = 1L;

    private final String run;
    private final NetworkFactory factory;
    private final Broadcast<PackedVector> weights;
    private final long step;
    private final int count;
    private final int batchSize;
    /** The epoch's seed; null for the order before any epoch, 0, 1, 2, ... */
    private final Long seed;
    private final int partitions;

    LossTask(String run, NetworkFactory factory, Broadcast<PackedVector> weights, long step, int count, int batchSize,
             Long seed, int partitions) {
        this.run = run;
        this.factory = factory;
        this.weights = weights;
        this.step = step;
        this.count = count;
        this.batchSize = batchSize;
        this.seed = seed;
        this.partitions = partitions;
    }

    @Override
    public Iterator<TreeSum> call(Integer partition, Iterator<ExampleBlock> blocks) {
        ExampleBlock block = blocks.next();
        if (block.size() == 0) {
            return List.of(TreeSum.leaf(partitions, partition, null)).iterator();
        }
        ShuffledUpdates order = new ShuffledUpdates(count, batchSize);
        if (seed != null) {
            order.shuffle(seed);
        }
        double[] losses = new double[order.updates()];
        ExecutorNetworks.Lent lent = ExecutorNetworks.borrow(run, factory);
        try {
            lent.load(step, weights.value());
            Minibatches each = block.all().minibatches(lent.network, 1);   // update i is example i alone
            for (int position = 0; position < count; position++) {
                int example = order.example(position);
                if (block.holds(example)) {
                    losses[position / batchSize] += each.loss((int) (example - block.start));
                }
            }
        } finally {
            ExecutorNetworks.giveBack(run, lent);
        }
        return List.of(TreeSum.leaf(partitions, partition, losses)).iterator();
    }
}
