package dev.unfold.spark.example;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.optim.Optimizer;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingListener;
import dev.unfold.samples.ProteinData;
import dev.unfold.samples.UnfoldedBidirectionalProteinClassifier;
import dev.unfold.samples.UnfoldedProteinClassifier;
import dev.unfold.spark.Example;
import dev.unfold.spark.NetworkFactory;
import dev.unfold.spark.SparkMinibatches;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./unfold spark}: the classify sample (is the motif KL in a protein-like sequence?) trained
 * twice from the same weights, once by a {@link Trainer} over {@link Minibatches} on this machine and
 * once by the same trainer over {@link SparkMinibatches} on a {@code local[N]} Spark, which runs each
 * global minibatch's passes as N tasks and sums their gradients. It prints both runs' numbers epoch by
 * epoch and their largest difference, in the losses and in the weights.
 */
@Command(name = "unfold spark", mixinStandardHelpOptions = true,
        description = "Train the classify sample on Spark (local[N]) and on one machine; print both and their largest difference.")
public final class ClassifyOnSpark implements Callable<Integer> {
    @Option(names = "--partitions", defaultValue = "2",
            description = "Spark's local cores and the data's partitions: tasks per step (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--network", defaultValue = "simple",
            description = "simple (a tanh RNN, SGD, float64) or bilstm (a bidirectional LSTM, Adam, float32); default: ${DEFAULT-VALUE}.")
    String network;

