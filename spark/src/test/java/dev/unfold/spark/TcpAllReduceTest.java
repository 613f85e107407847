package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The all-reduce on its own, tasks as threads on loopback: every task gets, bit for bit, the sum
 * {@link TreeSum} gives over the whole vectors (the driver's sum in {@code SparkMinibatches}), for
 * several tasks, vectors shorter than the number of tasks, a task with nothing to add, and one
 * connection reused for many sums.
 */
class TcpAllReduceTest {

    @ParameterizedTest(name = "{0} tasks, vectors of {1}")
    @CsvSource({"1, 7", "2, 9", "3, 10", "4, 1001", "5, 3"})
    void everyTaskGetsTheTreeSumToTheBit(int tasks, int length) throws Exception {
        String[] messages = new String[tasks];
        CyclicBarrier gathered = new CyclicBarrier(tasks);
        int sums = 4;
        double[][][] vectors = new double[sums][tasks][];
        Random random = new Random(tasks * 31L + length);
        for (int s = 0; s < sums; s++) {
            for (int t = 0; t < tasks; t++) {
                // task 1 has nothing to add in the second sum, as a partition without examples of an update
                vectors[s][t] = s == 1 && t == 1 && tasks > 1 ? null
                        : random.doubles(length, -1e3, 1e3).map(v -> v * Math.pow(10, random.nextInt(12) - 6)).toArray();
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        try {
            List<Future<double[][]>> results = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int rank = t;
                results.add(pool.submit(() -> {
                    try (TcpAllReduce allReduce = TcpAllReduce.connect(rank, tasks, "127.0.0.1", message -> {
                        messages[rank] = message;
                        await(gathered);
                        String[] all = messages.clone();
                        await(gathered);
                        return all;
                    }, length)) {
                        double[][] totals = new double[sums][];
                        for (int s = 0; s < sums; s++) {
                            totals[s] = allReduce.sum(vectors[s][rank]);
                        }
                        return totals;
                    }
                }));
            }
            for (int t = 0; t < tasks; t++) {
                double[][] totals = results.get(t).get(60, TimeUnit.SECONDS);
                for (int s = 0; s < sums; s++) {
                    TreeSum expected = TreeSum.empty(tasks);
                    for (int v = tasks - 1; v >= 0; v--) {
                        expected.merge(TreeSum.leaf(tasks, v, vectors[s][v] == null ? null : vectors[s][v].clone()));
                    }
                    assertArrayEquals(expected.total(), totals[s], "task " + t + ", sum " + s);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} tasks")
    @CsvSource({"1", "3"})
    void nothingToAddAnywhereGivesNull(int tasks) throws Exception {
        String[] messages = new String[tasks];
        CyclicBarrier gathered = new CyclicBarrier(tasks);
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int rank = t;
                results.add(pool.submit(() -> {
                    try (TcpAllReduce allReduce = TcpAllReduce.connect(rank, tasks, "127.0.0.1", message -> {
                        messages[rank] = message;
                        await(gathered);
                        String[] all = messages.clone();
                        await(gathered);
                        return all;
                    }, 5)) {
                        return allReduce.sum(null);
                    }
                }));
            }
            for (Future<double[]> result : results) {
                assertNull(result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
