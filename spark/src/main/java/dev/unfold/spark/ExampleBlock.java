package dev.unfold.spark;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.Precisions;
import java.io.Serializable;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * One partition's examples, cached on its executor for the whole run: examples {@code start} to
 * {@code start + size − 1} of the data set (Spark's {@code zipWithIndex} numbers a partition's
 * examples consecutively), their inputs and targets gathered into arrays of the types
 * {@code Minibatches.of} takes ({@code double[][][]}, {@code float[][][]} or {@code int[][]}). Building
 * one never throws, so that a Spark job does not fail on a user's bad example: a block whose examples
 * are of mixed kinds says so in {@link #problem}, and {@link #check} names the first bad example.
 */
final class ExampleBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The global index of the first example. */
    final long start;
    /** The inputs, of one array type; null for an empty partition. */
    final Object[] inputs;
    /** The targets, of one array type; null for an empty partition. */
    final Object[] targets;
    /** Why the examples cannot be gathered (they are of different kinds), or null. */
    final String problem;

    private ExampleBlock(long start, Object[] inputs, Object[] targets, String problem) {
        this.start = start;
        this.inputs = inputs;
        this.targets = targets;
        this.problem = problem;
    }

    /** The partition's examples with their global indices, as {@code zipWithIndex} gives them. */
    static Iterator<ExampleBlock> of(Iterator<Tuple2<Example, Long>> indexed) {
        List<Example> examples = new ArrayList<>();
        long start = -1;
        while (indexed.hasNext()) {
            Tuple2<Example, Long> next = indexed.next();
            if (start < 0) {
                start = next._2();
            }
            examples.add(next._1());
        }
        if (examples.isEmpty()) {
            return List.of(new ExampleBlock(0, null, null, null)).iterator();
        }
        int missing = examples.indexOf(null);
        if (missing >= 0) {
            String problem = "example " + (start + missing) + " is null: give an Example for every element";
            return List.of(new ExampleBlock(start, null, null, problem)).iterator();
        }
        Example first = examples.get(0);
        Object[] inputs = (Object[]) Array.newInstance(first.input().getClass(), examples.size());
        Object[] targets = (Object[]) Array.newInstance(first.target().getClass(), examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Example example = examples.get(i);
            if (example.input().getClass() != first.input().getClass()
                    || example.target().getClass() != first.target().getClass()) {
                String problem = "example " + (start + i) + " has " + example.kind() + ", but example " + start
                        + " has " + first.kind() + ": the examples of one data set must all be of one kind";
                return List.of(new ExampleBlock(start, null, null, problem)).iterator();
            }
            inputs[i] = example.input();
            targets[i] = example.target();
        }
        return List.of(new ExampleBlock(start, inputs, targets, null)).iterator();
    }

    /** Number of examples. */
    int size() {
        return inputs == null ? 0 : inputs.length;
    }

    /** The kind of the examples, or null for an empty partition. */
    String kind() {
        return inputs == null ? null : Example.describe(inputs.getClass().getComponentType(),
                targets.getClass().getComponentType());
    }

    /**
     * What the driver learns of a block: where it is, what it holds, and the first thing wrong with it.
     * A class, not a record: Kryo (when {@code spark.serializer} names it) cannot build records.
     */
    static final class Summary implements Serializable {
        private static final long serialVersionUID = 1L;

        private final long start;
        private final int size;
        private final String kind;
        private final String problem;
        private final int[] outputRows;

        Summary(long start, int size, String kind, String problem, int[] outputRows) {
            this.start = start;
            this.size = size;
            this.kind = kind;
            this.problem = problem;
            this.outputRows = outputRows;
        }

        /** The global index of the block's first example. */
        long start() {
            return start;
        }

        /** Its number of examples. */
        int size() {
            return size;
        }

        /** Their kind ({@link Example#kind}); null for an empty block. */
        String kind() {
            return kind;
        }

        /** The first thing wrong with them, naming the example; null if nothing is. */
        String problem() {
            return problem;
        }

        /** Each example's output rows, in order. */
        int[] outputRows() {
            return outputRows;
        }
    }

    /**
     * Checks every example against {@code network} as {@code Minibatches.of} would, and counts each
     * one's output rows (one per step, or one for a many-to-one network). The first bad example is
     * named by its global index in {@link Summary#problem}.
     */
    Summary check(SequenceModel network) {
        if (problem != null || inputs == null) {
            return new Summary(start, 0, null, problem, new int[0]);
        }
        String kind = kind();
        if (targets instanceof int[][] && !(network instanceof Classifier)) {
            return new Summary(start, size(), kind, "the examples have class labels, but "
                    + network.getClass().getSimpleName() + " is no Classifier (its loss is not a cross-entropy):"
                    + " give it dense targets", new int[0]);
        }
        try {
            Precisions.requireData(network, "SparkMinibatches.of", inputs, targets);
        } catch (IllegalArgumentException e) {
            return new Summary(start, size(), kind, "the examples have " + kind + ": " + e.getMessage(), new int[0]);
        }
        int[] rows = new int[size()];
        for (int i = 0; i < rows.length; i++) {
            try {
                rows[i] = checkOne(network, inputs[i], targets[i]);
            } catch (IllegalArgumentException | NullPointerException e) {
                return new Summary(start, size(), kind, Checks.inPart("example " + (start + i), e).getMessage(),
                        new int[0]);
            }
        }
        return new Summary(start, size(), kind, null, rows);
    }

    /** Checks one example as {@code Minibatches.of} does; returns its number of output rows. */
    private static int checkOne(SequenceModel network, Object input, Object target) {
        int steps = input instanceof int[] tokens ? Checks.tokens(tokens, network.inputSize())
                : input instanceof float[][] floats ? Checks.sequence(floats, network.inputSize())
                : Checks.sequence((double[][]) input, network.inputSize());
        int rows = network.outputSteps(steps);
        if (target instanceof int[] labels) {
            Checks.labels(labels, rows, network.outputSize());
        } else if (target instanceof float[][] floats) {
            Checks.targets(floats, rows, network.outputSize());
        } else {
            Checks.targets((double[][]) target, rows, network.outputSize());
        }
        return rows;
    }

    /** Whether the example of global index {@code example} is one of this block's. */
    boolean holds(long example) {
        return example >= start && example - start < size();
    }

    /**
     * The examples of {@code examples} (global indices, a global minibatch) that this block holds, in
     * their order there, as one batch of this block's types; null when it holds none of them.
     */
    Lanes share(int[] examples) {
        int[] lanes = new int[examples.length];
        int count = 0;
        for (int example : examples) {
            if (holds(example)) {
                lanes[count++] = (int) (example - start);
            }
        }
        if (count == 0) {
            return null;
        }
        Object[] batchInputs = (Object[]) Array.newInstance(inputs.getClass().getComponentType(), count);
        Object[] batchTargets = (Object[]) Array.newInstance(targets.getClass().getComponentType(), count);
        for (int b = 0; b < count; b++) {
            batchInputs[b] = inputs[lanes[b]];
            batchTargets[b] = targets[lanes[b]];
        }
        return new Lanes(batchInputs, batchTargets);
    }

    /** Every example of the block, in order, as one batch. */
    Lanes all() {
        return new Lanes(inputs, targets);
    }
}
