package dev.unfold.runtime.internal;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;
import java.util.Objects;

/**
 * Argument checks for the batched calls of {@link SequenceModel}, the sequences' lengths for a
 * masked batch, and the interface's default way to run a batch: one sequence after another. Errors
 * name the sequence as well as what the single-sequence check says about it.
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

    /**
     * Checks that a stateful batch continues the streams the network carries: one sequence per
     * stream. With no streams carried (a new network, or after resetState) any batch starts them.
     */
    public static void streamCount(boolean stateful, int streams, int batch) {
        if (stateful && streams != 0 && streams != batch) {
            throw new IllegalArgumentException("the batch has " + batch + " sequences but the network carries "
                    + streams + " streams from its last stateful batch, expected " + streams
                    + ": give one sequence per stream, or call resetState() to start " + batch + " new streams");
        }
    }

    /**
     * Checks the argument {@code name} that saveStates writes the carried streams' states into:
     * exactly {@code streams} arrays, each of at least {@code size} values.
     */
    public static void streamStates(String name, double[][] states, int streams, int size) {
        Objects.requireNonNull(states, name);
        if (states.length != streams) {
            throw new IllegalArgumentException(name + " has " + states.length + " arrays, expected " + streams
                    + " (one per stream the network carries: streamCount())");
        }
        for (int b = 0; b < streams; b++) {
            stateRow(name, states, b, size);
        }
    }

    /**
     * Checks what restoreStates was given: one state per stream (none forgets the streams), each of
     * {@code size} finite values. Returns the number of streams.
     */
    public static int restoredStreams(double[][] states, int size) {
        Objects.requireNonNull(states, "from");
        finiteStates("from", states, states.length, size);
        return states.length;
    }

    /** Checks that setContexts gave one context per sequence of the batch. */
    public static void contextCount(int contexts, int batch) {
        if (contexts != batch) {
            throw new IllegalArgumentException("the batch has " + batch + " sequences but setContexts gave "
                    + contexts + " contexts: give one context per sequence before a batched call");
        }
    }

    /** Checks that setInitialStates, if it gave any, gave one state per sequence of the batch. */
    public static void initialStateCount(int states, int batch) {
        if (states != 0 && states != batch) {
            throw new IllegalArgumentException("the batch has " + batch + " sequences but setInitialStates gave "
                    + states + " states: give one state per sequence, or null for zero states");
        }
    }

    /**
     * Checks the argument {@code name}, where a state is written for each of the batch's
     * {@code batch} sequences: at least that many arrays, each of at least {@code size} values.
     */
    public static void states(String name, double[][] states, int batch, int size) {
        Objects.requireNonNull(states, name);
        if (states.length < batch) {
            throw new IllegalArgumentException(name + " has " + states.length + " arrays, expected at least " + batch
                    + " (one per sequence of the batch)");
        }
        for (int b = 0; b < batch; b++) {
            stateRow(name, states, b, size);
        }
    }

    /**
     * Checks the argument {@code name}, a state for each of the batch's {@code batch} sequences that is
     * read (an initial state, or the gradient of a final one): exactly one per sequence, each of
     * {@code size} finite values.
     */
    public static void finiteStates(String name, double[][] states, int batch, int size) {
        Objects.requireNonNull(states, name);
        if (states.length != batch) {
            throw new IllegalArgumentException(name + " has " + states.length + " states, expected " + batch
                    + " (one per sequence of the batch)");
        }
        for (int b = 0; b < batch; b++) {
            double[] state = stateRow(name, states, b, size);
            int j = Checks.firstNonFinite(state, 0, size);
            if (j >= 0) {
                throw new IllegalArgumentException(name + "[" + b + "][" + j + "] is " + state[j]
                        + ": a state must be finite");
            }
        }
    }

    /**
     * Checks what setInitialStates was given: at least one state (null, not an empty array, means
     * zero states), each of {@code size} finite values.
     */
    public static void initialStates(double[][] states, int size) {
        Objects.requireNonNull(states, "states");
        if (states.length == 0) {
            throw new IllegalArgumentException("states is empty: give one state per sequence of the batches to come,"
                    + " or null for zero states");
        }
        finiteStates("states", states, states.length, size);
    }

    private static double[] stateRow(String name, double[][] states, int b, int size) {
        double[] state = states[b];
        if (state == null) {
            throw new IllegalArgumentException(name + "[" + b + "] is null");
        }
        if (state.length < size) {
            throw new IllegalArgumentException(name + "[" + b + "] has " + state.length + " values, expected " + size
                    + " (the network's state size)");
        }
        return state;
    }

    /** Checks a batch of dense sequences, which may differ in length; returns the longest length T. */
    public static int longest(double[][][] xs, int width) {
        return checkedLongest(xs, width);
    }

    /** {@link #longest(double[][][], int)} for a float32 network. */
    public static int longest(float[][][] xs, int width) {
        return checkedLongest(xs, width);
    }

    private static int checkedLongest(Object[][] xs, int width) {
        count(xs, "xs");
        int longest = 0;
        for (int b = 0; b < xs.length; b++) {
            try {
                longest = Math.max(longest, xs[b] instanceof float[][] floats ? Checks.sequence(floats, width)
                        : Checks.sequence((double[][]) xs[b], width));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
        return longest;
    }

    /** Checks a batch of token sequences, which may differ in length; returns the longest length T. */
    public static int longest(int[][] tokens, int vocabulary) {
        count(tokens, "tokens");
        int longest = 0;
        for (int b = 0; b < tokens.length; b++) {
            try {
                longest = Math.max(longest, Checks.tokens(tokens[b], vocabulary));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
        return longest;
    }

    /**
     * Writes each sequence's length into {@code lengths} (the lanes past the batch get the longest,
     * {@code steps}, so nothing ever ends in them) and returns the shortest length.
     */
    public static int lengths(double[][][] xs, int steps, int[] lengths, int lanes) {
        return sequenceLengths(xs, steps, lengths, lanes);
    }

    /** {@link #lengths(double[][][], int, int[], int)} for a float32 network. */
    public static int lengths(float[][][] xs, int steps, int[] lengths, int lanes) {
        return sequenceLengths(xs, steps, lengths, lanes);
    }

    private static int sequenceLengths(Object[][] xs, int steps, int[] lengths, int lanes) {
        int shortest = steps;
        for (int b = 0; b < xs.length; b++) {
            lengths[b] = xs[b].length;
            shortest = Math.min(shortest, lengths[b]);
        }
        java.util.Arrays.fill(lengths, xs.length, lanes, steps);
        return shortest;
    }

    /** {@link #lengths(double[][][], int, int[], int)} for token sequences. */
    public static int lengths(int[][] tokens, int steps, int[] lengths, int lanes) {
        int shortest = steps;
        for (int b = 0; b < tokens.length; b++) {
            lengths[b] = tokens[b].length;
            shortest = Math.min(shortest, lengths[b]);
        }
        java.util.Arrays.fill(lengths, tokens.length, lanes, steps);
        return shortest;
    }

    /**
     * Checks {@code model}'s output buffers for a batch of checked input sequences ({@code double[][]}
     * or {@code int[]}): one per sequence, of the rows the model gives it
     * ({@link SequenceModel#outputSteps}), each of its output size. Needs no lengths noted
     * beforehand, so a batched call can check everything before it changes anything.
     */
    public static void outputs(SequenceModel model, double[][][] ys, Object[] inputs) {
        checkedOutputs(model, ys, inputs);
    }

    /** {@link #outputs(SequenceModel, double[][][], Object[])} for a float32 network. */
    public static void outputs(SequenceModel model, float[][][] ys, Object[] inputs) {
        checkedOutputs(model, ys, inputs);
    }

    private static void checkedOutputs(SequenceModel model, Object[][] ys, Object[] inputs) {
        sameCount(ys, "ys", inputs.length);
        for (int b = 0; b < inputs.length; b++) {
            try {
                int rows = model.outputSteps(steps(inputs[b]));
                if (ys[b] instanceof float[][] floats) {
                    Checks.outputs(floats, rows, model.outputSize());
                } else {
                    Checks.outputs((double[][]) ys[b], rows, model.outputSize());
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
    }

    /** Checks {@code model}'s dense targets for a batch of checked input sequences, as {@link #outputs}. */
    public static void targets(SequenceModel model, double[][][] targets, Object[] inputs) {
        checkedTargets(model, targets, inputs);
    }

    /** {@link #targets(SequenceModel, double[][][], Object[])} for a float32 network. */
    public static void targets(SequenceModel model, float[][][] targets, Object[] inputs) {
        checkedTargets(model, targets, inputs);
    }

    private static void checkedTargets(SequenceModel model, Object[][] targets, Object[] inputs) {
        sameCount(targets, "targets", inputs.length);
        for (int b = 0; b < inputs.length; b++) {
            try {
                targetRows(targets[b], model.outputSteps(steps(inputs[b])), model.outputSize());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
    }

    /** Checks {@code model}'s class labels for a batch of checked input sequences, as {@link #outputs}. */
    public static void labels(SequenceModel model, int[][] labels, Object[] inputs) {
        sameCount(labels, "labels", inputs.length);
        for (int b = 0; b < inputs.length; b++) {
            try {
                Checks.labels(labels[b], model.outputSteps(steps(inputs[b])), model.outputSize());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
    }

    /** The steps of a checked sequence: a dense one's rows or a token sequence's tokens. */
    private static int steps(Object sequence) {
        return sequence instanceof int[] tokens ? tokens.length : ((Object[]) sequence).length;
    }

    /** {@link Checks#targets} for a sequence's dense targets of either precision. */
    private static void targetRows(Object targets, int rows, int width) {
        if (targets instanceof float[][] floats) {
            Checks.targets(floats, rows, width);
        } else {
            Checks.targets((double[][]) targets, rows, width);
        }
    }

    /**
     * {@code model.forward(xs[b], ys[b])} for every sequence, in order, once the whole batch is
     * checked: a refused batch writes nothing.
     */
    public static void forwardEach(SequenceModel model, double[][][] xs, double[][][] ys) {
        Precisions.require(model, Precision.FLOAT64, "forward");
        longest(xs, model.inputSize());
        outputs(model, ys, xs);
        each(model, xs, ys, false);
    }

    /** {@link #forwardEach(SequenceModel, double[][][], double[][][])} for a float32 network. */
    public static void forwardEach(SequenceModel model, float[][][] xs, float[][][] ys) {
        Precisions.require(model, Precision.FLOAT32, "forward");
        longest(xs, model.inputSize());
        outputs(model, ys, xs);
        each(model, xs, ys, false);
    }

    /** {@code model.forward(tokens[b], ys[b])} for every sequence, in order, once the whole batch is checked. */
    public static void forwardEach(SequenceModel model, int[][] tokens, double[][][] ys) {
        Precisions.require(model, Precision.FLOAT64, "forward");
        longest(tokens, model.inputSize());
        outputs(model, ys, tokens);
        each(model, tokens, ys, false);
    }

    /** {@link #forwardEach(SequenceModel, int[][], double[][][])} for a float32 network. */
    public static void forwardEach(SequenceModel model, int[][] tokens, float[][][] ys) {
        Precisions.require(model, Precision.FLOAT32, "forward");
        longest(tokens, model.inputSize());
        outputs(model, ys, tokens);
        each(model, tokens, ys, false);
    }

    /**
     * The sum of {@code model.backward(xs[b], targets[b])} over the sequences, in order, once the
     * whole batch is checked: a refused batch adds no gradient (one by one, a bad sequence found
     * late would leave the earlier ones' gradients behind).
     */
    public static double backwardEach(SequenceModel model, double[][][] xs, double[][][] targets) {
        Precisions.require(model, Precision.FLOAT64, "backward");
        longest(xs, model.inputSize());
        targets(model, targets, xs);
        return each(model, xs, targets, true);
    }

    /** {@link #backwardEach(SequenceModel, double[][][], double[][][])} for a float32 network. */
    public static double backwardEach(SequenceModel model, float[][][] xs, float[][][] targets) {
        Precisions.require(model, Precision.FLOAT32, "backward");
        longest(xs, model.inputSize());
        targets(model, targets, xs);
        return each(model, xs, targets, true);
    }

    /** The sum of {@code model.backward(xs[b], labels[b])} over the sequences, once the whole batch is checked. */
    public static double backwardEach(Classifier model, double[][][] xs, int[][] labels) {
        Precisions.require(model, Precision.FLOAT64, "backward");
        longest(xs, model.inputSize());
        labels(model, labels, xs);
        return each(model, xs, labels, true);
    }

    /** {@link #backwardEach(Classifier, double[][][], int[][])} for a float32 network. */
    public static double backwardEach(Classifier model, float[][][] xs, int[][] labels) {
        Precisions.require(model, Precision.FLOAT32, "backward");
        longest(xs, model.inputSize());
        labels(model, labels, xs);
        return each(model, xs, labels, true);
    }

    /** The sum of {@code model.backward(tokens[b], targets[b])} over the sequences, once the whole batch is checked. */
    public static double backwardEach(SequenceModel model, int[][] tokens, double[][][] targets) {
        Precisions.require(model, Precision.FLOAT64, "backward");
        longest(tokens, model.inputSize());
        targets(model, targets, tokens);
        return each(model, tokens, targets, true);
    }

    /** {@link #backwardEach(SequenceModel, int[][], double[][][])} for a float32 network. */
    public static double backwardEach(SequenceModel model, int[][] tokens, float[][][] targets) {
        Precisions.require(model, Precision.FLOAT32, "backward");
        longest(tokens, model.inputSize());
        targets(model, targets, tokens);
        return each(model, tokens, targets, true);
    }

    /** The sum of {@code model.backward(tokens[b], labels[b])} over the sequences, once the whole batch is checked. */
    public static double backwardEach(Classifier model, int[][] tokens, int[][] labels) {
        longest(tokens, model.inputSize());
        labels(model, labels, tokens);
        return each(model, tokens, labels, true);
    }

    /**
     * {@link #forwardEach(SequenceModel, double[][][], double[][][])} for a network that reads a
     * context and runs a batch one sequence at a time (it feeds its output back): sequence b reads
     * {@code contexts[b]} of the {@code count} that setContexts gave, copied into the network's own
     * {@code context}, which is put back afterwards from {@code kept}.
     */
    public static void forwardEach(SequenceModel model, double[][][] xs, double[][][] ys, double[][] contexts, int count,
                                   double[] context, double[] kept) {
        longest(xs, model.inputSize());
        outputs(model, ys, xs);
        eachWithContext(model, xs, ys, false, contexts, count, context, kept);
    }

    /** {@link #forwardEach(SequenceModel, double[][][], double[][][], double[][], int, double[], double[])} for float32. */
    public static void forwardEach(SequenceModel model, float[][][] xs, float[][][] ys, float[][] contexts, int count,
                                   float[] context, float[] kept) {
        longest(xs, model.inputSize());
        outputs(model, ys, xs);
        eachWithContext(model, xs, ys, false, contexts, count, context, kept);
    }

    /** {@link #forwardEach(SequenceModel, double[][][], double[][][], double[][], int, double[], double[])} for tokens. */
    public static void forwardEach(SequenceModel model, int[][] tokens, double[][][] ys, double[][] contexts, int count,
                                   double[] context, double[] kept) {
        longest(tokens, model.inputSize());
        outputs(model, ys, tokens);
        eachWithContext(model, tokens, ys, false, contexts, count, context, kept);
    }

    /** {@link #forwardEach(SequenceModel, int[][], double[][][], double[][], int, double[], double[])} for float32. */
    public static void forwardEach(SequenceModel model, int[][] tokens, float[][][] ys, float[][] contexts, int count,
                                   float[] context, float[] kept) {
        longest(tokens, model.inputSize());
        outputs(model, ys, tokens);
        eachWithContext(model, tokens, ys, false, contexts, count, context, kept);
    }

    /** {@link #backwardEach(SequenceModel, double[][][], double[][][])}, each sequence with its own context. */
    public static double backwardEach(SequenceModel model, double[][][] xs, double[][][] targets, double[][] contexts,
                                      int count, double[] context, double[] kept) {
        longest(xs, model.inputSize());
        targets(model, targets, xs);
        return eachWithContext(model, xs, targets, true, contexts, count, context, kept);
    }

    /** {@link #backwardEach(SequenceModel, float[][][], float[][][])}, each sequence with its own context. */
    public static double backwardEach(SequenceModel model, float[][][] xs, float[][][] targets, float[][] contexts,
                                      int count, float[] context, float[] kept) {
        longest(xs, model.inputSize());
        targets(model, targets, xs);
        return eachWithContext(model, xs, targets, true, contexts, count, context, kept);
    }

    /** {@link #backwardEach(Classifier, double[][][], int[][])}, each sequence with its own context. */
    public static double backwardEach(Classifier model, double[][][] xs, int[][] labels, double[][] contexts, int count,
                                      double[] context, double[] kept) {
        longest(xs, model.inputSize());
        labels(model, labels, xs);
        return eachWithContext(model, xs, labels, true, contexts, count, context, kept);
    }

    /** {@link #backwardEach(Classifier, float[][][], int[][])}, each sequence with its own context. */
    public static double backwardEach(Classifier model, float[][][] xs, int[][] labels, float[][] contexts, int count,
                                      float[] context, float[] kept) {
        longest(xs, model.inputSize());
        labels(model, labels, xs);
        return eachWithContext(model, xs, labels, true, contexts, count, context, kept);
    }

    /** {@link #backwardEach(SequenceModel, int[][], double[][][])}, each sequence with its own context. */
    public static double backwardEach(SequenceModel model, int[][] tokens, double[][][] targets, double[][] contexts,
                                      int count, double[] context, double[] kept) {
        longest(tokens, model.inputSize());
        targets(model, targets, tokens);
        return eachWithContext(model, tokens, targets, true, contexts, count, context, kept);
    }

    /** {@link #backwardEach(SequenceModel, int[][], float[][][])}, each sequence with its own context. */
    public static double backwardEach(SequenceModel model, int[][] tokens, float[][][] targets, float[][] contexts,
                                      int count, float[] context, float[] kept) {
        longest(tokens, model.inputSize());
        targets(model, targets, tokens);
        return eachWithContext(model, tokens, targets, true, contexts, count, context, kept);
    }

    /** {@link #backwardEach(Classifier, int[][], int[][])}, each sequence with its own context. */
    public static double backwardEach(Classifier model, int[][] tokens, int[][] labels, double[][] contexts, int count,
                                      double[] context, double[] kept) {
        longest(tokens, model.inputSize());
        labels(model, labels, tokens);
        return eachWithContext(model, tokens, labels, true, contexts, count, context, kept);
    }

    /** {@link #backwardEach(Classifier, int[][], int[][], double[][], int, double[], double[])} for float32. */
    public static double backwardEach(Classifier model, int[][] tokens, int[][] labels, float[][] contexts, int count,
                                      float[] context, float[] kept) {
        longest(tokens, model.inputSize());
        labels(model, labels, tokens);
        return eachWithContext(model, tokens, labels, true, contexts, count, context, kept);
    }

    /** Runs the checked batch one sequence after another; the sum of the losses, or 0 for forward passes. */
    private static double each(SequenceModel model, Object[] inputs, Object[] outputs, boolean gradients) {
        double loss = 0;
        for (int b = 0; b < inputs.length; b++) {
            try {
                loss += one(model, inputs[b], outputs[b], gradients);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw inSequence(b, e);
            }
        }
        return loss;
    }

    /**
     * Runs the checked batch one sequence after another, each reading its own context; the
     * network's context ({@code double[]} or {@code float[]}, as are {@code contexts[b]} and
     * {@code kept}) is what it was before, afterwards. Only the public overloads above call it,
     * and those that pass labels take a {@link Classifier}.
     */
    private static double eachWithContext(SequenceModel model, Object[] inputs, Object[] outputs, boolean gradients,
                                          Object[] contexts, int count, Object context, Object kept) {
        contextCount(count, inputs.length);
        int width = model instanceof dev.unfold.runtime.Contextual contextual ? contextual.contextSize() : 0;
        System.arraycopy(context, 0, kept, 0, width);
        double loss = 0;
        try {
            for (int b = 0; b < inputs.length; b++) {
                System.arraycopy(contexts[b], 0, context, 0, width);
                try {
                    loss += one(model, inputs[b], outputs[b], gradients);
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw inSequence(b, e);
                }
            }
        } finally {
            System.arraycopy(kept, 0, context, 0, width);
        }
        return loss;
    }

    /**
     * One sequence's forward pass (returning 0) or backward pass (returning its loss). The input
     * is {@code int[]} tokens or dense rows, the output class labels ({@code int[]}) or dense rows,
     * dense rows being {@code double[][]} or {@code float[][]} as the network's precision is.
     */
    private static double one(SequenceModel model, Object input, Object output, boolean gradients) {
        if (!gradients) {
            if (output instanceof float[][] ys) {
                if (input instanceof int[] tokens) {
                    model.forward(tokens, ys);
                } else {
                    model.forward((float[][]) input, ys);
                }
            } else if (input instanceof int[] tokens) {
                model.forward(tokens, (double[][]) output);
            } else {
                model.forward((double[][]) input, (double[][]) output);
            }
            return 0;
        }
        if (output instanceof int[] labels) {
            Classifier classifier = (Classifier) model;
            if (input instanceof int[] tokens) {
                return classifier.backward(tokens, labels);
            }
            return input instanceof float[][] xs ? classifier.backward(xs, labels)
                    : classifier.backward((double[][]) input, labels);
        }
        if (output instanceof float[][] targets) {
            return input instanceof int[] tokens ? model.backward(tokens, targets) : model.backward((float[][]) input, targets);
        }
        double[][] targets = (double[][]) output;
        return input instanceof int[] tokens ? model.backward(tokens, targets) : model.backward((double[][]) input, targets);
    }

    /**
     * Checks training data for {@code model}: at least one input sequence ({@code int[][]} tokens or
     * {@code double[][][]} or {@code float[][][]} dense), each valid, and one target sequence (dense) or label
     * sequence ({@code int[][]}) per input, of the rows the model gives it. Errors name the sequence
     * and the arrays by {@code inputName} and {@code outputName}. Returns the number of sequences.
     */
    public static int checkData(SequenceModel model, Object[] inputs, String inputName, Object[] outputs, String outputName) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException(inputName + " is empty: training needs at least one sequence");
        }
        if (outputs.length != inputs.length) {
            throw new IllegalArgumentException(outputName + " has " + outputs.length + " sequences, expected "
                    + inputs.length + " (one per sequence of " + inputName + ")");
        }
        for (int i = 0; i < inputs.length; i++) {
            try {
                int steps = inputs instanceof int[][] tokens ? Checks.tokens(tokens[i], model.inputSize())
                        : inputs instanceof float[][][] floats ? Checks.sequence(floats[i], model.inputSize())
                        : Checks.sequence(((double[][][]) inputs)[i], model.inputSize());
                int rows = model.outputSteps(steps);
                if (outputs instanceof int[][] labels) {
                    Checks.labels(labels[i], rows, model.outputSize());
                } else {
                    targetRows(outputs[i], rows, model.outputSize());
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                throw Checks.inPart("sequence " + i + " of " + inputName, e);
            }
        }
        return inputs.length;
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
        return Checks.inPart("sequence " + b + " of the batch", e);
    }
}
