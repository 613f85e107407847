package dev.unfold.spark;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.io.AtomicFile;
import dev.unfold.runtime.io.SafeTensors;
import dev.unfold.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Synchronous data-parallel training in long-lived barrier tasks, the other design to
 * {@link SparkMinibatches}' job per step: one Spark barrier stage per epoch, one task per partition,
 * each holding a copy of the network and a {@code Trainer} built by the same {@link TrainerRecipe}.
 * At every update each task computes the part of the global minibatch its partition holds, the
 * tasks sum their gradients and losses among themselves over TCP ({@link TcpAllReduce}, in
 * {@link TreeSum}'s fixed order), and every trainer takes the same step: the replicas stay equal to
 * the bit, and equal to {@code SparkMinibatches}' driver network, since the same vectors are summed in
 * the same order and the same trainer code runs on them.
 *
 * <pre>
 * try (BarrierTraining training = BarrierTraining.of(examples, net, UnfoldedTagger::new, 64)) {
 *     training.fit(n -&gt; new Trainer(n, new Adam(n.parameters(), 0.01)).seed(3), 20, Path.of("run.ckpt"));
 * }
 * </pre>
 *
 * <p>At the end of each epoch task 0 sends the driver the weights, which the driver's network takes,
 * and its trainer's checkpoint (weights, optimizer state, progress), which the driver writes to the
 * checkpoint file whole or not at all; a later {@code fit} resumes from that file exactly as
 * {@code Trainer} does, since the tasks' trainers read it. Within an epoch nothing but the sums
 * travels: no job, no broadcast of weights, per step.
 *
 * <p>A barrier stage needs a free core for each of its tasks at once: as many partitions as the
 * executors have cores in all. Validation, listeners and early stopping are not run inside the stage.
 */
public final class BarrierTraining implements AutoCloseable {
    private final JavaSparkContext spark;
    private final JavaRDD<ExampleBlock> blocks;
    private final SequenceModel network;
    private final NetworkFactory factory;
    private final int batchSize;
    private final int examples;

    private BarrierTraining(JavaRDD<ExampleBlock> blocks, SequenceModel network, NetworkFactory factory, int batchSize,
                            int examples) {
        this.spark = JavaSparkContext.fromSparkContext(blocks.context());
        this.blocks = blocks;
        this.network = network;
        this.factory = factory;
        this.batchSize = batchSize;
        this.examples = examples;
    }

    /**
     * The examples of {@code examples} in global minibatches of up to {@code batchSize} (the same
     * minibatches as {@link SparkMinibatches#of}), for {@code network}, the driver's, which takes the
     * weights after each epoch; {@code factory} builds the tasks' copies. Runs one Spark job, which
     * caches the examples on the executors and checks them.
     *
     * @throws IllegalArgumentException as {@link SparkMinibatches#of} does
     */
    public static BarrierTraining of(JavaRDD<Example> examples, SequenceModel network, NetworkFactory factory,
                                     int batchSize) {
        Objects.requireNonNull(examples, "examples");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(factory, "factory");
        Checks.atLeastOne("batch size", batchSize);
        SparkMinibatches.requireServed(network);
        SparkMinibatches.requireSameNetwork(network, factory);
        ExecutorNetworks.key(factory);   // refuses a factory that cannot be serialised, before anything is cached
        CachedExamples cached = CachedExamples.cache(examples, block -> block.check(factory.create(0)));
        return new BarrierTraining(cached.blocks, network, factory, batchSize, cached.size());
    }

    /** The number of partitions: barrier tasks, each needing a core of its own at once. */
    public int partitions() {
        return blocks.getNumPartitions();
    }

    /**
     * Trains up to epoch {@code epochs}, one barrier stage per epoch, starting after the epoch of
     * {@code checkpoint} when that file exists (null: no checkpoint); the driver's network then holds
     * the last epoch's weights, and {@code checkpoint} its state.
     *
     * @return each epoch run: its training loss, and where its time went
     * @throws IOException if the checkpoint cannot be read or written
     */
    public List<BarrierEpoch> fit(TrainerRecipe recipe, int epochs, Path checkpoint) throws IOException {
        Objects.requireNonNull(recipe, "recipe");
        Checks.atLeastOne("epochs", epochs);
        byte[] state = checkpoint != null && Files.exists(checkpoint) ? Files.readAllBytes(checkpoint) : null;
        int saved = state == null ? 0 : savedEpoch(checkpoint);
        if (saved > epochs) {
            throw new IllegalArgumentException(checkpoint + "'s training/epoch is " + saved + ", beyond this run's "
                    + epochs + " epochs: it belongs to a longer run; ask for at least " + saved
                    + " epochs or use another checkpoint file");
        }
        List<BarrierEpoch> run = new ArrayList<>();
        // a checkpoint of the last epoch still runs one stage: the tasks' trainers restore its weights
        for (int epoch = Math.max(1, Math.min(saved + 1, epochs)); epoch <= epochs; epoch++) {
            long started = System.nanoTime();
            Broadcast<Round> round = spark.broadcast(new Round(FlatWeights.values(network.parameters()), state));
            List<Outcome> outcomes;
            try {
                ClassTag<Outcome> outcome = ClassTag$.MODULE$.apply(Outcome.class);
                outcomes = JavaRDD.fromRDD(blocks.rdd().barrier().mapPartitions(
                        new EpochTask(factory, recipe, round, epoch, examples, batchSize), true, outcome), outcome)
                        .collect();
            } finally {
                round.destroy();
            }
            double wall = (System.nanoTime() - started) / 1e9;
            Outcome first = outcomes.stream().filter(outcome -> outcome.rank == 0).findFirst()
                    .orElseThrow(() -> new IllegalStateException("task 0 of the barrier stage sent nothing"));
            FlatWeights.load(network.parameters(), first.weights);
            if (first.checkpoint == null) {
                continue;   // the checkpoint was of this epoch already: nothing trained, its weights restored
            }
            state = first.checkpoint;
            if (checkpoint != null) {
                byte[] bytes = state;
                AtomicFile.write(checkpoint, out -> out.write(bytes));
            }
            double compute = 0;
            double communication = 0;
            for (Outcome outcome : outcomes) {
                compute = Math.max(compute, outcome.computeSeconds);
                communication = Math.max(communication, outcome.communicationSeconds);
            }
            run.add(new BarrierEpoch(epoch, first.trainingLoss, first.steps, wall, first.trainerSeconds, compute,
                    communication));
        }
        return run;
    }

    /** The epoch a checkpoint was written after; 0 when it does not say (the tasks' trainers then refuse it). */
    private static int savedEpoch(Path checkpoint) throws IOException {
        SafeTensors.Tensor epoch = SafeTensors.read(checkpoint).get("training/epoch");
        return epoch == null || epoch.values().length != 1 ? 0 : (int) epoch.values()[0];
    }

    /** Takes the examples out of the executors' caches. */
    @Override
    public void close() {
        blocks.unpersist(false);
    }

    /**
     * One epoch of training in a barrier stage, with where its time went, as seen from task 0 and
     * the slowest task.
     *
     * @param epoch the epoch's number
     * @param trainingLoss its mean training loss per output, as {@code EpochReport.trainingLoss}
     * @param steps the optimizer steps the trainer had taken at its end
     * @param seconds the driver's wall time for the stage: scheduling, start-up, training, results
     * @param trainerSeconds task 0's time inside {@code Trainer.fit}: every update of the epoch
     * @param computeSeconds the slowest task's time in its own forward and backward passes
     * @param communicationSeconds the slowest task's time summing with the others (waiting included)
     */
    public record BarrierEpoch(int epoch, double trainingLoss, long steps, double seconds, double trainerSeconds,
                               double computeSeconds, double communicationSeconds) {}

    /**
     * What the driver broadcasts each epoch: its weights and the checkpoint to resume from (or null).
     * A plain class, not a record: Kryo ({@code spark.serializer}) cannot build records.
     */
    static final class Round implements Serializable {
        private static final long serialVersionUID = 1L;
        private final double[] weights;
        private final byte[] checkpoint;

        Round(double[] weights, byte[] checkpoint) {
            this.weights = weights;
            this.checkpoint = checkpoint;
        }

        double[] weights() {
            return weights;
        }

        byte[] checkpoint() {
            return checkpoint;
        }
    }

    /** What a task sends back, task 0 its weights and checkpoint too. A plain class, as {@link Round}. */
    static final class Outcome implements Serializable {
        private static final long serialVersionUID = 1L;
        final int rank;
        final long steps;
        final double trainingLoss;
        final double[] weights;
        final byte[] checkpoint;
        final double trainerSeconds;
        final double computeSeconds;
        final double communicationSeconds;

        Outcome(int rank, long steps, double trainingLoss, double[] weights, byte[] checkpoint, double trainerSeconds,
                double computeSeconds, double communicationSeconds) {
            this.rank = rank;
            this.steps = steps;
            this.trainingLoss = trainingLoss;
            this.weights = weights;
            this.checkpoint = checkpoint;
            this.trainerSeconds = trainerSeconds;
            this.computeSeconds = computeSeconds;
            this.communicationSeconds = communicationSeconds;
        }
    }

    /** One barrier task: a copy of the network, a trainer from the recipe, one epoch over the all-reduced data. */
    private static final class EpochTask
            extends AbstractFunction1<scala.collection.Iterator<ExampleBlock>, scala.collection.Iterator<Outcome>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final NetworkFactory factory;
        private final TrainerRecipe recipe;
        private final Broadcast<Round> round;
        private final int epoch;
        private final int examples;
        private final int batchSize;

        EpochTask(NetworkFactory factory, TrainerRecipe recipe, Broadcast<Round> round, int epoch, int examples,
                  int batchSize) {
            this.factory = factory;
            this.recipe = recipe;
            this.round = round;
            this.epoch = epoch;
            this.examples = examples;
            this.batchSize = batchSize;
        }

        @Override
        public scala.collection.Iterator<Outcome> apply(scala.collection.Iterator<ExampleBlock> blocks) {
            try {
                return CollectionConverters.asScala(run(blocks.next()));   // one block per partition, by construction
            } catch (IOException e) {
                throw new UncheckedIOException("barrier task " + BarrierTaskContext.get().partitionId()
                        + " could not keep its trainer's checkpoint", e);
            }
        }

        private Iterator<Outcome> run(ExampleBlock block) throws IOException {
            BarrierTaskContext context = BarrierTaskContext.get();
            int partition = context.partitionId();
            SequenceModel network = factory.create(0);
            FlatWeights.load(network.parameters(), round.value().weights());
            Path directory = Files.createTempDirectory("unfold-barrier-");
            try {
                Path checkpoint = directory.resolve("checkpoint");
                if (round.value().checkpoint() != null) {
                    Files.write(checkpoint, round.value().checkpoint());
                }
                int count = network.parameters().count();
                try (TcpAllReduce allReduce = TcpAllReduce.connect(context, count + 2)) {
                    AllReducedData data = new AllReducedData(block, network, allReduce, examples, batchSize);
                    long started = System.nanoTime();
                    TrainingResult result = recipe.create(network).epochs(epoch).checkpoint(checkpoint).fit(data);
                    double trainer = (System.nanoTime() - started) / 1e9;
                    boolean trained = result.last() != null;
                    long steps = trained ? result.last().steps() : 0;
                    double loss = trained ? result.last().trainingLoss() : Double.NaN;
                    boolean first = partition == 0;
                    return List.of(new Outcome(partition, steps, loss,
                            first ? FlatWeights.values(network.parameters()) : null,
                            first && trained ? Files.readAllBytes(checkpoint) : null,
                            trainer, data.computeNanos() / 1e9, data.communicationNanos() / 1e9)).iterator();
                }
            } finally {
                deleteRecursively(directory);
            }
        }

        private static void deleteRecursively(Path directory) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove the task's checkpoint directory " + directory, e);
            }
        }
    }
}