    @Option(names = "--train", defaultValue = "1000", description = "Training sequences (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", defaultValue = "500", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--max-length", defaultValue = "40", description = "Longest sequence (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--epochs", defaultValue = "10", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate",
            description = "Step size η (default: 0.3 for simple, whose SGD steps by the batch's mean gradient; 0.005 for bilstm).")
    Double learningRate;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per global minibatch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data and weights (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The two runs' reports, epoch by epoch, and their final weights. */
    private record Run(List<EpochReport> reports, double[] weights, double accuracy) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClassifyOnSpark()).setExecutionExceptionHandler((exception, command, parsed) -> {
            if (exception instanceof IllegalArgumentException) {
                command.getErr().println("unfold spark: " + exception.getMessage());
                return 2;
            }
            throw exception;
        }).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        SparkConf conf = new SparkConf().setMaster("local[" + partitions + "]").setAppName("unfold spark")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            return run(spark, System.out);
        }
    }

    /**
     * Trains on one machine and then on {@code spark}, the data in {@code --partitions} partitions, and
     * prints both; returns the exit code, 1 if float64 runs differ by more than 1e-12.
     */
    int run(JavaSparkContext spark, PrintStream out) throws IOException {
        boolean simple = switch (network) {
            case "simple" -> true;
            case "bilstm" -> false;
            default -> throw new IllegalArgumentException("--network is " + network + ", expected simple or bilstm");
        };
        NetworkFactory factory = simple ? UnfoldedProteinClassifier::new : UnfoldedBidirectionalProteinClassifier::new;
        Random random = new Random(seed);
        List<ProteinData.Example> trainSet = ProteinData.generate(train, 10, maxLength, random);
        List<ProteinData.Example> testSet = ProteinData.generate(test, 10, maxLength, random);
        Classifier shown = (Classifier) factory.create(seed);
        out.printf("The classify sample, a %s (%s), %d training and %d test sequences of 10 to %d residues,%n"
                        + "global minibatches of %d, %d epochs; trained on one machine and on Spark %s, %d partitions.%n%n",
                shown, shown.precision().name().toLowerCase(Locale.ROOT), train, test, maxLength, batch, epochs,
                spark.master(), partitions);

        Classifier alone = (Classifier) factory.create(seed);
        Run one = fit(alone, simple, Minibatches.of(alone, residues(trainSet), labels(trainSet), batch),
                Minibatches.of(alone, residues(testSet), labels(testSet), 64), testSet, "one machine", out);

        Classifier driver = (Classifier) factory.create(seed);
        JavaRDD<Example> examples = spark.parallelize(examples(trainSet), partitions);
        JavaRDD<Example> held = spark.parallelize(examples(testSet), partitions);
        Run cluster;
        try (SparkMinibatches batches = SparkMinibatches.of(examples, driver, factory, batch);
             SparkMinibatches heldBatches = SparkMinibatches.of(held, driver, factory, 64)) {
            cluster = fit(driver, simple, batches, heldBatches, testSet, "Spark " + spark.master(), out);
        }
        return compare(one, cluster, shown.precision(), out);
    }

    /** The sample's training: clipped to norm 1, a cosine from η to η/20, SGD or Adam. */
    private Run fit(Classifier net, boolean simple, TrainingData data, TrainingData held,
                    List<ProteinData.Example> testSet, String where, PrintStream out) throws IOException {
        double rate = learningRate != null ? learningRate : simple ? 0.3 : 0.005;
        Optimizer optimizer = simple ? new Sgd(net.parameters(), rate) : new Adam(net.parameters(), rate);
        List<EpochReport> reports = new ArrayList<>();
        new Trainer(net, optimizer)
                .epochs(epochs)
                .seed(seed)
                .clipNorm(1.0)
                .schedule(LearningRateSchedule.cosine(rate, rate / 20, (long) epochs * data.updates()))
                .validation(held, 0)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        reports.add(report);
                        out.printf(Locale.ROOT, "%-18s epoch %2d: training loss %.12f, test loss %.12f  (%.1f s)%n",
                                where, report.epoch(), report.trainingLoss(), report.validationLoss(), report.seconds());
                    }
                })
                .fit(data);
        double accuracy = Metric.ACCURACY.measure(Minibatches.of(net, residues(testSet), labels(testSet), 64));
        out.printf(Locale.ROOT, "%-18s test accuracy %.1f%%%n%n", where, 100 * accuracy);
        return new Run(reports, weights(net), accuracy);
    }

    /**
     * Prints the largest differences. Float64: 1 (a failure) if they exceed 1e-12. The two runs add the
     * same gradients grouped differently (by partition), which changes the last bit of a sum; training
     * carries such a difference on, and a chaotic phase (exploding gradients, clipped at most steps)
     * amplifies it. Float32 rounds each sum at about 1e-7, which hundreds of steps carry further: the
     * float32 runs are only reported.
     */
    private static int compare(Run one, Run cluster, Precision precision, PrintStream out) {
        double losses = 0;
        for (int e = 0; e < one.reports().size(); e++) {
            losses = Math.max(losses, Math.abs(one.reports().get(e).trainingLoss() - cluster.reports().get(e).trainingLoss()));
            losses = Math.max(losses, Math.abs(one.reports().get(e).validationLoss()
                    - cluster.reports().get(e).validationLoss()));
        }
        double weights = 0;
        for (int i = 0; i < one.weights().length; i++) {
            weights = Math.max(weights, Math.abs(one.weights()[i] - cluster.weights()[i]));
        }
        out.printf(Locale.ROOT, "Largest difference between the two runs: %.3g in the losses, %.3g in the %d weights;"
                        + " test accuracy %s.%n", losses, weights, one.weights().length,
                one.accuracy() == cluster.accuracy() ? "the same" : "differs");
        if (precision == Precision.FLOAT32) {
            out.println("(float32: each run rounds its sums at about 1e-7, in its own grouping; over many steps the"
                    + " runs drift apart by that much and what training makes of it.)");
            return 0;
        }
        if (losses <= 1e-12 && weights <= 1e-12) {
            out.println("The runs agree to 1e-12 (float64).");
            return 0;
        }
        out.println("The runs DIFFER by more than 1e-12. The partitions' sums differ from one machine's in the last"
                + " bit; a chaotic phase of training (exploding gradients, clipped at most steps) can amplify that:"
                + " --partitions 1 gives the same bits, a lower --learning-rate a calmer course.");
        return 1;
    }

    private static double[] weights(Classifier net) {
        double[] flat = new double[net.parameterCount()];
        int at = 0;
        for (Parameter parameter : net.parameters()) {
            for (int i = 0; i < parameter.size(); i++) {
                flat[at++] = parameter.value(i);
            }
        }
        return flat;
    }

    private static List<Example> examples(List<ProteinData.Example> examples) {
        return examples.stream().map(example -> Example.of(example.residues(), new int[] {example.label()})).toList();
    }

    private static int[][] residues(List<ProteinData.Example> examples) {
        return examples.stream().map(ProteinData.Example::residues).toArray(int[][]::new);
    }

    private static int[][] labels(List<ProteinData.Example> examples) {
        return examples.stream().map(example -> new int[] {example.label()}).toArray(int[][]::new);
    }
}
