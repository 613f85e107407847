package dev.unfold.runtime.data;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Batches;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.ShuffledUpdates;
import dev.unfold.runtime.train.TrainingData;
import java.util.Objects;

/**
 * Sequences that each come with their own context vector, for a network declared with a context
 * (as in captioning: the image's features x, then the caption's words; equations.md (7.1)), in minibatches of up
 * to {@code batchSize} shuffled each epoch. A minibatch is one masked batched call after
 * {@link dev.unfold.runtime.Contextual#setContexts}, its sequences' contexts in its order; a batch of one runs
 * alone after {@link dev.unfold.runtime.Contextual#setContext}. Built once; an update allocates nothing.
 * Tokens and labels are {@code int} and contexts {@code double} whatever the network's precision, so
 * the same data trains a float32 network: it rounds each context to float as it copies it in.
 */
public final class ContextSequences implements TrainingData {
    private final ShuffledUpdates order;
    private final Contextual model;
    /** The model again, as what takes class labels. */
    private final Classifier classifier;
    private final double[][] contexts;
    private final int[][] inputs;
    private final int[][] labels;
    /** The arrays a batch is gathered into: full batches, and the smaller last one of an epoch. */
    private final Batch full;
    private final Batch last;

    private record Batch(double[][] contexts, int[][] inputs, int[][] labels) {
        Batch(int size) {
            this(new double[size][], new int[size][], new int[size][]);
        }
    }

    /**
     * Teacher forcing from whole target sequences: sequence i reads the start token and then
     * {@code targets[i]}, and learns to say {@code targets[i]} and then the end token.
     */
    public static <M extends Contextual & Classifier> ContextSequences teacherForced(M model, double[][] contexts, int[][] targets,
                                                                                       int startToken, int endToken, int batchSize) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(targets, "targets");
        Checks.index("startToken", startToken, model.inputSize(), "the network's input tokens");
        Checks.index("endToken", endToken, model.outputSize(), "the network's output classes");
        int[][] inputs = new int[targets.length][];
        int[][] labels = new int[targets.length][];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] == null) {
                throw new IllegalArgumentException("targets[" + i + "] is null");
            }
            inputs[i] = new int[targets[i].length + 1];
            labels[i] = new int[targets[i].length + 1];
            inputs[i][0] = startToken;
            System.arraycopy(targets[i], 0, inputs[i], 1, targets[i].length);
            System.arraycopy(targets[i], 0, labels[i], 0, targets[i].length);
            labels[i][targets[i].length] = endToken;
        }
        return new ContextSequences(model, contexts, inputs, labels, batchSize);
    }

    /** Token sequences and their labels, each with its context. */
    public <M extends Contextual & Classifier> ContextSequences(M model, double[][] contexts, int[][] inputs,
                                                               int[][] labels, int batchSize) {
        this.order = new ShuffledUpdates(checked(model, contexts, inputs, labels), batchSize);
        this.model = model;
        this.classifier = model;
        this.contexts = contexts;
        this.inputs = inputs;
        this.labels = labels;
        this.full = new Batch(order.fullSize());
        this.last = order.lastSize() == order.fullSize() ? full : new Batch(order.lastSize());
    }

    /**
     * Checks every context, input and label sequence against {@code model} now, so that a bad one is
     * an error here rather than in the middle of an epoch. Returns the number of sequences.
     */
    private static int checked(Contextual model, double[][] contexts, int[][] inputs, int[][] labels) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(contexts, "contexts");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        if (contexts.length == 0 || inputs.length != contexts.length || labels.length != contexts.length) {
            throw new IllegalArgumentException("expected one input sequence and one label sequence per context and at"
                    + " least one: " + contexts.length + " contexts, " + inputs.length + " inputs, " + labels.length
                    + " labels");
        }
        Checks.contexts(contexts, model.contextSize());
        Batches.checkData(model, inputs, "inputs", labels, "labels");
        return contexts.length;
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
        if (order.end(update) - order.first(update) > 1) {
            Batch batch = gather(update);
            model.setContexts(batch.contexts());
            return classifier.backward(batch.inputs(), batch.labels());
        }
        double loss = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            int s = order.example(i);
            model.setContext(contexts[s]);
            loss += classifier.backward(inputs[s], labels[s]);
        }
        return loss;
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    @Override
    public double loss(int update) {
        double loss = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            int s = order.example(i);
            model.setContext(contexts[s]);
            loss += classifier.loss(inputs[s], labels[s]);
        }
        return loss;
    }

    private Batch gather(int update) {
        int first = order.first(update);
        int end = order.end(update);
        Batch batch = order.isFull(update) ? full : last;
        for (int i = first; i < end; i++) {
            int s = order.example(i);
            batch.contexts()[i - first] = contexts[s];
            batch.inputs()[i - first] = inputs[s];
            batch.labels()[i - first] = labels[s];
        }
        return batch;
    }

    @Override
    public int outputs(int update) {
        return order.labelCount(update, labels);
    }

}
