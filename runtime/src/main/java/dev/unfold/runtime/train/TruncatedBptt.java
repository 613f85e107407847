package dev.unfold.runtime.train;

import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.Precisions;
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
 */
public class TruncatedBptt {
    private final Streaming model;
    private final int length;
    /** A chunk's copies: one set for whole chunks of k, one for the shorter last chunk of a stream. */
    private final Copies whole;
    private Copies shorter;
    private Copies current;

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
    }
}
