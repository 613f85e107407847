package dev.unfold.runtime.data;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.internal.Batches;
import dev.unfold.runtime.internal.ShuffledUpdates;
import dev.unfold.runtime.train.TrainingData;
import java.util.Objects;

/**
 * Whole sequences, with their targets, in minibatches of up to {@code batchSize} for one network:
 * each epoch in a new order shuffled from its seed (the same seed, the same order), each batch one
 * call of the network's batched {@code backward}, so sequences of different lengths run in one
 * masked pass. The batch arrays are allocated here, once; an update only copies references into
 * them.
 */
public final class Minibatches implements TrainingData {
    private final ShuffledUpdates order;
    private final SequenceModel model;
    /** The model again when the data are class labels, which only a classifier takes; else null. */
    private final Classifier classifier;
    private final double[][][] xs;
    private final int[][] tokens;
    private final double[][][] targets;
    private final int[][] labels;
    private final int count;
    private final Batch full;
    private final Batch last;

    /** The typed arrays one batch is gathered into; the last batch of an epoch may be smaller. */
    private static final class Batch {
        final double[][][] xs;
        final int[][] tokens;
        final double[][][] targets;
        final int[][] labels;

        Batch(Minibatches data, int size) {
            xs = data.xs == null ? null : new double[size][][];
            tokens = data.tokens == null ? null : new int[size][];
            targets = data.targets == null ? null : new double[size][][];
            labels = data.labels == null ? null : new int[size][];
        }
    }

    /** Dense sequences and dense targets (one row per output). */
    public static Minibatches of(SequenceModel model, double[][][] xs, double[][][] targets, int batchSize) {
        return new Minibatches(Objects.requireNonNull(model, "model"), null, Objects.requireNonNull(xs, "xs"), null,
                Objects.requireNonNull(targets, "targets"), null, batchSize);
    }

    /** Dense sequences and class labels (one per output). */
    public static Minibatches of(Classifier model, double[][][] xs, int[][] labels, int batchSize) {
        return new Minibatches(Objects.requireNonNull(model, "model"), model, Objects.requireNonNull(xs, "xs"), null, null,
                Objects.requireNonNull(labels, "labels"), batchSize);
    }

    /** Token sequences and dense targets. */
    public static Minibatches of(SequenceModel model, int[][] tokens, double[][][] targets, int batchSize) {
        return new Minibatches(Objects.requireNonNull(model, "model"), null, null, Objects.requireNonNull(tokens, "tokens"),
                Objects.requireNonNull(targets, "targets"), null, batchSize);
    }

    /** Token sequences and class labels: a language model's or a tagger's data. */
    public static Minibatches of(Classifier model, int[][] tokens, int[][] labels, int batchSize) {
        return new Minibatches(Objects.requireNonNull(model, "model"), model, null, Objects.requireNonNull(tokens, "tokens"),
                null, Objects.requireNonNull(labels, "labels"), batchSize);
    }

    /**
     * Exactly one of {@code xs} and {@code tokens}, and of {@code targets} and {@code labels}, is
     * given (the factory method says which). Every sequence and its targets are checked against
     * {@code model} now, so that a bad one is an error here, naming it, rather than in the middle of
     * an epoch whose earlier updates have already moved the weights.
     */
    private Minibatches(SequenceModel model, Classifier classifier, double[][][] xs, int[][] tokens, double[][][] targets, int[][] labels,
                        int batchSize) {
        int sequences = Batches.checkData(model, xs != null ? xs : tokens, xs != null ? "xs" : "tokens",
                targets != null ? targets : labels, targets != null ? "targets" : "labels");
        this.order = new ShuffledUpdates(sequences, batchSize);
        this.model = model;
        this.classifier = classifier;
        this.xs = xs;
        this.tokens = tokens;
        this.targets = targets;
        this.labels = labels;
        this.count = xs != null ? xs.length : tokens.length;
        this.full = new Batch(this, order.fullSize());
        this.last = order.lastSize() == order.fullSize() ? full : new Batch(this, order.lastSize());
    }

    /** Number of sequences. */
    public int size() {
        return count;
    }

    @Override
    public int updates() {
        return order.updates();
    }

    @Override
    public void startEpoch(long seed) {
        order.shuffle(seed);
    }

    @Override
    public double backward(int update) {
        if (order.end(update) - order.first(update) == 1) {
            // a batch of one runs best as what it is: the single-sequence pass has no lanes to fill
            return eachAlone(update, true);
        }
        Batch batch = gather(update);
        if (batch.xs != null) {
            return batch.targets != null ? model.backward(batch.xs, batch.targets) : classifier.backward(batch.xs, batch.labels);
        }
        return batch.targets != null ? model.backward(batch.tokens, batch.targets)
                : classifier.backward(batch.tokens, batch.labels);
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    @Override
    public double loss(int update) {
        return eachAlone(update, false);
    }

    /** The summed loss of the update's sequences one by one, with their gradients if asked. */
    private double eachAlone(int update, boolean gradients) {
        double loss = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            loss += single(order.example(i), gradients);
        }
        return loss;
    }

    private double single(int s, boolean gradients) {
        if (xs != null) {
            if (targets != null) {
                return gradients ? model.backward(xs[s], targets[s]) : model.loss(xs[s], targets[s]);
            }
            return gradients ? classifier.backward(xs[s], labels[s]) : classifier.loss(xs[s], labels[s]);
        }
        if (targets != null) {
            return gradients ? model.backward(tokens[s], targets[s]) : model.loss(tokens[s], targets[s]);
        }
        return gradients ? classifier.backward(tokens[s], labels[s]) : classifier.loss(tokens[s], labels[s]);
    }

    @Override
    public int outputs(int update) {
        int outputs = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            outputs += targets != null ? targets[order.example(i)].length : labels[order.example(i)].length;
        }
        return outputs;
    }

    private Batch gather(int update) {
        int first = order.first(update);
        int end = order.end(update);
        Batch batch = order.isFull(update) ? full : last;
        for (int i = first; i < end; i++) {
            int s = order.example(i);
            int b = i - first;
            if (batch.xs != null) {
                batch.xs[b] = xs[s];
            } else {
                batch.tokens[b] = tokens[s];
            }
            if (batch.targets != null) {
                batch.targets[b] = targets[s];
            } else {
                batch.labels[b] = labels[s];
            }
        }
        return batch;
    }
}
