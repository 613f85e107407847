package dev.unfold.spark;

import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.internal.ShuffledUpdates;
import dev.unfold.runtime.train.TrainingData;

/**
 * What a barrier task's own {@code Trainer} trains on: the global minibatches of
 * {@link SparkMinibatches} (the same examples in the same updates, shuffled by the same code from the
 * same seed), of which this task computes the part its partition holds; the partial gradients and
 * losses of all tasks are summed by {@link TcpAllReduce} and every task's network gets the total.
 * Each task's trainer then takes the same optimizer step on the same numbers, so the replicas stay
 * identical to the bit without any weights travelling.
 *
 * <p>The vector summed is the gradient, flattened, then the summed loss, then the number of output
 * rows (an exact integer in a double) that the trainer averages over.
 */
final class AllReducedData implements TrainingData {
    private final ExampleBlock block;
    private final SequenceModel network;
    private final TcpAllReduce allReduce;
    private final ShuffledUpdates order;
    private final int count;
    /** The update whose total the last {@link #backward} received, and that total's output rows. */
    private int lastUpdate = -1;
    private int lastOutputs;
    private long computeNanos;
    private long communicationNanos;

    AllReducedData(ExampleBlock block, SequenceModel network, TcpAllReduce allReduce, int examples, int batchSize) {
        this.block = block;
        this.network = network;
        this.allReduce = allReduce;
        this.order = new ShuffledUpdates(examples, batchSize);
        this.count = network.parameters().count();
    }

    @Override
    public int updates() {
        return order.updates();
    }

    @Override
    public void startEpoch(long seed) {
        order.shuffle(seed);
    }

    /** This task's part of update {@code update}, summed with every other task's: the global update's. */
    @Override
    public double backward(int update) {
        long started = System.nanoTime();
        Lanes share = block.share(SparkMinibatches.globalMinibatch(order, update));
        double[] partial = share == null ? null : share.backward(network);
        long computed = System.nanoTime();
        double[] total = allReduce.sum(partial);
        communicationNanos += System.nanoTime() - computed;
        computeNanos += computed - started;
        if (total == null) {
            throw new IllegalStateException("no task holds an example of update " + update);
        }
        Parameters parameters = network.parameters();
        parameters.zeroGradients();   // they hold this task's part: the step takes the total
        FlatWeights.addGradients(parameters, total);   // its first count() values: the gradient
        lastUpdate = update;
        lastOutputs = (int) total[count + 1];
        return total[count];
    }

    /** Not served: validation runs on the driver's data, not inside the barrier stage. */
    @Override
    public double loss(int update) {
        throw new UnsupportedOperationException("the barrier stage computes training updates only; validate on the driver");
    }

    @Override
    public int outputs(int update) {
        if (update != lastUpdate) {
            throw new IllegalStateException("outputs(" + update + ") asked before its backward pass; the last was "
                    + lastUpdate);
        }
        return lastOutputs;
    }

    @Override
    public Parameters parameters() {
        return network.parameters();
    }

    /** Nanoseconds spent in this task's own forward and backward passes so far. */
    long computeNanos() {
        return computeNanos;
    }

    /** Nanoseconds spent waiting for and moving the sums so far. */
    long communicationNanos() {
        return communicationNanos;
    }
}
