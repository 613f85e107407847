package dev.unfold.spark;

import dev.unfold.runtime.Parameters;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's part of a step: the gradient and summed loss of the update's examples that the
 * partition holds, from one masked batched {@code backward} over them, as the partition's leaf of a
 * {@link TreeSum} (the gradient, flattened, with the loss after it; no vector when the partition
 * holds none of them).
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
        ExampleBlock block = blocks.next();   // one per partition, by construction
        int[] lanes = new int[examples.length];
        int count = 0;
        for (int example : examples) {
            long local = example - block.start;
            if (local >= 0 && local < block.size()) {
                lanes[count++] = (int) local;
            }
        }
        if (count == 0) {
            return List.of(TreeSum.leaf(partitions, partition, null)).iterator();
        }
        ExecutorNetworks.Lent lent = ExecutorNetworks.borrow(run, factory);
        try {
            lent.load(step, weights.value());
            Parameters parameters = lent.network.parameters();
            parameters.zeroGradients();
            double loss = block.gather(lanes, count).minibatches(lent.network, count).backward(0);
            double[] vector = new double[parameters.count() + 1];
            FlatWeights.gradients(parameters, vector);
            vector[parameters.count()] = loss;
            return List.of(TreeSum.leaf(partitions, partition, vector)).iterator();
        } finally {
            ExecutorNetworks.giveBack(run, lent);
        }
    }
}
