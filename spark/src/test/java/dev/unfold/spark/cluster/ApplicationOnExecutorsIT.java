package dev.unfold.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.unfold.runtime.Parameter;
import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The harness's proof: on the two-worker standalone cluster, each executor is a JVM of its own
 * whose class path holds Spark only, loads the generated network, the runtime and this test's
 * classes from {@code spark.jars}, and computes the same gradient, to the bit, as this JVM.
 */
@ExtendWith(StandaloneClusterExtension.class)
class ApplicationOnExecutorsIT {

    /** What one task reports: where it ran and the gradient it computed. */
    record Report(long pid, String classPath, String networkLoader, boolean systemLoader, boolean systemLoaderSeesApplication, int seed, double loss, double[] gradient)
            implements Serializable {}

    @Test
    void executorsLoadTheApplicationFromSparkJarsAndComputeTheSameGradients(StandaloneCluster cluster) {
        List<Integer> seeds = List.of(1, 2, 3, 4);
        List<Report> reports;
        try (JavaSparkContext spark = new JavaSparkContext(cluster.sparkConf("application on executors"))) {
            // a barrier stage runs its two tasks at once, so on both one-core executors, never one after
            // the other on the same
            ClassTag<Report> tag = ClassTag$.MODULE$.apply(Report.class);
            reports = JavaRDD.fromRDD(spark.parallelize(seeds, 2).rdd().barrier().mapPartitions(new Reports(), false, tag),
                    tag).collect();
        }

        long driver = ProcessHandle.current().pid();
        assertEquals(2, reports.stream().map(Report::pid).distinct().count(), "one executor JVM per worker: " + reports);
        for (Report report : reports) {
            assertNotEquals(driver, report.pid(), "a task ran in the driver's JVM");
            List<String> outsideSparkHome = Arrays.stream(report.classPath().split(File.pathSeparator))
                    .filter(entry -> !entry.startsWith(cluster.sparkHome().toString()))
                    .collect(Collectors.toList());
            assertEquals(List.of(), outsideSparkHome, "the executor's own class path must be SPARK_HOME's only");
            assertFalse(report.systemLoader(), "UnfoldedTinyTagger came from the system class loader: " + report.networkLoader());
            assertFalse(report.systemLoaderSeesApplication(), "the executor's system class loader finds the application's classes");
            Report here = report(report.seed());
            assertEquals(here.loss(), report.loss(), 0.0, "loss of seed " + report.seed());
            assertArrayEquals(here.gradient(), report.gradient(), 0.0, "gradient of seed " + report.seed());
        }
        assertNotSame(reports.get(0).gradient(), reports.get(1).gradient());
        assertNotEquals(reports.get(0).loss(), reports.get(1).loss(), "different seeds, different networks");
    }

    /** Whether the JVM's own class path, without spark.jars, holds any of these classes. */
    private static boolean systemLoaderSees(Class<?>... classes) {
        for (Class<?> type : classes) {
            if (ClassLoader.getSystemClassLoader().getResource(type.getName().replace('.', '/') + ".class") != null) {
                return true;
            }
        }
        return false;
    }

    /** Each task's reports, one per seed of its partition. */
    static final class Reports extends AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Report>>
            implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public scala.collection.Iterator<Report> apply(scala.collection.Iterator<Integer> seeds) {
            List<Report> reports = new ArrayList<>();
            while (seeds.hasNext()) {
                reports.add(report(seeds.next()));
            }
            return CollectionConverters.asScala(reports.iterator());
        }
    }

    /** Builds the network from {@code seed}, runs a backward pass over fixed data, and says where it ran. */
    static Report report(int seed) {
        TinyTagger network = new UnfoldedTinyTagger(seed);
        SplittableRandom random = new SplittableRandom(99);
        double[][][] xs = new double[3][][];
        int[][] labels = new int[3][];
        for (int s = 0; s < xs.length; s++) {
            int steps = 4 + s;
            xs[s] = new double[steps][5];
            labels[s] = new int[steps];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < 5; i++) {
                    xs[s][t][i] = random.nextDouble(-1, 1);
                }
                labels[s][t] = random.nextInt(3);
            }
        }
        network.parameters().zeroGradients();
        double loss = network.backward(xs, labels);
        List<Double> gradient = new ArrayList<>();
        for (Parameter parameter : network.parameters()) {
            for (int i = 0; i < parameter.size(); i++) {
                gradient.add(parameter.gradient(i));
            }
        }
        ClassLoader loader = UnfoldedTinyTagger.class.getClassLoader();
        return new Report(ProcessHandle.current().pid(), System.getProperty("java.class.path"), String.valueOf(loader),
                loader == ClassLoader.getSystemClassLoader(), systemLoaderSees(UnfoldedTinyTagger.class, Parameter.class, ApplicationOnExecutorsIT.class), seed, loss,
                gradient.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
