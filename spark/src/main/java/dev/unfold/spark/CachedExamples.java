package dev.unfold.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.storage.StorageLevel;

/**
 * The examples of an RDD as both designs train on them: numbered in the RDD's order
 * ({@code zipWithIndex}), cached per partition on the executors as {@link ExampleBlock}s (memory, then
 * disk), and checked once against the network. {@link SparkMinibatches} and {@link BarrierTraining}
 * start from it, so they number the same examples alike and refuse the same data with the same
 * messages.
 */
final class CachedExamples {
    /** The cached partitions. */
    final JavaRDD<ExampleBlock> blocks;
    /** Output rows of each example, by global index: what the trainer averages over. */
    final int[] outputRows;

    private CachedExamples(JavaRDD<ExampleBlock> blocks, int[] outputRows) {
        this.blocks = blocks;
        this.outputRows = outputRows;
    }

    /**
     * Caches {@code examples} and checks every partition with {@code check} (on its executor, against
     * a network there) in one Spark job.
     *
     * @throws IllegalArgumentException if the RDD is empty, its examples are of mixed kinds, or one
     *     does not fit the network: the lowest-numbered is named. Nothing stays cached then.
     */
    static CachedExamples cache(JavaRDD<Example> examples, Function<ExampleBlock, ExampleBlock.Summary> check) {
        JavaRDD<ExampleBlock> blocks = examples.zipWithIndex().mapPartitions(ExampleBlock::of, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        boolean cached = false;
        try {
            int[] rows = outputRows(blocks.map(check).collect());
            cached = true;
            return new CachedExamples(blocks, rows);
        } finally {
            if (!cached) {
                blocks.unpersist(false);
            }
        }
    }

    /** Number of examples. */
    int size() {
        return outputRows.length;
    }

    /** Takes the examples out of the executors' caches. */
    void uncache() {
        blocks.unpersist(false);
    }

    /**
     * Every example's output rows by global index, from the partitions' summaries; refuses data with
     * no example, of mixed kinds, or with a bad example (the lowest-numbered is named).
     */
    private static int[] outputRows(List<ExampleBlock.Summary> summaries) {
        List<ExampleBlock.Summary> sorted = new ArrayList<>(summaries);
        sorted.sort(Comparator.comparingLong(ExampleBlock.Summary::start));
        long total = 0;
        ExampleBlock.Summary first = null;
        for (ExampleBlock.Summary summary : sorted) {
            if (summary.problem() != null) {
                throw new IllegalArgumentException(summary.problem());
            }
            if (summary.kind() != null && first != null && !summary.kind().equals(first.kind())) {
                throw new IllegalArgumentException("example " + summary.start() + " has " + summary.kind()
                        + ", but example " + first.start() + " has " + first.kind()
                        + ": the examples of one data set must all be of one kind");
            }
            if (first == null && summary.kind() != null) {
                first = summary;
            }
            total += summary.size();
        }
        if (total == 0) {
            throw new IllegalArgumentException("the RDD has no examples: training needs at least one sequence");
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the RDD has " + total + " examples, at most " + Integer.MAX_VALUE
                    + " can be numbered");
        }
        int[] rows = new int[(int) total];
        for (ExampleBlock.Summary summary : sorted) {
            System.arraycopy(summary.outputRows(), 0, rows, (int) summary.start(), summary.size());
        }
        return rows;
    }
}
