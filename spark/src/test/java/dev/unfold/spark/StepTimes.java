package dev.unfold.spark;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingListener;
import dev.unfold.spark.cluster.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Measures the two designs' steps: {@link SparkMinibatches} under a driver {@code Trainer} (a Spark
 * job per step, treeAggregate-like) and {@link BarrierTraining} (one barrier stage per epoch, TCP
 * all-reduce per step), each step's time split into compute, communication, scheduling and the
 * optimizer, for each workload, with 1 and 2 executors of one core, on {@code local[N]} and on a
 * standalone cluster of two workers on this machine. Each measurement trains two epochs of
 * {@code steps} updates and reports the second (the first warms the JIT up).
 *
 * <p>Where the numbers come from. treeAggregate: the step is the driver's wall time per update; the job
 * is the time inside {@code SparkMinibatches.backward}; compute is the median time of the same share's
 * batched backward (global batch / executors sequences) run in this JVM; scheduling is the median time
 * of an empty job over the same number of partitions; communication is the job's remainder (weights
 * out, gradients back, deserialising them); the optimizer is the step's time outside the job.
 * Barrier: the step is task 0's time inside its trainer per update (what an epoch of many updates
 * tends to); compute and communication (waiting for the slowest task included) are the slowest task's
 * own clocks, the optimizer is the rest; there is no scheduling per step, but once per stage (an epoch):
 * the stage's wall time on the driver outside task 0's trainer (launch, the rendezvous, the results),
 * reported apart as "per stage".
 *
 * <p>Run: {@code mvn -B -Pspark verify -pl spark -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=StepTimesIT -Dunfold.stepTimes=full}; the table goes to {@code spark/target/step-times.md}.
 */
final class StepTimes {

    /** A network, its data's shape, and the global batch. */
    record Workload(String name, NetworkFactory factory, int steps, int batch) {}

    /** One design's step on one set-up, in milliseconds. */
    record Row(String workload, int batch, String place, int executors, String design, double stepMs,
               double computeMs, double communicationMs, double schedulingMs, double optimizerMs, double stageSeconds) {
        double stepsPerSecond() {
            return 1000 / stepMs;
        }
    }

    private final int updates;
    private final Consumer<String> log;

    StepTimes(int updates, Consumer<String> log) {
        this.updates = updates;
        this.log = log;
    }

    /** The workloads: W3's LSTM at batch 32 and 8, the 2 × 512 character model at batch 32. */
    static List<Workload> full() {
        return List.of(
                new Workload("W3 LSTM 128-256-128 float64, T=35", UnfoldedMeasuredNetworks_W3Lstm::new, 35, 32),
                new Workload("W3 LSTM 128-256-128 float64, T=35", UnfoldedMeasuredNetworks_W3Lstm::new, 35, 8),
                new Workload("char LSTM 2x512 float32, T=32", UnfoldedMeasuredNetworks_CharLm2x512::new, 32, 32));
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("unfold.oneCore", "true");   // one core a task, as on the cluster's executors
        boolean onCluster = args.length == 0 || !args[0].equals("local");
        StepTimes times = new StepTimes(8, System.out::println);
        List<Row> rows = new ArrayList<>();
        for (int executors = 1; executors <= 2; executors++) {
            rows.addAll(times.onLocal(full(), executors));
        }
        if (onCluster) {
            rows.addAll(times.onCluster(full(), Path.of("target", "spark-cluster", "StepTimes")));
        }
        Path table = Path.of("target", "step-times.md");
        Files.writeString(table, markdown(rows));
        System.out.println(markdown(rows));
        System.out.println("Written to " + table.toAbsolutePath());
    }

