package dev.unfold.spark;

import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Dropout;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.ShuffledUpdates;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@link Minibatches} whose sequences live on a Spark cluster: a {@link TrainingData} that a
 * {@link Trainer} on the driver trains exactly as it trains {@code Minibatches}, one optimizer step per
 * global minibatch, while the forward and backward passes run on the executors.
 *
 * <pre>
 * JavaRDD&lt;Example&gt; examples = ...;                     // Example.of(tokens, labels) per sequence
 * UnfoldedTagger net = new UnfoldedTagger(7);
 * try (SparkMinibatches batches = SparkMinibatches.of(examples, net, UnfoldedTagger::new, 64)) {
 *     new Trainer(net, new Adam(net.parameters(), 0.01)).epochs(20).fit(batches);
 * }
 * </pre>
 *
 * <p>Each step: the driver broadcasts its network's weights (one flat array); every partition runs
 * the generated class's masked batched {@code backward} over the examples of the global minibatch it
 * holds, on a network of its executor; the partial gradients and losses come back summed in one fixed
 * tree over the partitions ({@link TreeSum}), are added to the driver network's gradients, and the
 * {@code Trainer} does the rest on the driver (averaging, penalty, clipping, schedule, optimizer step,
 * validation, checkpoints, early stopping, listeners) as on one machine.
 *
 * <p>The global minibatches are {@code Minibatches}': examples are numbered in the RDD's order
 * ({@code zipWithIndex}), and each epoch's order is shuffled from the trainer's seed by the same code,
 * so update u holds the same examples as update u of {@code Minibatches.of(net, arrays, batchSize)}
 * over the RDD's examples collected in order. Training therefore gives the single-machine weights up
 * to the order in which one batch's sequences are summed (about 1e-15 relative in float64), and the
 * same bits on every run whatever order the tasks finish in.
 *
 * <p>The examples are cached on the executors (memory, then disk) and checked once, when this is
 * built: the partitions' examples must be of one kind and each must fit the network, or this is
 * refused naming the first bad example by its index. Only the weights (once per step), an update's
 * example indices, and the losses and gradients back travel afterwards. The RDD must give the same
 * examples in the same order if Spark recomputes it (a file, a {@code parallelize}d list): it should
 * not be drawn at random without a seed.
 *
 * <p>Refused: networks with dropout (a batch's lane b draws the masks of sequence b of the global
 * batch, and the generated API cannot start a partition's lanes at their places in it) and
 * {@link Contextual} networks (their context is the driver network's state, which the executors'
 * copies do not have).
 */
public final class SparkMinibatches implements TrainingData, AutoCloseable {
    private final JavaSparkContext spark;
    private final JavaRDD<ExampleBlock> blocks;
    private final SequenceModel network;
    private final NetworkFactory factory;
    /** Names the factory's networks in the executors' {@link ExecutorNetworks}: data of one factory shares them. */
    private final String run;
    private final int partitions;
    private final ShuffledUpdates order;
    /** Output rows of each example, by global index: what the trainer averages over. */
    private final int[] outputRows;
    /** The seed of the epoch started last; null before any. */
    private Long epochSeed;
    /** Every update's loss for the weights {@link #lossWeights} and the epoch {@link #lossSeed}, or null. */
    private double[] losses;
    private double[] lossWeights;
    private Long lossSeed;

    private SparkMinibatches(String run, JavaRDD<ExampleBlock> blocks, SequenceModel network, NetworkFactory factory,
                             int batchSize, int[] outputRows) {
        this.run = run;
        this.spark = JavaSparkContext.fromSparkContext(blocks.context());
        this.blocks = blocks;
        this.network = network;
        this.factory = factory;
        this.partitions = blocks.getNumPartitions();
        this.order = new ShuffledUpdates(outputRows.length, batchSize);
        this.outputRows = outputRows;
    }

    /**
     * The examples of {@code examples}, in global minibatches of up to {@code batchSize}, for
     * {@code network} (the driver's, which the trainer updates); {@code factory} builds the executors'
     * copies, usually the generated constructor {@code UnfoldedX::new}. Runs one Spark job, which caches
     * the examples on the executors and checks them.
     *
     * @throws IllegalArgumentException if the batch size is below 1, the factory builds another kind of
     *     network or cannot be serialised, the network has dropout or a context, the RDD is empty, or an
     *     example does not fit the network (wrong width, a token or label out of range, a target row too
     *     many ...); the message names the first such example by its global index. Nothing stays cached
     *     then.
     */
    public static SparkMinibatches of(JavaRDD<Example> examples, SequenceModel network, NetworkFactory factory,
                                      int batchSize) {
        Objects.requireNonNull(examples, "examples");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(factory, "factory");
        Checks.atLeastOne("batch size", batchSize);
        requireServed(network);
        requireSameNetwork(network, factory);
        String run = ExecutorNetworks.key(factory);
        CachedExamples cached = null;
        SparkMinibatches data = null;
        try {
            cached = CachedExamples.cache(examples, new Summarise(run, factory));
            data = new SparkMinibatches(run, cached.blocks, network, factory, batchSize, cached.outputRows);
            return data;
        } finally {
            if (data == null) {
                if (cached != null) {
                    cached.uncache();
                }
                ExecutorNetworks.forget(run);
            }
        }
    }

    /** The networks this module cannot train on a cluster, refused before any job runs. */
    static void requireServed(SequenceModel network) {
        String name = network.getClass().getSimpleName();
        if (network instanceof Dropout) {
            throw new IllegalArgumentException(name + " has dropout, which SparkMinibatches cannot train: lane b of a"
                    + " batch draws the masks of sequence b of the global minibatch, and a partition's lanes are not"
                    + " at known places of it; train it on one machine (Minibatches), or declare it without dropout");
        }
        if (network instanceof Contextual) {
            throw new IllegalArgumentException(name + " reads a context (setContext), which the executors' copies"
                    + " of the network do not have; train it on one machine (Minibatches)");
        }
    }

    /** Refuses a factory that builds another network than the one trained: its parameters would not fit. */
    static void requireSameNetwork(SequenceModel network, NetworkFactory factory) {
        SequenceModel built = Objects.requireNonNull(factory.create(0), "the network the factory built");
        if (built.getClass() != network.getClass()
                || !built.parameters().names().equals(network.parameters().names())
                || built.parameterCount() != network.parameterCount()) {
            throw new IllegalArgumentException("the factory builds " + built.getClass().getName() + " with "
                    + built.parameterCount() + " parameters, expected " + network.getClass().getName() + " with "
                    + network.parameterCount() + " (the network trained): give its constructor, "
                    + network.getClass().getSimpleName() + "::new");
        }
    }

    /** Each partition's {@link ExampleBlock.Summary}, checked against an executor's network. */
    private static final class Summarise implements org.apache.spark.api.java.function.Function<ExampleBlock,
            ExampleBlock.Summary> {
        private static final long serialVersionUID = 1L;
        private final String run;
        private final NetworkFactory factory;

        Summarise(String run, NetworkFactory factory) {
            this.run = run;
            this.factory = factory;
        }

        @Override
        public ExampleBlock.Summary call(ExampleBlock block) {
            ExecutorNetworks.Lent lent = ExecutorNetworks.borrow(run, factory);
            try {
                return block.check(lent.network);
            } finally {
                ExecutorNetworks.giveBack(run, lent);
            }
        }
    }

    /** Number of examples. */
    public int size() {
        return outputRows.length;
    }

    /** The number of partitions the examples are spread over: tasks per step. */
    public int partitions() {
        return partitions;
    }

    /** The name of this data's networks in the executors' JVMs, its factory's: for tests. */
    String run() {
        return run;
    }

    /** The driver's network, which the trainer updates. */
    public SequenceModel model() {
        return network;
    }

    @Override
    public int updates() {
        return order.updates();
    }

    @Override
    public void startEpoch(long seed) {
        order.shuffle(seed);
        epochSeed = seed;
    }

    /**
     * Update {@code update}'s forward and backward pass on the cluster: adds the gradient of its
     * examples' summed loss to the driver network's gradients and returns that loss. One Spark job; the
     * gradients are unchanged if it fails.
     */
    @Override
    public double backward(int update) {
        int[] examples = globalMinibatch(order, update);   // refuses an update outside the epoch, before any job
        Parameters parameters = network.parameters();
        double[] sum = run((weights, step) -> new GradientTask(run, factory, weights, step, examples, partitions));
        FlatWeights.addGradients(parameters, sum);
        return sum[parameters.count()];
    }

    /** The examples of update {@code update} of the epoch {@code order} holds, by global index, in order. */
    static int[] globalMinibatch(ShuffledUpdates order, int update) {
        int first = order.first(update);
        int[] examples = new int[order.end(update) - first];
        for (int i = 0; i < examples.length; i++) {
            examples[i] = order.example(first + i);
        }
        return examples;
    }

    /**
     * The loss {@link #backward} would return, without touching the gradients. The first call for a
     * set of weights and an epoch computes every update's loss in one Spark job and keeps them, so that
     * a validation pass over all updates (the trainer's, or {@code Metric.LOSS} and {@code PERPLEXITY})
     * costs one job, not one per update; changed weights or another epoch compute them anew.
     */
    @Override
    public double loss(int update) {
        order.first(update);   // refuses an update outside the epoch
        boolean kept = losses != null && Objects.equals(lossSeed, epochSeed)
                && FlatWeights.same(network.parameters(), lossWeights);
        if (!kept) {
            double[] weights = FlatWeights.values(network.parameters());
            Long seed = epochSeed;
            int count = size();
            int batchSize = order.batchSize();
            double[] computed = run(weights, (broadcast, step) -> new LossTask(run, factory, broadcast, step, count,
                    batchSize, seed, partitions));
            losses = computed;
            lossWeights = weights;
            lossSeed = seed;
        }
        return losses[update];
    }

    @Override
    public int outputs(int update) {
        int rows = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            rows += outputRows[order.example(i)];
        }
        return rows;
    }

    @Override
    public Parameters parameters() {
        return network.parameters();
    }

    /**
     * Forgets the factory's networks on the executors (other data of the same factory builds them again
     * if it needs them) and takes the examples out of their caches. Does nothing more once the Spark
     * context is stopped (its executors are gone).
     */
    @Override
    public void close() {
        if (!spark.sc().isStopped()) {
            String name = run;
            blocks.foreachPartition(block -> ExecutorNetworks.forget(name));
            blocks.unpersist(false);
        }
        ExecutorNetworks.forget(run);
    }

    /** Builds one step's task from the broadcast weights and their number. */
    @FunctionalInterface
    private interface TaskOf {
        Function2<Integer, java.util.Iterator<ExampleBlock>, java.util.Iterator<TreeSum>> task(
                Broadcast<PackedVector> weights, long step);
    }

    private double[] run(TaskOf task) {
        return run(FlatWeights.values(network.parameters()), task);
    }

    /**
     * Broadcasts {@code weights}, runs the task on every partition and sums the partitions' vectors
     * in {@link TreeSum}'s fixed order. Large clusters sum groups of neighbouring partitions on the
     * executors first, so the driver receives a few vectors rather than one per partition.
     */
    private double[] run(double[] weights, TaskOf task) {
        Broadcast<PackedVector> broadcast = spark.broadcast(PackedVector.of(weights));
        try {
            long step = broadcast.id();   // unique in the context: a network loads each set of weights once
            JavaRDD<TreeSum> leaves = blocks.mapPartitionsWithIndex(task.task(broadcast, step), true);
            int shift = groupShift(partitions);
            List<TreeSum> parts = shift == 0 ? leaves.collect()
                    : leaves.mapToPair(leaf -> new scala.Tuple2<>(leaf.lowestPartition() >> shift, leaf))
                            .reduceByKey(TreeSum::merge).values().collect();
            TreeSum total = TreeSum.empty(partitions);
            for (TreeSum part : parts) {
                total.merge(part);
            }
            double[] sum = total.total();
            if (sum == null) {
                throw new IllegalStateException("no partition computed anything: every update has an example");
            }
            return sum;
        } finally {
            broadcast.destroy();
        }
    }

    /**
     * log2 of the number of neighbouring partitions summed on the executors before the driver: 0 (the
     * driver sums them all) up to 8 partitions, then about √P, as MLlib's treeAggregate of depth 2 does.
     * A power of two, so that each group is one node of {@link TreeSum}'s tree.
     */
    static int groupShift(int partitions) {
        if (partitions <= 8) {
            return 0;
        }
        int root = (int) Math.ceil(Math.sqrt(partitions));
        return 32 - Integer.numberOfLeadingZeros(root - 1);
    }
}
