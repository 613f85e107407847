package dev.unfold.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's part of a step: the gradient and summed loss of the update's examples that the
 * partition holds, from one masked batched {@code backward} over them, as the partition's leaf of a
 * {@link TreeSum} ({@link Lanes#backward}'s vector; no vector when the partition holds none of
 * them).
 *
 * <p>A task carries only what this class's fields hold: the run's name, the factory, the handle of
 * the step's broadcast weights and the update's example indices. The data is the cached partition; the
 * driver's network and data never travel.
 */
final class GradientTask implements Function2<Integer, Iterator<ExampleBlock>, Iterator<TreeSum>> {
    private static final long serialVersionUID = 1L;

    private final String run;
    private final NetworkFactory factory;
    private final Broadcast<PackedVector> weights;
    private final long step;
    /** The update's examples by global index, in their order in the update. */
    private final int[] examples;
    private final int partitions;

    GradientTask(String run, NetworkFactory factory, Broadcast<PackedVector> weights, long step, int[] examples,
                 int partitions) {
        this.run = run;
        this.factory = factory;
        this.weights = weights;
        this.step = step;
        this.examples = examples;
        this.partitions = partitions;
    }

    @Override
    public Iterator<TreeSum> call(Integer partition, Iterator<ExampleBlock> blocks) {
        Lanes share = blocks.next().share(examples);   // one block per partition, by construction
        if (share == null) {
            return List.of(TreeSum.leaf(partitions, partition, null)).iterator();
        }
        ExecutorNetworks.Lent lent = ExecutorNetworks.borrow(run, factory);
        try {
            lent.load(step, weights.value());
            return List.of(TreeSum.leaf(partitions, partition, share.backward(lent.network))).iterator();
        } finally {
            ExecutorNetworks.giveBack(run, lent);
        }
    }
}
