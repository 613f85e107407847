package dev.unfold.runtime;

import java.util.Objects;

/**
 * Argument checks for the batched calls of {@link SequenceModel}, and the way every network runs
 * a batch whose sequences differ in length: one sequence after another. Errors name the sequence
 * as well as what the single-sequence check says about it.
 */
public final class Batches {
    private Batches() {}

    /**
     * Refuses a batch while the network is stateful: its sequences would start from zero, not from
     * the carried state the caller asked for.
     */
    public static void requireStateless(boolean stateful) {
        if (stateful) {
            throw new IllegalStateException("a batch starts each sequence from a zero state, but this network is "
                    + "stateful (it carries state between calls): call setStateful(false) first");
        }
    }

    /** Checks a batch of dense sequences; returns their common length T, or −1 if lengths differ. */
    public static int steps(double[][][] xs, int width) {
        count(xs, "xs");
        int steps = 0;
        for (int b = 0; b < xs.length; b++) {
            int length;
            try {
                length = Checks.sequence(xs[b], width);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
            steps = b == 0 || length == steps ? length : -1;
            if (steps < 0) {
                return -1;
            }
        }
        return steps;
    }

    /** Checks a batch of token sequences; returns their common length T, or −1 if lengths differ. */
    public static int steps(int[][] tokens, int vocabulary) {
        count(tokens, "tokens");
        int steps = 0;
        for (int b = 0; b < tokens.length; b++) {
            int length;
            try {
                length = Checks.tokens(tokens[b], vocabulary);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
            steps = b == 0 || length == steps ? length : -1;
            if (steps < 0) {
                return -1;
            }
        }
        return steps;
    }

    /** Checks a batch of output buffers: one per sequence, {@code rows} rows of {@code width} each. */
    public static void outputs(double[][][] ys, int batch, int rows, int width) {
        sameCount(ys, "ys", batch);
        for (int b = 0; b < batch; b++) {
            try {
                Checks.outputs(ys[b], rows, width);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
    }

    /** Checks a batch of dense targets: one per sequence, {@code rows} rows of {@code width} finite values. */
    public static void targets(double[][][] targets, int batch, int rows, int width) {
        sameCount(targets, "targets", batch);
        for (int b = 0; b < batch; b++) {
            try {
                Checks.targets(targets[b], rows, width);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
    }

    /** Checks a batch of class labels: one array per sequence, {@code rows} labels in [0, classes) each. */
    public static void labels(int[][] labels, int batch, int rows, int classes) {
        sameCount(labels, "labels", batch);
        for (int b = 0; b < batch; b++) {
            try {
                Checks.labels(labels[b], rows, classes);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
    }

    /** {@code model.forward(xs[b], ys[b])} for every sequence, in order. */
    public static void forwardEach(SequenceModel model, double[][][] xs, double[][][] ys) {
        sameCount(ys, "ys", count(xs, "xs"));
        for (int b = 0; b < xs.length; b++) {
            try {
                model.forward(xs[b], ys[b]);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
    }

    /** {@code model.forward(tokens[b], ys[b])} for every sequence, in order. */
    public static void forwardEach(SequenceModel model, int[][] tokens, double[][][] ys) {
        sameCount(ys, "ys", count(tokens, "tokens"));
        for (int b = 0; b < tokens.length; b++) {
            try {
                model.forward(tokens[b], ys[b]);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
    }

    /** The sum of {@code model.backward(xs[b], targets[b])} over the sequences, in order. */
    public static double backwardEach(SequenceModel model, double[][][] xs, double[][][] targets) {
        sameCount(targets, "targets", count(xs, "xs"));
        double loss = 0;
        for (int b = 0; b < xs.length; b++) {
            try {
                loss += model.backward(xs[b], targets[b]);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
        return loss;
    }

    /** The sum of {@code model.backward(xs[b], labels[b])} over the sequences, in order. */
    public static double backwardEach(SequenceModel model, double[][][] xs, int[][] labels) {
        sameCount(labels, "labels", count(xs, "xs"));
        double loss = 0;
        for (int b = 0; b < xs.length; b++) {
            try {
                loss += model.backward(xs[b], labels[b]);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
        return loss;
    }

    /** The sum of {@code model.backward(tokens[b], targets[b])} over the sequences, in order. */
    public static double backwardEach(SequenceModel model, int[][] tokens, double[][][] targets) {
        sameCount(targets, "targets", count(tokens, "tokens"));
        double loss = 0;
        for (int b = 0; b < tokens.length; b++) {
            try {
                loss += model.backward(tokens[b], targets[b]);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
        return loss;
    }

    /** The sum of {@code model.backward(tokens[b], labels[b])} over the sequences, in order. */
    public static double backwardEach(SequenceModel model, int[][] tokens, int[][] labels) {
        sameCount(labels, "labels", count(tokens, "tokens"));
        double loss = 0;
        for (int b = 0; b < tokens.length; b++) {
            try {
                loss += model.backward(tokens[b], labels[b]);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
        return loss;
    }

    private static int count(Object[] batch, String name) {
        Objects.requireNonNull(batch, name);
        if (batch.length == 0) {
            throw new IllegalArgumentException(name + " is empty: a batch needs at least one sequence");
        }
        return batch.length;
    }

    private static void sameCount(Object[] batch, String name, int expected) {
        Objects.requireNonNull(batch, name);
        if (batch.length != expected) {
            throw new IllegalArgumentException(name + " has " + batch.length
                    + (batch.length == 1 ? " sequence" : " sequences") + ", expected " + expected
                    + " (one per input sequence)");
        }
    }

    private static IllegalArgumentException inSequence(int b, RuntimeException e) {
        String message = e instanceof NullPointerException && e.getMessage() != null
                ? e.getMessage() + " is null" : e.getMessage();
        return new IllegalArgumentException("sequence " + b + " of the batch: " + message, e);
    }
}
