package dev.unfold.runtime.data;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.internal.Batches;
import dev.unfold.runtime.internal.Precisions;
import dev.unfold.runtime.internal.ShuffledUpdates;
import dev.unfold.runtime.train.TrainingData;
import java.util.Objects;

/**
 * Whole sequences, with their targets, in minibatches of up to {@code batchSize} for one network:
 * each epoch in a new order shuffled from its seed (the same seed, the same order), each batch one
 * call of the network's batched {@code backward}, so sequences of different lengths run in one
 * masked pass. The batch arrays are allocated here, once; an update only copies references into
 * them.
 *
 * <p>Dense data come as {@code double} arrays for a float64 network and as {@code float} arrays for
 * a float32 one ({@code @Network(precision = FLOAT32)}); token sequences and class labels are
 * {@code int} for both. Data of the other precision is refused when the batches are built.
 */
public final class Minibatches implements TrainingData {
    private final ShuffledUpdates order;
    private final SequenceModel model;
    /** The sequences: dense rows ({@code double[][][]} or {@code float[][][]}) or tokens ({@code int[][]}). */
    private final Object[] inputs;
    /** Their targets: dense rows ({@code double[][][]} or {@code float[][][]}) or class labels ({@code int[][]}). */
    private final Object[] outputs;
    private final Batch full;
    private final Batch last;

    /**
     * The arrays one batch is gathered into, of the data's own types (so that the batch is one
     * call of the network's batched method for them); the last batch of an epoch may be smaller.
     */
    private record Batch(Object[] inputs, Object[] outputs) {
        Batch(Minibatches data, int size) {
            this(sameType(data.inputs, size), sameType(data.outputs, size));
        }

