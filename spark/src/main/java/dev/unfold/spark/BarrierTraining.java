package dev.unfold.spark;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.ShuffledUpdates;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.EpochRunner;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingListener;
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
 *     TrainingResult result = training
 *             .validation(Minibatches.of(net, validXs, validLabels, 64), 3)
 *             .validateOn(Metric.ACCURACY)
 *             .listener(new ConsoleProgress(false))
 *             .fit(n -&gt; new Trainer(n, new Adam(n.parameters(), 0.01)).seed(3), 20, Path.of("run.safetensors"));
 * }
 * </pre>
 *
 * <p>Around the stages the driver runs what a {@code Trainer} runs around its epochs, with the
 * runtime's own {@code Trainer} ({@link Trainer#fitWith(EpochRunner)}), built by the same recipe over the
 * driver's network: before each stage it broadcasts its trainer's state as a checkpoint, which every
 * task's trainer resumes from; at the end of the stage task 0 sends back its trainer's checkpoint
 * after the epoch, which the driver's trainer takes (weights and optimizer state). Between stages the
 * driver validates on its own data, with any {@code Metric}, writes the checkpoint with that progress
 * and the best weights, stops early, and tells the listeners; a later {@code fit} resumes from the
 * checkpoint exactly as {@code Trainer} does. Within an epoch nothing but the sums travels: no job, no
 * broadcast of weights, per step.
 *
 * <p>A barrier stage needs a free core for each of its tasks at once: as many partitions as the
 * executors have cores in all.
 */
public final class BarrierTraining implements AutoCloseable {
    private final JavaSparkContext spark;
    private final JavaRDD<ExampleBlock> blocks;
    private final SequenceModel network;
    private final NetworkFactory factory;
    private final int batchSize;
    private final int examples;
    /** The updates of each epoch: the global minibatches. */
    private final int updates;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private TrainingData validation;
    private int patience;
    private Metric metric = Metric.LOSS;
    private List<BarrierEpoch> stages = new ArrayList<>();

