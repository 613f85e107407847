package dev.unfold.runtime.train;

import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.Precisions;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * Truncated backpropagation through time over a stream too long for one pass: the stream is cut
 * into chunks of k steps; each chunk starts from the state the previous one ended in (so the
 * forward pass sees the whole history) but its gradient stops at that state (so BPTT goes back at
 * most k steps, k1 = k2 = k). One optimizer step per chunk is the usual way to train a character
 * model on a long text:
 *
 * <pre>
 * TruncatedBptt.OfClassifier chunks = new TruncatedBptt.OfClassifier(net, 50);
 * chunks.restart();
 * for (int c = 0; c &lt; chunks.count(text.length - 1); c++) {
 *     net.parameters().zeroGradients();
 *     loss += chunks.backward(inputs, labels, c);
 *     optimizer.step();
 * }
 * </pre>
 *
 * With k equal to the stream's length this is exactly full BPTT. The chunks are copied into
 * arrays kept here, so after the first chunk of each length nothing is allocated.
 *
 * <p>Many streams at once: given B streams of equal length ({@code double[][][]},
 * {@code float[][][]}, or {@code int[][]} tokens with labels), chunk c of every stream runs as one
 * stateful batch (see {@link Streaming#setStateful}), each stream carrying its own state to its next
 * chunk, one update per chunk for all of them: the way language models are trained on a GPU, and
 * many times the tokens per second of one stream here too. The loss of such a chunk, without the
 * gradients ({@link #loss(double[][][], double[][][], int)}), runs the streams one after another
 * from states it keeps itself, apart from those {@code backward} carries in the network: evaluate
 * with a TruncatedBptt of its own (as {@link dev.unfold.runtime.data.StreamChunks} does).
 */
public class TruncatedBptt {
    private final Streaming model;
    private final int length;
    /** A chunk's copies: one set for whole chunks of k, one for the shorter last chunk of a stream. */
    private final Copies whole;
    private Copies shorter;
    private Copies current;
    /** A batched chunk's copies, as above: whole chunks of k, and the streams' shorter last chunk. */
    private StreamCopies wholeStreams;
    private StreamCopies shorterStreams;
    private StreamCopies currentStreams;
    /**
     * The states the loss over many streams carries from chunk to chunk, one per stream; the first
     * {@code lossStreams} are in use (0 after {@link #restart()}: the next loss starts from zero).
     */
    private double[][] lossStates = new double[0][];
    private int lossStreams;

    /**
     * A chunk's rows: tokens and labels, or references to dense rows, {@code double[]} or
     * {@code float[]} as the network's precision is (the other pair is null).
     */
    private static final class Copies {
        final int[] tokens;
        final int[] labels;
        final double[][] inputs;
        final double[][] targets;
        final float[][] floatInputs;
        final float[][] floatTargets;

        Copies(int steps, Precision precision) {
            boolean doubles = precision == Precision.FLOAT64;
            tokens = new int[steps];
            labels = new int[steps];
            inputs = doubles ? new double[steps][] : null;
            targets = doubles ? new double[steps][] : null;
            floatInputs = doubles ? null : new float[steps][];
            floatTargets = doubles ? null : new float[steps][];
        }
    }

    /** A batched chunk's rows: stream b's tokens and labels, or references to its dense rows. */
    private static final class StreamCopies {
        final int[][] tokens;
        final int[][] labels;
        final double[][][] inputs;
        final double[][][] targets;
        final float[][][] floatInputs;
        final float[][][] floatTargets;
        final int steps;

        StreamCopies(int streams, int steps, Precision precision) {
            boolean doubles = precision == Precision.FLOAT64;
            this.steps = steps;
            tokens = new int[streams][steps];
            labels = new int[streams][steps];
            inputs = doubles ? new double[streams][steps][] : null;
            targets = doubles ? new double[streams][steps][] : null;
            floatInputs = doubles ? null : new float[streams][steps][];
            floatTargets = doubles ? null : new float[streams][steps][];
        }

        boolean fits(int streams, int steps) {
            return tokens.length == streams && this.steps == steps;
        }
    }

    /**
     * Truncated BPTT with dense targets ({@link #backward(double[][], double[][], int)}, or
     * {@link #backward(float[][], float[][], int)} for a float32 network); a classifier's token
     * streams with class labels take {@link OfClassifier}, for either precision.
     *
     * @param model a many-to-many network that carries state
     * @param chunkLength k, the steps per chunk and the furthest BPTT reaches back
     */
    public TruncatedBptt(Streaming model, int chunkLength) {
        Objects.requireNonNull(model, "model");
        if (model.mapping() != Mapping.MANY_TO_MANY) {
            throw new IllegalArgumentException("truncated BPTT needs one output per step (MANY_TO_MANY), but "
                    + model.getClass().getSimpleName() + " has " + model.mapping());
        }
        this.model = model;
        this.length = (int) Checks.atLeastOne("chunk length", chunkLength);
        this.whole = new Copies(length, model.precision());
        this.shorter = new Copies(0, model.precision());
    }

    /** k, the steps per chunk. */
    public int chunkLength() {
        return length;
    }

    /** Number of chunks in a stream of {@code steps} steps; the last may be shorter than k. */
    public int count(int steps) {
        Checks.nonNegative("steps", steps);
        return (int) ((steps + (long) length - 1) / length);
    }

    /**
     * Starts a stream: the network becomes stateful and forgets its carried state. Call before the
     * first chunk of every pass over a stream.
     */
    public void restart() {
        model.setStateful(true);
        model.resetState();
        lossStreams = 0;
    }

    /**
     * Forward and truncated BPTT over chunk {@code chunk} of a stream of dense inputs and targets,
     * continuing from the state the previous chunk ended in: adds the chunk's gradient and returns
     * its loss. Chunks must come in order after {@link #restart()}.
     */
    public double backward(double[][] xs, double[][] targets, int chunk) {
        Precisions.require(model, Precision.FLOAT64, "backward");
        return model.backward(inputs(xs, targets, chunk), current.targets);
    }

    /** {@link #backward(double[][], double[][], int)}'s loss, without touching the gradients. */
    public double loss(double[][] xs, double[][] targets, int chunk) {
        Precisions.require(model, Precision.FLOAT64, "loss");
        return model.loss(inputs(xs, targets, chunk), current.targets);
    }

    /** {@link #backward(double[][], double[][], int)} for a float32 network. */
    public double backward(float[][] xs, float[][] targets, int chunk) {
        Precisions.require(model, Precision.FLOAT32, "backward");
        return model.backward(inputs(xs, targets, chunk), current.floatTargets);
    }

    /** {@link #loss(double[][], double[][], int)} for a float32 network. */
    public double loss(float[][] xs, float[][] targets, int chunk) {
        Precisions.require(model, Precision.FLOAT32, "loss");
        return model.loss(inputs(xs, targets, chunk), current.floatTargets);
    }

    /**
     * Forward and truncated BPTT over chunk {@code chunk} of every one of B streams of dense inputs
     * and targets, as one stateful batch: stream b continues from the state its previous chunk ended
     * in. Adds the chunk's gradient summed over the streams and returns their summed loss. The
     * streams have equal lengths; chunks must come in order after {@link #restart()}.
     */
    public double backward(double[][][] xs, double[][][] targets, int chunk) {
        Precisions.require(model, Precision.FLOAT64, "backward");
        return model.backward(streamInputs(xs, targets, chunk), currentStreams.targets);
    }

    /**
     * {@link #backward(double[][][], double[][][], int)}'s loss, without touching the gradients:
     * the streams run one after another, each from the state its previous chunk's loss ended in.
     */
    public double loss(double[][][] xs, double[][][] targets, int chunk) {
        Precisions.require(model, Precision.FLOAT64, "loss");
        double[][][] inputs = streamInputs(xs, targets, chunk);
        double loss = 0;
        for (int b = startLoss(inputs.length); b < inputs.length; b++) {
            model.restoreState(lossStates[b], 0);
            loss += model.loss(inputs[b], currentStreams.targets[b]);
            model.saveState(lossStates[b], 0);
        }
        return loss;
    }

    /** {@link #backward(double[][][], double[][][], int)} for a float32 network. */
    public double backward(float[][][] xs, float[][][] targets, int chunk) {
        Precisions.require(model, Precision.FLOAT32, "backward");
        return model.backward(streamInputs(xs, targets, chunk), currentStreams.floatTargets);
    }

    /** {@link #loss(double[][][], double[][][], int)} for a float32 network. */
    public double loss(float[][][] xs, float[][][] targets, int chunk) {
        Precisions.require(model, Precision.FLOAT32, "loss");
        float[][][] inputs = streamInputs(xs, targets, chunk);
        double loss = 0;
        for (int b = startLoss(inputs.length); b < inputs.length; b++) {
            model.restoreState(lossStates[b], 0);
            loss += model.loss(inputs[b], currentStreams.floatTargets[b]);
            model.saveState(lossStates[b], 0);
        }
        return loss;
    }

    /**
     * Gets the loss's own states ready for a chunk of {@code streams} streams: zero for the first
     * after {@link #restart()}; the same number of streams after that. Returns 0, the first stream.
     */
    private int startLoss(int streams) {
        if (lossStreams == 0) {
            if (lossStates.length < streams) {
                lossStates = new double[streams][model.stateSize()];
            }
            for (int b = 0; b < streams; b++) {
                Arrays.fill(lossStates[b], 0.0);
            }
            lossStreams = streams;
        } else if (lossStreams != streams) {
            throw streamCountChanged(lossStreams, streams);
        }
        return 0;
    }

    private static IllegalArgumentException streamCountChanged(int carried, int given) {
        return new IllegalArgumentException("the chunk has " + given + " streams but the previous chunks had "
                + carried + ", expected " + carried + ": call restart() to start " + given + " new streams");
    }

    private int[][] streamTokens(int[][] tokens, int[][] labels, int chunk) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(labels, "labels");
        requireStateful();
        int from = startOfStreams(tokens, labels, chunk);
        int steps = streamCopiesFor(tokens.length, tokens[0].length - from);
        for (int b = 0; b < tokens.length; b++) {
            System.arraycopy(tokens[b], from, currentStreams.tokens[b], 0, steps);
            System.arraycopy(labels[b], from, currentStreams.labels[b], 0, steps);
        }
        return currentStreams.tokens;
    }

    private double[][][] streamInputs(double[][][] xs, double[][][] targets, int chunk) {
        Objects.requireNonNull(xs, "xs");
        Objects.requireNonNull(targets, "targets");
        requireStateful();
        int from = startOfStreams(xs, targets, chunk);
        int steps = streamCopiesFor(xs.length, xs[0].length - from);
        for (int b = 0; b < xs.length; b++) {
            System.arraycopy(xs[b], from, currentStreams.inputs[b], 0, steps);
            System.arraycopy(targets[b], from, currentStreams.targets[b], 0, steps);
        }
        return currentStreams.inputs;
    }

    private float[][][] streamInputs(float[][][] xs, float[][][] targets, int chunk) {
        Objects.requireNonNull(xs, "xs");
        Objects.requireNonNull(targets, "targets");
        requireStateful();
        int from = startOfStreams(xs, targets, chunk);
        int steps = streamCopiesFor(xs.length, xs[0].length - from);
        for (int b = 0; b < xs.length; b++) {
            System.arraycopy(xs[b], from, currentStreams.floatInputs[b], 0, steps);
            System.arraycopy(targets[b], from, currentStreams.floatTargets[b], 0, steps);
        }
        return currentStreams.floatInputs;
    }

    /** Chooses the copies for a chunk of {@code streams} streams with {@code remaining} steps left; returns its length. */
    private int streamCopiesFor(int streams, int remaining) {
        int steps = Math.min(length, remaining);
        if (steps == length) {
            if (wholeStreams == null || !wholeStreams.fits(streams, steps)) {
                wholeStreams = new StreamCopies(streams, steps, model.precision());   // once per stream count
            }
            currentStreams = wholeStreams;
        } else {
            if (shorterStreams == null || !shorterStreams.fits(streams, steps)) {
                shorterStreams = new StreamCopies(streams, steps, model.precision());   // once per stream length
            }
            currentStreams = shorterStreams;
        }
        return steps;
    }

    /**
     * Checks B streams of inputs and their targets (arrays of per-stream arrays): at least one
     * stream, a target stream per input stream, every stream as long as the first and its targets,
     * and the chunk within them. Returns where the chunk starts.
     */
    private int startOfStreams(Object[] inputs, Object[] targets, int chunk) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("no streams: expected at least one");
        }
        if (inputs.length != targets.length) {
            throw new IllegalArgumentException("every stream needs its targets: " + inputs.length + " input streams, "
                    + targets.length + " target streams");
        }
        int steps = length(inputs, 0, "stream");
        for (int b = 0; b < inputs.length; b++) {
            int own = length(inputs, b, "stream");
            if (own != steps) {
                throw new IllegalArgumentException("stream " + b + " has " + own + " steps, expected " + steps
                        + " (every stream as long as the first)");
            }
            int targetSteps = length(targets, b, "the targets of stream");
            if (targetSteps != steps) {
                throw new IllegalArgumentException("stream " + b + " needs one target per input: " + steps
                        + " inputs, " + targetSteps + " targets");
            }
        }
        return start(steps, steps, chunk);
    }

    /** The length of {@code arrays[b]}, an array of any type; a null one is refused, named (what, b). */
    private static int length(Object[] arrays, int b, String what) {
        if (arrays[b] == null) {   // not requireNonNull: its message would be built on every call
            throw new NullPointerException(what + " " + b + " is null");
        }
        return Array.getLength(arrays[b]);
    }

    private int[] tokens(int[] tokens, int[] labels, int chunk) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(labels, "labels");
        requireStateful();
        int from = start(tokens.length, labels.length, chunk);
        int steps = copiesFor(tokens.length - from);
        System.arraycopy(tokens, from, current.tokens, 0, steps);
        System.arraycopy(labels, from, current.labels, 0, steps);
        return current.tokens;
    }

    private double[][] inputs(double[][] xs, double[][] targets, int chunk) {
        Objects.requireNonNull(xs, "xs");
        Objects.requireNonNull(targets, "targets");
        requireStateful();
        int from = start(xs.length, targets.length, chunk);
        int steps = copiesFor(xs.length - from);
        System.arraycopy(xs, from, current.inputs, 0, steps);
        System.arraycopy(targets, from, current.targets, 0, steps);
        return current.inputs;
    }

    private float[][] inputs(float[][] xs, float[][] targets, int chunk) {
        Objects.requireNonNull(xs, "xs");
        Objects.requireNonNull(targets, "targets");
        requireStateful();
        int from = start(xs.length, targets.length, chunk);
        int steps = copiesFor(xs.length - from);
        System.arraycopy(xs, from, current.floatInputs, 0, steps);
        System.arraycopy(targets, from, current.floatTargets, 0, steps);
        return current.floatInputs;
    }

    /** Chooses the copies for a chunk with {@code remaining} steps left in the stream; returns its length. */
    private int copiesFor(int remaining) {
        int steps = Math.min(length, remaining);
        if (steps == length) {
            current = whole;
        } else {
            if (shorter.tokens.length != steps) {
                shorter = new Copies(steps, model.precision());   // once per stream length
            }
            current = shorter;
        }
        return steps;
    }

    private int start(int inputs, int targets, int chunk) {
        if (inputs != targets) {
            throw new IllegalArgumentException("a stream needs one target per input: " + inputs + " inputs, "
                    + targets + " targets");
        }
        if (chunk < 0 || chunk >= count(inputs)) {
            throw new IllegalArgumentException("chunk " + chunk + " is outside the stream's " + count(inputs)
                    + " chunks of " + length + " steps (" + inputs + " steps)");
        }
        return chunk * length;
    }

    private void requireStateful() {
        if (!model.isStateful()) {
            throw new IllegalStateException("call restart() before the first chunk: the network is not stateful, "
                    + "so chunks would not continue from each other");
        }
    }

    /**
     * Truncated BPTT over a token stream with one class label per token: a language model's or a
     * tagger's stream. Class labels need a {@link Classifier}, so only one can be chunked this way.
     */
    public static final class OfClassifier extends TruncatedBptt {
        private final Classifier classifier;

        /**
         * @param model a many-to-many classifier that carries state
         * @param chunkLength k, the steps per chunk and the furthest BPTT reaches back
         */
        public <M extends Streaming & Classifier> OfClassifier(M model, int chunkLength) {
            super(model, chunkLength);
            this.classifier = model;
        }

        /**
         * Forward and truncated BPTT over chunk {@code chunk} of a token stream, continuing from the
         * state the previous chunk ended in: adds the chunk's gradient and returns its loss. Chunks must
         * come in order after {@link #restart()}.
         *
         * @param tokens the whole stream's inputs
         * @param labels the whole stream's labels, one per input (for a language model, the next token)
         */
        public double backward(int[] tokens, int[] labels, int chunk) {
            return classifier.backward(super.tokens(tokens, labels, chunk), super.current.labels);
        }

        /** {@link #backward(int[], int[], int)}'s loss, without touching the gradients. */
        public double loss(int[] tokens, int[] labels, int chunk) {
            return classifier.loss(super.tokens(tokens, labels, chunk), super.current.labels);
        }

        /**
         * Forward and truncated BPTT over chunk {@code chunk} of every one of B token streams of equal
         * length, as one stateful batch (see {@link TruncatedBptt#backward(double[][][], double[][][], int)}):
         * adds the chunk's gradient summed over the streams and returns their summed loss.
         *
         * @param tokens each stream's inputs
         * @param labels each stream's labels, one per input
         */
        public double backward(int[][] tokens, int[][] labels, int chunk) {
            return classifier.backward(super.streamTokens(tokens, labels, chunk), super.currentStreams.labels);
        }

        /**
         * {@link #backward(int[][], int[][], int)}'s loss, without touching the gradients: the streams
         * run one after another, each from the state its previous chunk's loss ended in.
         */
        public double loss(int[][] tokens, int[][] labels, int chunk) {
            int[][] inputs = super.streamTokens(tokens, labels, chunk);
            double loss = 0;
            for (int b = super.startLoss(inputs.length); b < inputs.length; b++) {
                super.model.restoreState(super.lossStates[b], 0);
                loss += classifier.loss(inputs[b], super.currentStreams.labels[b]);
                super.model.saveState(super.lossStates[b], 0);
            }
            return loss;
        }
    }
}