        private static Object[] sameType(Object[] array, int size) {
            return (Object[]) java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), size);
        }
    }

    /** Dense sequences and dense targets (one row per output). */
    public static Minibatches of(SequenceModel model, double[][][] xs, double[][][] targets, int batchSize) {
        return new Minibatches(model, Objects.requireNonNull(xs, "xs"), "xs", Objects.requireNonNull(targets, "targets"),
                "targets", batchSize);
    }

    /** Dense sequences and class labels (one per output). */
    public static Minibatches of(Classifier model, double[][][] xs, int[][] labels, int batchSize) {
        return new Minibatches(model, Objects.requireNonNull(xs, "xs"), "xs", Objects.requireNonNull(labels, "labels"),
                "labels", batchSize);
    }

    /** Token sequences and dense targets. */
    public static Minibatches of(SequenceModel model, int[][] tokens, double[][][] targets, int batchSize) {
        return new Minibatches(model, Objects.requireNonNull(tokens, "tokens"), "tokens",
                Objects.requireNonNull(targets, "targets"), "targets", batchSize);
    }

    /** Token sequences and class labels: a language model's or a tagger's data, for either precision. */
    public static Minibatches of(Classifier model, int[][] tokens, int[][] labels, int batchSize) {
        return new Minibatches(model, Objects.requireNonNull(tokens, "tokens"), "tokens",
                Objects.requireNonNull(labels, "labels"), "labels", batchSize);
    }

    /** {@link #of(SequenceModel, double[][][], double[][][], int)} for a float32 network. */
    public static Minibatches of(SequenceModel model, float[][][] xs, float[][][] targets, int batchSize) {
        return new Minibatches(model, Objects.requireNonNull(xs, "xs"), "xs", Objects.requireNonNull(targets, "targets"),
                "targets", batchSize);
    }

    /** {@link #of(Classifier, double[][][], int[][], int)} for a float32 network. */
    public static Minibatches of(Classifier model, float[][][] xs, int[][] labels, int batchSize) {
        return new Minibatches(model, Objects.requireNonNull(xs, "xs"), "xs", Objects.requireNonNull(labels, "labels"),
                "labels", batchSize);
    }

    /** {@link #of(SequenceModel, int[][], double[][][], int)} for a float32 network. */
    public static Minibatches of(SequenceModel model, int[][] tokens, float[][][] targets, int batchSize) {
        return new Minibatches(model, Objects.requireNonNull(tokens, "tokens"), "tokens",
                Objects.requireNonNull(targets, "targets"), "targets", batchSize);
    }

    /**
     * The factory methods say what {@code inputs} and {@code outputs} are, and take a
     * {@link Classifier} when the outputs are class labels. The data's precision and every sequence
     * and its targets are checked against {@code model} now, so that a bad one is an error here,
     * naming it, rather than in the middle of an epoch whose earlier updates have already moved the
     * weights.
     */
    private Minibatches(SequenceModel model, Object[] inputs, String inputName, Object[] outputs, String outputName,
                        int batchSize) {
        Objects.requireNonNull(model, "model");
        Precisions.requireData(model, "Minibatches.of", inputs, outputs);
        int sequences = Batches.checkData(model, inputs, inputName, outputs, outputName);
        this.order = new ShuffledUpdates(sequences, batchSize);
        this.model = model;
        this.inputs = inputs;
        this.outputs = outputs;
        this.full = new Batch(this, order.fullSize());
        this.last = order.lastSize() == order.fullSize() ? full : new Batch(this, order.lastSize());
    }

    /** Number of sequences. */
    public int size() {
        return inputs.length;
    }

    /** The network the batches were built for. */
    public SequenceModel model() {
        return model;
    }

    /** Whether the targets are class labels (built by a factory method that takes a {@link Classifier}). */
    public boolean hasLabels() {
        return outputs instanceof int[][];
    }

    /**
     * What {@link #forEachOutput} hands over: each output row the network computed, with its
     * target, in the network's precision. A visitor implements the forms its data can have (class
     * labels or dense targets, float64 or float32); the others refuse.
     */
    public interface OutputVisitor {
        /** A classifier's probabilities for one row (never to be kept: the array is reused) and its label. */
        default void row(double[] probabilities, int label) {
            throw new UnsupportedOperationException("this visitor takes dense targets, not class labels");
        }

        /** {@link #row(double[], int)} for a float32 network. */
        default void row(float[] probabilities, int label) {
            throw new UnsupportedOperationException("this visitor takes dense targets, not class labels");
        }

        /** One row of predictions (never to be kept) and its dense target row. */
        default void row(double[] predictions, double[] targets) {
            throw new UnsupportedOperationException("this visitor takes class labels, not dense targets");
        }

        /** {@link #row(double[], double[])} for a float32 network. */
        default void row(float[] predictions, float[] targets) {
            throw new UnsupportedOperationException("this visitor takes class labels, not dense targets");
        }
    }

    /**
     * Runs the network forward over every sequence, in the order they were given (not the
     * epoch's shuffled one), as masked batches of the batch size, and hands each output row the
     * network computed to {@code visitor} with its target: one row per step of each sequence, or
     * one per sequence for many-to-one. Rows past a sequence's end, which a masked batch computes
     * for no sequence, are never handed over. Gradients and weights are not touched. The metrics
     * of {@code dev.unfold.runtime.metrics} are computed this way.
     *
     * <p>Each sequence starts from a zero state. A network that is stateful (as training on
     * {@link StreamChunks} leaves it between epochs) is made stateless for the pass and then given
     * back its flag, carried state and streams, so that the stream it was on goes on as before.
     */
    public void forEachOutput(OutputVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        SetAsideState setAside = SetAsideState.of(model);
        try {
            int batchSize = order.batchSize();
            for (int first = 0; first < inputs.length; first += batchSize) {
                forward(first, Math.min(batchSize, inputs.length - first), visitor);
            }
        } finally {
            setAside.putBack();
        }
    }

    /**
     * A stateful network's flag, carried state and streams, set aside so that a pass over whole
     * sequences starts each from a zero state and leaves the stream the network was on as it was.
     * Training on {@link StreamChunks} leaves a network stateful between epochs, when validation
     * data of whole sequences is scored.
     */
    private static final class SetAsideState {
        private static final SetAsideState NOTHING = new SetAsideState(null, null, null);

        private final Streaming network;
        private final double[] carried;
        private final double[][] streams;

        private SetAsideState(Streaming network, double[] carried, double[][] streams) {
            this.network = network;
            this.carried = carried;
            this.streams = streams;
        }

        /** Sets the model's state aside if it is stateful; allocates nothing if it is not. */
        static SetAsideState of(SequenceModel model) {
            if (!(model instanceof Streaming streaming) || !streaming.isStateful()) {
                return NOTHING;
            }
            double[] carried = new double[streaming.stateSize()];
            streaming.saveState(carried, 0);
            double[][] streams = new double[streaming.streamCount()][streaming.stateSize()];
            streaming.saveStates(streams);
            streaming.setStateful(false);
            return new SetAsideState(streaming, carried, streams);
        }

        void putBack() {
            if (network != null) {
                network.restoreState(carried, 0);
                network.restoreStates(streams);
                network.setStateful(true);
            }
        }
    }

    /** One batch of {@link #forEachOutput}: sequences {@code first} to {@code first + count − 1}. */
    private void forward(int first, int count, OutputVisitor visitor) {
        Object[] batch = java.util.Arrays.copyOfRange(inputs, first, first + count);
        if (model.precision() == Precision.FLOAT32) {
            float[][][] ys = new float[count][][];
            for (int b = 0; b < count; b++) {
                ys[b] = new float[model.outputSteps(steps(batch[b]))][model.outputSize()];
            }
            floatForward(batch, ys);
            for (int b = 0; b < count; b++) {
                visitRows(ys[b], outputs[first + b], visitor);
            }
        } else {
            double[][][] ys = new double[count][][];
            for (int b = 0; b < count; b++) {
                ys[b] = new double[model.outputSteps(steps(batch[b]))][model.outputSize()];
            }
            doubleForward(batch, ys);
            for (int b = 0; b < count; b++) {
                visitRows(ys[b], outputs[first + b], visitor);
            }
        }
    }

    private static int steps(Object sequence) {
        return sequence instanceof int[] tokens ? tokens.length : ((Object[]) sequence).length;
    }

    private void doubleForward(Object[] batch, double[][][] ys) {
        if (batch instanceof int[][] tokens) {
            model.forward(tokens, ys);
        } else {
            model.forward((double[][][]) batch, ys);
        }
    }

    private void floatForward(Object[] batch, float[][][] ys) {
        if (batch instanceof int[][] tokens) {
            model.forward(tokens, ys);
        } else {
            model.forward((float[][][]) batch, ys);
        }
    }

    private static void visitRows(double[][] ys, Object targets, OutputVisitor visitor) {
        for (int t = 0; t < ys.length; t++) {
            if (targets instanceof int[] labels) {
                visitor.row(ys[t], labels[t]);
            } else {
                visitor.row(ys[t], ((double[][]) targets)[t]);
            }
        }
    }

    private static void visitRows(float[][] ys, Object targets, OutputVisitor visitor) {
        for (int t = 0; t < ys.length; t++) {
            if (targets instanceof int[] labels) {
                visitor.row(ys[t], labels[t]);
            } else {
                visitor.row(ys[t], ((float[][]) targets)[t]);
            }
        }
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
        return batchBackward(batch.inputs(), batch.outputs());
    }

    /** The network's batched backward for the batch's types of inputs and outputs. */
    private double batchBackward(Object[] inputs, Object[] outputs) {
        if (outputs instanceof int[][] labels) {
            Classifier classifier = (Classifier) model;   // only a classifier's factory methods take labels
            if (inputs instanceof int[][] tokens) {
                return classifier.backward(tokens, labels);
            }
            return inputs instanceof float[][][] xs ? classifier.backward(xs, labels)
                    : classifier.backward((double[][][]) inputs, labels);
        }
        if (outputs instanceof float[][][] targets) {
            return inputs instanceof int[][] tokens ? model.backward(tokens, targets)
                    : model.backward((float[][][]) inputs, targets);
        }
        double[][][] targets = (double[][][]) outputs;
        return inputs instanceof int[][] tokens ? model.backward(tokens, targets)
                : model.backward((double[][][]) inputs, targets);
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    @Override
    public double loss(int update) {
        SetAsideState setAside = SetAsideState.of(model);   // each sequence scored from a zero state
        try {
            return eachAlone(update, false);
        } finally {
            setAside.putBack();
        }
    }

    /** The summed loss of the update's sequences one by one, with their gradients if asked. */
    private double eachAlone(int update, boolean gradients) {
        double loss = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            int s = order.example(i);
            loss += single(inputs[s], outputs[s], gradients);
        }
        return loss;
    }

    /** One sequence's backward pass, or its loss alone, for its types of input and output. */
    private double single(Object input, Object output, boolean gradients) {
        if (output instanceof int[] labels) {
            Classifier classifier = (Classifier) model;
            if (input instanceof int[] tokens) {
                return gradients ? classifier.backward(tokens, labels) : classifier.loss(tokens, labels);
            }
            if (input instanceof float[][] xs) {
                return gradients ? classifier.backward(xs, labels) : classifier.loss(xs, labels);
            }
            double[][] xs = (double[][]) input;
            return gradients ? classifier.backward(xs, labels) : classifier.loss(xs, labels);
        }
        if (output instanceof float[][] targets) {
            if (input instanceof int[] tokens) {
                return gradients ? model.backward(tokens, targets) : model.loss(tokens, targets);
            }
            float[][] xs = (float[][]) input;
            return gradients ? model.backward(xs, targets) : model.loss(xs, targets);
        }
        double[][] targets = (double[][]) output;
        if (input instanceof int[] tokens) {
            return gradients ? model.backward(tokens, targets) : model.loss(tokens, targets);
        }
        double[][] xs = (double[][]) input;
        return gradients ? model.backward(xs, targets) : model.loss(xs, targets);
    }

    @Override
    public int outputs(int update) {
        int rows = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            Object output = outputs[order.example(i)];
            rows += output instanceof int[] labels ? labels.length : ((Object[]) output).length;
        }
        return rows;
    }

    private Batch gather(int update) {
        int first = order.first(update);
        int end = order.end(update);
        Batch batch = order.isFull(update) ? full : last;
        for (int i = first; i < end; i++) {
            int s = order.example(i);
            batch.inputs()[i - first] = inputs[s];
            batch.outputs()[i - first] = outputs[s];
        }
        return batch;
    }
}