    /** Every workload, both designs, on {@code local[executors]}. */
    List<Row> onLocal(List<Workload> workloads, int executors) throws IOException {
        SparkConf conf = new SparkConf().setMaster("local[" + executors + "]").setAppName("step times")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            return measure(spark, workloads, "local[" + executors + "]", executors);
        }
    }

    /** Every workload, both designs, with 1 then 2 executors of a two-worker standalone cluster. */
    List<Row> onCluster(List<Workload> workloads, Path directory) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (StandaloneCluster cluster = StandaloneCluster.start(directory, 2, "2g")) {
            for (int executors = 1; executors <= 2; executors++) {
                SparkConf conf = cluster.sparkConf("step times").set("spark.cores.max", Integer.toString(executors));
                try (JavaSparkContext spark = new JavaSparkContext(conf)) {
                    rows.addAll(measure(spark, workloads, "standalone", executors));
                }
            }
        }
        return rows;
    }

    private List<Row> measure(JavaSparkContext spark, List<Workload> workloads, String place, int executors)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Workload workload : workloads) {
            SequenceModel shape = workload.factory().create(0);
            log.accept(workload.name() + ": " + shape.parameterCount() + " parameters; " + place + ", " + executors
                    + " executor(s); load average " + java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
            List<Example> examples = examples(shape, workload.steps(), updates * workload.batch());
            JavaRDD<Example> rdd = spark.parallelize(examples, executors).cache();
            double scheduling = emptyJobMs(rdd);
            double compute = shareComputeMs(workload, examples, executors);
            rows.add(treeAggregate(workload, rdd, place, executors, compute, scheduling));
            rows.add(barrier(workload, rdd, place, executors));
            rdd.unpersist(true);
        }
        return rows;
    }

    private Row treeAggregate(Workload workload, JavaRDD<Example> rdd, String place, int executors, double compute,
                              double scheduling) throws IOException {
        SequenceModel network = workload.factory().create(1);
        long[] epochStarted = new long[1];
        double[] epochMs = new double[1];
        try (SparkMinibatches batches = SparkMinibatches.of(rdd, network, workload.factory(), workload.batch())) {
            TimedBackward timed = new TimedBackward(batches);
            new Trainer(network, new Sgd(network.parameters(), 0.01)).epochs(2).listener(new TrainingListener() {
                @Override
                public void epochStarted(int epoch, int updates) {
                    epochStarted[0] = System.nanoTime();
                    timed.nanos = 0;
                }

                @Override
                public void epochEnded(EpochReport report) {
                    epochMs[0] = (System.nanoTime() - epochStarted[0]) / 1e6;
                }
            }).fit(timed);
            double step = epochMs[0] / updates;
            double job = timed.nanos / 1e6 / updates;
            Row row = new Row(workload.name(), workload.batch(), place, executors, "treeAggregate", step, compute,
                    Math.max(0, job - compute - scheduling), scheduling, step - job, Double.NaN);
            log.accept(describe(row));
            return row;
        }
    }

    private Row barrier(Workload workload, JavaRDD<Example> rdd, String place, int executors) throws IOException {
        SequenceModel network = workload.factory().create(1);
        try (BarrierTraining training = BarrierTraining.of(rdd, network, workload.factory(), workload.batch())) {
            training.fit(n -> new Trainer(n, new Sgd(n.parameters(), 0.01)), 2, null);
            BarrierTraining.BarrierEpoch second = training.stages().get(1);
            double perStep = 1000.0 / updates;
            double compute = second.computeSeconds() * perStep;
            double communication = second.communicationSeconds() * perStep;
            double inStage = second.trainerSeconds() * perStep;
            Row row = new Row(workload.name(), workload.batch(), place, executors, "barrier", inStage, compute,
                    communication, 0, Math.max(0, inStage - compute - communication),
                    second.seconds() - second.trainerSeconds());
            log.accept(describe(row));
            return row;
        }
    }

    /** The median time of a job that does nothing on each partition: Spark's own cost of a step's job. */
    private static double emptyJobMs(JavaRDD<Example> rdd) {
        rdd.count();   // caches the examples, and warms the scheduler up
        double[] times = new double[7];
        for (int i = 0; i < times.length; i++) {
            long started = System.nanoTime();
            rdd.foreachPartition(partition -> { });
            times[i] = (System.nanoTime() - started) / 1e6;
        }
        return median(times);
    }

    /** The median time of one executor's share of a global batch: its batched backward, in this JVM. */
    private static double shareComputeMs(Workload workload, List<Example> examples, int executors) {
        int share = (workload.batch() + executors - 1) / executors;
        SequenceModel network = workload.factory().create(2);
        int[][] tokens = new int[share][];
        int[][] labels = new int[share][];
        for (int s = 0; s < share; s++) {
            tokens[s] = (int[]) examples.get(s).input();
            labels[s] = (int[]) examples.get(s).target();
        }
        Minibatches batch = Minibatches.of((dev.unfold.runtime.Classifier) network, tokens, labels, share);
        double[] times = new double[7];
        for (int i = -3; i < times.length; i++) {
            network.parameters().zeroGradients();
            long started = System.nanoTime();
            batch.backward(0);
            if (i >= 0) {
                times[i] = (System.nanoTime() - started) / 1e6;
            }
        }
        return median(times);
    }

    /** Token sequences of {@code steps} tokens with a label per step, from a fixed seed. */
    static List<Example> examples(SequenceModel network, int steps, int count) {
        Random random = new Random(42);
        List<Example> examples = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            examples.add(Example.of(random.ints(steps, 0, network.inputSize()).toArray(),
                    random.ints(steps, 0, network.outputSize()).toArray()));
        }
        return examples;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String describe(Row row) {
        return String.format(Locale.ROOT, "%s, batch %d, %s, %d executor(s), %s: %.1f ms a step (%.2f steps/s): %s",
                row.workload(), row.batch(), row.place(), row.executors(), row.design(), row.stepMs(), row.stepsPerSecond(),
                row);
    }

    /** The rows as a Markdown table. */
    static String markdown(List<Row> rows) {
        StringBuilder table = new StringBuilder();
        table.append("| workload | batch | where | executors | design | ms a step | steps/s | compute | communication | "
                + "scheduling | optimizer | per stage (s) |\n");
        table.append("|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f | %s |%n",
                    row.workload(), row.batch(), row.place(), row.executors(), row.design(), row.stepMs(),
                    row.stepsPerSecond(), row.computeMs(), row.communicationMs(), row.schedulingMs(), row.optimizerMs(),
                    Double.isNaN(row.stageSeconds()) ? "-" : String.format(Locale.ROOT, "%.2f", row.stageSeconds())));
        }
        return table.toString();
    }

    /** Times the data's backward passes: for {@code SparkMinibatches}, the step's Spark job. */
    private static final class TimedBackward implements TrainingData {
        private final TrainingData data;
        long nanos;

        TimedBackward(TrainingData data) {
            this.data = data;
        }

        @Override
        public int updates() {
            return data.updates();
        }

        @Override
        public void startEpoch(long seed) {
            data.startEpoch(seed);
        }

        @Override
        public double backward(int update) {
            long started = System.nanoTime();
            double loss = data.backward(update);
            nanos += System.nanoTime() - started;
            return loss;
        }

        @Override
        public double loss(int update) {
            return data.loss(update);
        }

        @Override
        public int outputs(int update) {
            return data.outputs(update);
        }

        @Override
        public dev.unfold.runtime.Parameters parameters() {
            return data.parameters();
        }
    }
}
