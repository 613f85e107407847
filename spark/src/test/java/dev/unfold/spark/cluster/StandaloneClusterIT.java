package dev.unfold.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** The harness itself: what it starts, it stops, executors included, even while a driver still runs. */
class StandaloneClusterIT {

    @Test
    void closeStopsTheMasterTheWorkersAndTheirExecutors() throws Exception {
        Path directory = Path.of("target", "spark-cluster", "StandaloneClusterIT");
        List<ProcessHandle> started;
        StandaloneCluster cluster = StandaloneCluster.start(directory, 1, "1g");
        try (JavaSparkContext spark = new JavaSparkContext(cluster.sparkConf("close stops everything"))) {
            assertEquals(List.of(1, 2), spark.parallelize(List.of(1, 2), 1).collect());
            started = cluster.processes();
            // the master, the worker, and the executor the worker started for this driver (at least)
            assertTrue(started.size() >= 3, "processes: " + describe(started));
            assertTrue(Files.size(directory.resolve("master.log")) > 0, "the master logs to master.log");
            assertTrue(Files.size(directory.resolve("worker-1.log")) > 0, "the worker logs to worker-1.log");
            // the cluster stops under a driver that still runs: the executor must go with it
            cluster.close();
        } finally {
            cluster.close();
        }
        for (ProcessHandle process : started) {
            process.onExit().get();
        }
        assertEquals(List.of(), started.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList()));
    }

    @Test
    void refusesAClusterWithoutWorkers() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> StandaloneCluster.start(Path.of("target", "spark-cluster", "none"), 0, "1g"));
        assertEquals("workers is 0, expected at least 1", refused.getMessage());
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("\n"));
    }
}