    private BarrierTraining(JavaRDD<ExampleBlock> blocks, SequenceModel network, NetworkFactory factory, int batchSize,
                            int examples) {
        this.spark = JavaSparkContext.fromSparkContext(blocks.context());
        this.blocks = blocks;
        this.network = network;
        this.factory = factory;
        this.batchSize = batchSize;
        this.examples = examples;
        this.updates = new ShuffledUpdates(examples, batchSize).updates();
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
     * Validates on {@code data} after each epoch, on the driver, between stages: any
     * {@link TrainingData} of the driver's network ({@code Minibatches}, or a {@link SparkMinibatches}
     * to compute the loss on the cluster); stops once the {@link #validateOn} metric has not improved
     * for {@code patience} epochs (0: never), as {@link Trainer#validation} does.
     */
    public BarrierTraining validation(TrainingData data, int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be 0 (never stop early) or more, got " + patience);
        }
        this.validation = Objects.requireNonNull(data, "data");
        this.patience = patience;
        return this;
    }

    /**
     * What decides the best epoch and early stopping: the validation loss unless set, as
     * {@link Trainer#validateOn}; another metric needs {@link #validation} data it can be measured on.
     */
    public BarrierTraining validateOn(Metric metric) {
        this.metric = Objects.requireNonNull(metric, "metric");
        return this;
    }

    /**
     * Tells {@code listener} how the run goes, as a {@link Trainer} tells it (after any listeners
     * added before), on the driver: {@code started}, {@code epochStarted}, {@code epochEnded} with
     * the epoch's {@link EpochReport}, {@code finished}. The per-update calls ({@code updated},
     * {@code gradientsComputed}) happen inside the stage, on the executors, and are not made.
     */
    public BarrierTraining listener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Trains up to epoch {@code epochs}, one barrier stage per epoch, each task's trainer built by
     * {@code recipe}; around the stages the driver does what a {@link Trainer} does around its epochs,
     * with a trainer the same recipe builds over the driver's network: resumes after the epoch of
     * {@code checkpoint} when that file exists (null: no checkpoint), validates, writes the checkpoint
     * (progress judged by the driver's validation) and the best weights beside it
     * ({@link Trainer#bestWeights}), stops early, and tells the listeners. The driver's network then
     * holds the last epoch's weights.
     *
     * @return how the run ended, as {@link Trainer#fit} returns it; each stage's time split is in {@link #stages()}
     * @throws IOException if the checkpoint cannot be read or written
     * @throws IllegalArgumentException as {@link Trainer#fit} refuses a run (another metric's checkpoint, a
     *     metric without validation data to measure it on...), before any stage runs
     */
    public TrainingResult fit(TrainerRecipe recipe, int epochs, Path checkpoint) throws IOException {
        Objects.requireNonNull(recipe, "recipe");
        Trainer driver = recipe.create(network).epochs(epochs).validateOn(metric);
        if (validation != null) {
            driver.validation(validation, patience);
        }
        if (checkpoint != null) {
            driver.checkpoint(checkpoint);
        }
        for (TrainingListener listener : listeners) {
            driver.listener(listener);
        }
        stages = new ArrayList<>();
        return driver.fitWith(new Stages(recipe));
    }

    /** The barrier stages the last {@link #fit} ran, one per epoch trained, with where their time went. */
    public List<BarrierEpoch> stages() {
        return List.copyOf(stages);
    }

    /** Runs each epoch's updates in a barrier stage, from the driver trainer's state and back. */
    private final class Stages implements EpochRunner {
        private final TrainerRecipe recipe;

        Stages(TrainerRecipe recipe) {
            this.recipe = recipe;
        }

        @Override
        public int updates() {
            return updates;
        }

        @Override
        public Trained run(int epoch, Path before, Path after) throws IOException {
            byte[] state = Files.readAllBytes(before);
            long started = System.nanoTime();
            Broadcast<Round> round = spark.broadcast(new Round(state));
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
            Files.write(after, first.checkpoint);
            double compute = 0;
            double communication = 0;
            for (Outcome outcome : outcomes) {
                compute = Math.max(compute, outcome.computeSeconds);
                communication = Math.max(communication, outcome.communicationSeconds);
            }
            stages.add(new BarrierEpoch(epoch, first.trainingLoss, first.steps, wall, first.trainerSeconds, compute,
                    communication));
            return new Trained(first.trainingLoss, first.updates, first.clippedUpdates);
        }
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
     * What the driver broadcasts each epoch: its trainer's checkpoint of the epoch before (weights,
     * optimizer state, step count, learning rate), which every task's trainer resumes from.
     * A plain class, not a record: Kryo ({@code spark.serializer}) cannot build records.
     */
    static final class Round implements Serializable {
        private static final long serialVersionUID = 1L;
        private final byte[] checkpoint;

        Round(byte[] checkpoint) {
            this.checkpoint = checkpoint;
        }

        byte[] checkpoint() {
            return checkpoint;
        }
    }

    /**
     * What a task sends back: its epoch's numbers and times, and task 0 its trainer's checkpoint after
     * the epoch (null from the others). A plain class, as {@link Round}.
     */
    static final class Outcome implements Serializable {
        private static final long serialVersionUID = 1L;
        final int rank;
        final long steps;
        final double trainingLoss;
        final int updates;
        final int clippedUpdates;
        final byte[] checkpoint;
        final double trainerSeconds;
        final double computeSeconds;
        final double communicationSeconds;

        Outcome(int rank, long steps, double trainingLoss, int updates, int clippedUpdates, byte[] checkpoint,
                double trainerSeconds, double computeSeconds, double communicationSeconds) {
            this.rank = rank;
            this.steps = steps;
            this.trainingLoss = trainingLoss;
            this.updates = updates;
            this.clippedUpdates = clippedUpdates;
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
            SequenceModel network = factory.create(0);   // its weights: the checkpoint's, which its trainer restores
            Path directory = Files.createTempDirectory("unfold-barrier-");
            try {
                Path checkpoint = directory.resolve("checkpoint.safetensors");
                Files.write(checkpoint, round.value().checkpoint());
                int count = network.parameters().count();
                try (TcpAllReduce allReduce = TcpAllReduce.connect(context, count + 2)) {
                    AllReducedData data = new AllReducedData(block, network, allReduce, examples, batchSize);
                    long started = System.nanoTime();
                    // resumes after the checkpoint's epoch, epoch - 1, and runs this one
                    EpochReport report = recipe.create(network).epochs(epoch).checkpoint(checkpoint).fit(data).last();
                    double trainer = (System.nanoTime() - started) / 1e9;
                    byte[] after = partition == 0 ? Files.readAllBytes(checkpoint) : null;
                    return List.of(new Outcome(partition, report.steps(), report.trainingLoss(), report.updates(),
                            report.clippedUpdates(), after, trainer, data.computeNanos() / 1e9,
                            data.communicationNanos() / 1e9)).iterator();
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
