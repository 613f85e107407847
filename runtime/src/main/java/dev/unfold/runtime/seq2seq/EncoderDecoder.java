package dev.unfold.runtime.seq2seq;

import dev.unfold.Precision;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.Precisions;
import dev.unfold.runtime.metrics.Predictor;
import dev.unfold.runtime.train.Trainer;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Sequence to sequence of different lengths (equations.md (10.1), (10.2)): an
 * encoder reads the source, and its final state is where a decoder starts; the decoder is trained
 * with teacher forcing (its input at step t is the target at t − 1, after a start token) and BPTT
 * flows from the decoder's loss through its initial state into the encoder. One encoder may serve
 * several decoders (one source language into several, say): each update trains one decoder
 * on its own pairs, and the shared encoder receives every decoder's gradients.
 *
 * <p>The encoder and the decoders are ordinary generated networks that stream (no bidirectional
 * layer) with layers alike in number, sizes and kind of state (an LSTM's c, or not): layer l of
 * the encoder hands its final state to layer l of each decoder. The encoder's own output layer is
 * not used. Generation from an encoded source goes through {@link #generator(int)}.
 *
 * <p>The encoder and its decoders compute in one precision ({@code @Network(precision = ...)}):
 * dense sources are {@code double} arrays for float64 networks and {@code float} arrays for float32
 * ones. The encoder hands its final state over as {@code double} values in both, as states always are.
 */
public final class EncoderDecoder {
    private final Encoder encoder;
    /** The decoders, each known to take class labels as well: the types the constructor required. */
    private final List<Labelled<?>> decoders;
    private final Generator[] generators;
    private final Parameters parameters;
    private final double[] state;
    private final double[] stateGradient;
    /** A decoder's carried state before a pass from an encoded state, put back if the pass is refused. */
    private final double[] decoderState;
    /** Each decoder's probabilities at one step, for scheduled sampling's choices; null for float32 networks. */
    private final double[][] probabilities;
    /** The same for float32 networks; null for float64 ones. */
    private final float[][] floatProbabilities;
    /** Scheduled sampling's inputs: [pair of the batch][length], one array for each seen. */
    private int[][][] mixedInputs = new int[1][1][];
    /**
     * The encoder's unused predictions, one array per length of source seen, sharing their rows:
     * each a {@code double[][]} or a {@code float[][]}, as the encoder's precision is.
     */
    private Object[][] encoderOutputs = new Object[1][];
    private Object[] outputRows;
    /** What a minibatch of pairs is gathered into. */
    private final PairBatches batches;
    /** Each source's output row count, for the encoder's unused predictions. */
    private int[] rowCounts = new int[0];

    /**
     * A decoder as the constructor received it: a {@link Decoder} that is also a {@link Classifier},
     * since the pairs it learns give class labels, one per output.
     */
    private record Labelled<D extends Decoder & Classifier>(D network) {}

    /**
     * @param encoder the network whose final state each decoder starts from
     * @param decoders the networks that learn to answer the sources, each from class labels
     */
    @SafeVarargs
    public <D extends Decoder & Classifier> EncoderDecoder(Encoder encoder, D... decoders) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoders, "decoders");
        if (decoders.length == 0) {
            throw new IllegalArgumentException("an encoder needs at least one decoder");
        }
        for (int d = 0; d < decoders.length; d++) {
            if (decoders[d] == null) {
                throw new IllegalArgumentException("decoders[" + d + "] is null");
            }
        }
        this.encoder = encoder;
        List<Labelled<?>> labelled = new java.util.ArrayList<>();
        for (D decoder : decoders) {
            labelled.add(new Labelled<>(decoder));
        }
        this.decoders = List.copyOf(labelled);
        for (int d = 0; d < decoders.length; d++) {
            requireSamePrecision(encoder, decoders[d], d);
            requireAlike(encoder, decoders[d], d);
        }
        this.generators = new Generator[decoders.length];
        this.parameters = allParameters();
        boolean floats = encoder.precision() == Precision.FLOAT32;
        this.probabilities = floats ? null : new double[decoders.length][];
        this.floatProbabilities = floats ? new float[decoders.length][] : null;
        for (int d = 0; d < decoders.length; d++) {
            if (floats) {
                floatProbabilities[d] = new float[decoders[d].outputSize()];
            } else {
                probabilities[d] = new double[decoders[d].outputSize()];
            }
        }
        this.state = new double[encoder.stateSize()];
        this.stateGradient = new double[encoder.stateSize()];
        this.decoderState = new double[encoder.stateSize()];
        this.outputRows = PairBatches.rows(encoder.precision(), 0, encoder.outputSize());
        this.batches = new PairBatches(encoder.stateSize(), encoder.outputSize(), encoder.precision());
    }

    /**
     * The encoder's passes and the decoders' run in the encoder's arrays, and each update adds their
     * gradients together: one precision for all, with no conversion between them.
     */
    private static void requireSamePrecision(Encoder encoder, Decoder decoder, int d) {
        if (decoder.precision() != encoder.precision()) {
            throw new IllegalArgumentException("decoder " + d + " (" + decoder.getClass().getSimpleName()
                    + ") computes in " + decoder.precision() + " but the encoder (" + encoder.getClass().getSimpleName()
                    + ") in " + encoder.precision() + ": an encoder and its decoders must share one precision;"
                    + " declare them all with the same @Network(precision = ...)");
        }
    }

    /** The encoder's layer l hands its state to each decoder's layer l, so they must hold the same state. */
    private static void requireAlike(Encoder encoder, Decoder decoder, int d) {
        List<Layer> from = encoder.layers();
        List<Layer> to = decoder.layers();
        boolean alike = from.size() == to.size();
        for (int l = 0; alike && l < from.size(); l++) {
            alike = from.get(l).hiddenSize() == to.get(l).hiddenSize()
                    && from.get(l).stateSize() == to.get(l).stateSize()   // a projected h_t, P values
                    && (from.get(l).cell() == dev.unfold.Cell.LSTM) == (to.get(l).cell() == dev.unfold.Cell.LSTM);
        }
        if (!alike) {
            throw new IllegalArgumentException("decoder " + d + " cannot start from the encoder's final state: the"
                    + " encoder's layers are " + describe(from) + ", the decoder's " + describe(to)
                    + "; layer l of each must have the same size and both or neither be an LSTM");
        }
    }

    private static String describe(List<Layer> layers) {
        StringBuilder text = new StringBuilder("[");
        for (Layer layer : layers) {
            text.append(text.length() > 1 ? ", " : "").append(layer.cell()).append(' ').append(layer.hiddenSize());
            if (layer.projectionSize() > 0) {
                text.append(" projected to ").append(layer.projectionSize());
            }
        }
        return text.append(']').toString();
    }

    /** The shared encoder. */
    public Encoder encoder() {
        return encoder;
    }

    /** Decoder {@code d}. */
    public Decoder decoder(int d) {
        return decoders.get(checkDecoder("d", d)).network();
    }

    /** How many decoders share the encoder. */
    int decoderCount() {
        return decoders.size();
    }

    /** {@code d} if there is such a decoder; otherwise an error naming the argument {@code name}. */
    private int checkDecoder(String name, int d) {
        return Checks.index(name, d, decoders.size(), "the decoders");
    }

    /**
     * Every parameter, the encoder's under {@code encoder.} and decoder d's under {@code decoder<d>.},
     * sharing their values and gradients: for an optimizer, a {@link Trainer} and checkpoints.
     */
    public Parameters parameters() {
        return parameters;
    }

    private Parameters allParameters() {
        List<Parameter> all = new java.util.ArrayList<>();
        addPrefixed(all, "encoder.", encoder.parameters());
        for (int d = 0; d < decoders.size(); d++) {
            addPrefixed(all, "decoder" + d + ".", decoders.get(d).network().parameters());
        }
        return new Parameters(all);
    }

    private static void addPrefixed(List<Parameter> all, String prefix, Parameters parameters) {
        for (Parameter parameter : parameters) {
            all.add(parameter.renamed(prefix + parameter.name()));
        }
    }

    /**
     * Teacher-forced forward and backward pass for one pair: encodes {@code source}, runs decoder
     * {@code d} from the encoder's final state over {@code inputs} (the start token, then the
     * target sequence but its last token) against {@code labels} (the target sequence), and adds the
     * gradients of the decoder and, through its initial state, of the encoder. Returns the loss.
     */
    public double backward(int[] source, int d, int[] inputs, int[] labels) {
        Checks.tokens("source", source, encoder.inputSize());
        checkPair(d, inputs, labels);
        double loss = decodeBackward(encode(source), d, inputs, labels);
        encoder.backwardFromState(source, stateGradient, 0);
        return loss;
    }

    /** {@link #backward(int[], int, int[], int[])} for a source of dense vectors. */
    public double backward(double[][] source, int d, int[] inputs, int[] labels) {
        Precisions.require(encoder, Precision.FLOAT64, "backward");
        Checks.sequence("source", source, encoder.inputSize());
        checkPair(d, inputs, labels);
        double loss = decodeBackward(encode(source), d, inputs, labels);
        encoder.backwardFromState(source, stateGradient, 0);
        return loss;
    }

    /** {@link #backward(double[][], int, int[], int[])} for float32 networks. */
    public double backward(float[][] source, int d, int[] inputs, int[] labels) {
        Precisions.require(encoder, Precision.FLOAT32, "backward");
        Checks.sequence("source", source, encoder.inputSize());
        checkPair(d, inputs, labels);
        double loss = decodeBackward(encode(source), d, inputs, labels);
        encoder.backwardFromState(source, stateGradient, 0);
        return loss;
    }

    /**
     * {@link #backward(int[], int, int[], int[])} with scheduled sampling (Bengio et al., 2015):
     * at every step after the first, the decoder reads its own most probable token from the step
     * before, with probability {@code ownPredictions}, instead of the target; 0 is teacher forcing,
     * 1 is the decoder reading only its own predictions, as it will when it generates. The choice is
     * made before the backward pass and no gradient flows through it, as in the paper.
     */
    public double backward(int[] source, int d, int[] inputs, int[] labels, double ownPredictions,
                           RandomGenerator random) {
        requireProbability(ownPredictions, random);
        Checks.tokens("source", source, encoder.inputSize());
        checkPair(d, inputs, labels);
        double[] encoded = encode(source);
        int[] mixed = ownPredictions == 0 ? inputs : mixedInputs(encoded, d, inputs, ownPredictions, random, 0);
        double loss = decodeBackward(encoded, d, mixed, labels);
        encoder.backwardFromState(source, stateGradient, 0);
        return loss;
    }

    /**
     * {@link #backward(int[], int, int[], int[])} for a minibatch of pairs, in masked batched passes:
     * one of the encoder over every source, one of each decoder over the pairs that are its
     * ({@code decoders[b]} is pair b's), each started from its own source's final state, and one of
     * the encoder's BPTT seeded with what every decoder passed back. Adds the gradients of the same
     * pairs run one by one; returns their summed loss. Allocates nothing once the batch sizes and
     * source lengths have come up before.
     */
    public double backward(int[][] sources, int[] decoders, int[][] inputs, int[][] labels) {
        return backward(sources, decoders, inputs, labels, 0, null);
    }

    /**
     * {@link #backward(int[][], int[], int[][], int[][])} with scheduled sampling: pair by pair, in
     * order, each decoder chooses its inputs as {@link #backward(int[], int, int[], int[], double,
     * RandomGenerator)} does (the same draws from {@code random}), running from its source's final
     * state step by step; then the batched passes train on what was chosen.
     */
    public double backward(int[][] sources, int[] decoders, int[][] inputs, int[][] labels, double ownPredictions,
                           RandomGenerator random) {
        requireProbability(ownPredictions, random);
        int batch = checkPairs(sources, decoders, inputs, labels, "the batch");
        encoder.setStateful(false);
        Object[] outputs = encoderOutputs(sources, batch);
        if (outputs instanceof float[][][] floats) {
            encoder.forward(sources, floats);
        } else {
            encoder.forward(sources, (double[][][]) outputs);
        }
        double[][] states = batches.states(batch);
        encoder.finalStates(states);
        int[][] read = inputs;
        if (ownPredictions > 0) {
            read = batches.mixed(batch);
            for (int b = 0; b < batch; b++) {
                read[b] = mixedInputs(states[b], decoders[b], inputs[b], ownPredictions, random, b);
            }
        }
        double loss = decodeBatches(batch, decoders, read, labels, states);
        encoder.backwardFromStates(sources, batches.gradients(batch));
        return loss;
    }

    private static void requireProbability(double ownPredictions, RandomGenerator random) {
        if (!(ownPredictions >= 0 && ownPredictions <= 1)) {
            throw new IllegalArgumentException("the probability of reading its own predictions must be in [0, 1], got "
                    + ownPredictions);
        }
        if (ownPredictions > 0) {
            Objects.requireNonNull(random, "random (the draws of scheduled sampling)");
        }
    }

    /** {@link #backward(int[][], int[], int[][], int[][])} for sources of dense vectors. */
    public double backward(double[][][] sources, int[] decoders, int[][] inputs, int[][] labels) {
        Precisions.require(encoder, Precision.FLOAT64, "backward");
        int batch = checkPairs(sources, decoders, inputs, labels, "the batch");
        encoder.setStateful(false);
        encoder.forward(sources, (double[][][]) encoderOutputs(sources, batch));
        double[][] states = batches.states(batch);
        encoder.finalStates(states);
        double loss = decodeBatches(batch, decoders, inputs, labels, states);
        encoder.backwardFromStates(sources, batches.gradients(batch));
        return loss;
    }

    /** {@link #backward(double[][][], int[], int[][], int[][])} for float32 networks. */
    public double backward(float[][][] sources, int[] decoders, int[][] inputs, int[][] labels) {
        Precisions.require(encoder, Precision.FLOAT32, "backward");
        int batch = checkPairs(sources, decoders, inputs, labels, "the batch");
        encoder.setStateful(false);
        encoder.forward(sources, (float[][][]) encoderOutputs(sources, batch));
        double[][] states = batches.states(batch);
        encoder.finalStates(states);
        double loss = decodeBatches(batch, decoders, inputs, labels, states);
        encoder.backwardFromStates(sources, batches.gradients(batch));
        return loss;
    }

    /**
     * Somewhere for the encoder's unused predictions of a batch of token or dense sources: a
     * {@code double[][][]} or a {@code float[][][]}, as the encoder's precision is.
     */
    private Object[] encoderOutputs(Object[] sources, int batch) {
        if (rowCounts.length < batch) {
            rowCounts = new int[batch];
        }
        for (int b = 0; b < batch; b++) {
            int steps = sources[b] instanceof int[] tokens ? tokens.length : ((Object[]) sources[b]).length;
            rowCounts[b] = encoder.outputSteps(steps);
        }
        return batches.outputs(batch, rowCounts);
    }

    /**
     * Checks pairs of sources ({@code int[]}, {@code double[][]} or {@code float[][]} sequences), the decoders that learn
     * them and the decoders' inputs and labels, all before anything runs: a refused batch changes
     * nothing. {@code where} says in errors where the pairs came from ("the batch"). Returns their count.
     */
    int checkPairs(Object[] sources, int[] decoders, int[][] inputs, int[][] labels, String where) {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(decoders, "decoders");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        int batch = sources.length;
        if (batch == 0 || decoders.length != batch || inputs.length != batch || labels.length != batch) {
            throw new IllegalArgumentException("expected one decoder, one input and one label sequence per source and"
                    + " at least one source: " + batch + " sources, " + decoders.length + " decoders, "
                    + inputs.length + " inputs, " + labels.length + " labels");
        }
        for (int b = 0; b < batch; b++) {
            if (decoders[b] < 0 || decoders[b] >= this.decoders.size()) {
                checkDecoder("decoders[" + b + "]", decoders[b]);
            }
            try {
                if (sources[b] instanceof int[] tokens) {
                    Checks.tokens("source", tokens, encoder.inputSize());
                } else if (sources[b] instanceof float[][] rows) {
                    Checks.sequence("source", rows, encoder.inputSize());
                } else {
                    Checks.sequence("source", (double[][]) sources[b], encoder.inputSize());
                }
                checkPair(decoders[b], inputs[b], labels[b]);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw Checks.inPart("pair " + b + " of " + where, e);
            }
        }
        return batch;
    }

    /** Checks decoder {@code d}'s inputs and labels for one pair, before anything runs. */
    private void checkPair(int d, int[] inputs, int[] labels) {
        var decoder = decoders.get(checkDecoder("d", d)).network();
        int steps = Checks.tokens("inputs", inputs, decoder.inputSize());
        Checks.labels(labels, decoder.outputSteps(steps), decoder.outputSize());
    }

    /**
     * Each decoder's pairs as one batch from their sources' final states, leaving every source's
     * ∂L/∂(final state) in the batch's gradients (zero for a decoder that has none of them).
     */
    private double decodeBatches(int batch, int[] decoders, int[][] inputs, int[][] labels, double[][] states) {
        double[][] gradients = batches.gradients(batch);
        double loss = 0;
        for (int d = 0; d < this.decoders.size(); d++) {
            int count = PairBatches.count(decoders, batch, d);
            if (count == 0) {
                continue;
            }
            var decoder = this.decoders.get(d).network();
            batches.pick(decoders, batch, d, count, inputs, labels, states, gradients);
            decoder.setStateful(false);
            decoder.setInitialStates(batches.pickedStates(count));
            try {
                loss += decoder.backward(batches.pickedInputs(count), batches.pickedLabels(count));
                decoder.initialStateGradients(batches.pickedGradients(count));
            } finally {
                decoder.setInitialStates(null);
            }
        }
        return loss;
    }

    /** Teacher forcing's inputs with some replaced by the decoder's own greedy predictions, chosen step by step. */
    private int[] mixedInputs(double[] encoded, int d, int[] inputs, double ownPredictions, RandomGenerator random,
                              int pair) {
        var decoder = decoders.get(d).network();
        int[] mixed = scratchInputs(pair, inputs.length);
        decoder.restoreState(encoded, 0);
        mixed[0] = inputs[0];
        for (int t = 0; t + 1 < inputs.length; t++) {
            int predicted;
            if (floatProbabilities != null) {
                decoder.step(mixed[t], floatProbabilities[d]);
                predicted = Predictor.argmax(floatProbabilities[d]);
            } else {
                decoder.step(mixed[t], probabilities[d]);
                predicted = Predictor.argmax(probabilities[d]);
            }
            mixed[t + 1] = random.nextDouble() < ownPredictions ? predicted : inputs[t + 1];
        }
        return mixed;
    }

    /** An input array of exactly {@code length} tokens for pair {@code pair} of a batch, kept for each length seen. */
    private int[] scratchInputs(int pair, int length) {
        if (pair >= mixedInputs.length) {
            mixedInputs = java.util.Arrays.copyOf(mixedInputs, pair + 1);
        }
        if (mixedInputs[pair] == null || length >= mixedInputs[pair].length) {
            mixedInputs[pair] = java.util.Arrays.copyOf(mixedInputs[pair] == null ? new int[0][] : mixedInputs[pair],
                    length + 1);
        }
        if (mixedInputs[pair][length] == null) {
            mixedInputs[pair][length] = new int[length];
        }
        return mixedInputs[pair][length];
    }

    /** The teacher-forced loss {@link #backward(int[], int, int[], int[])} returns, without gradients. */
    public double loss(int[] source, int d, int[] inputs, int[] labels) {
        Checks.tokens("source", source, encoder.inputSize());
        checkPair(d, inputs, labels);
        return decodeLoss(encode(source), d, inputs, labels);
    }

    /** {@link #loss(int[], int, int[], int[])} for a source of dense vectors. */
    public double loss(double[][] source, int d, int[] inputs, int[] labels) {
        Precisions.require(encoder, Precision.FLOAT64, "loss");
        Checks.sequence("source", source, encoder.inputSize());
        checkPair(d, inputs, labels);
        return decodeLoss(encode(source), d, inputs, labels);
    }

    /** {@link #loss(double[][], int, int[], int[])} for float32 networks. */
    public double loss(float[][] source, int d, int[] inputs, int[] labels) {
        Precisions.require(encoder, Precision.FLOAT32, "loss");
        Checks.sequence("source", source, encoder.inputSize());
        checkPair(d, inputs, labels);
        return decodeLoss(encode(source), d, inputs, labels);
    }

    /** Decoder d's pass from the encoded state, leaving ∂L/∂(that state) in {@code stateGradient}. */
    private double decodeBackward(double[] encoded, int d, int[] inputs, int[] labels) {
        var decoder = decoders.get(d).network();
        boolean wasStateful = startDecoder(decoder, encoded);
        double loss;
        try {
            loss = decoder.backward(inputs, labels);
        } catch (RuntimeException refused) {
            // labels for a decoder that does not learn classes, say: leave it as it was
            restoreDecoder(decoder, wasStateful);
            throw refused;
        }
        decoder.setStateful(false);
        decoder.initialStateGradient(stateGradient, 0);
        return loss;
    }

    private double decodeLoss(double[] encoded, int d, int[] inputs, int[] labels) {
        var decoder = decoders.get(d).network();
        boolean wasStateful = startDecoder(decoder, encoded);
        double loss;
        try {
            loss = decoder.loss(inputs, labels);
        } catch (RuntimeException refused) {
            restoreDecoder(decoder, wasStateful);
            throw refused;
        }
        decoder.setStateful(false);
        return loss;
    }

    /**
     * Encodes {@code source} and readies {@link #generator(int) decoder d's generator} to start from
     * the encoder's final state; then generate with it, prompting with the start token.
     */
    public Generator encodeFor(int[] source, int d) {
        checkDecoder("d", d);
        Checks.tokens("source", source, encoder.inputSize());
        return generatorFrom(encode(source), d);
    }

    /** {@link #encodeFor(int[], int)} for a source of dense vectors. */
    public Generator encodeFor(double[][] source, int d) {
        Precisions.require(encoder, Precision.FLOAT64, "encodeFor");
        checkDecoder("d", d);
        Checks.sequence("source", source, encoder.inputSize());
        return generatorFrom(encode(source), d);
    }

    /** {@link #encodeFor(double[][], int)} for float32 networks. */
    public Generator encodeFor(float[][] source, int d) {
        Precisions.require(encoder, Precision.FLOAT32, "encodeFor");
        checkDecoder("d", d);
        Checks.sequence("source", source, encoder.inputSize());
        return generatorFrom(encode(source), d);
    }

    /** Decoder {@code d}'s generator, which starts where the last {@link #encodeFor} left it. */
    public Generator generator(int d) {
        checkDecoder("d", d);
        if (generators[d] == null) {
            generators[d] = new Generator(decoders.get(d).network());
        }
        return generators[d];
    }

    private Generator generatorFrom(double[] encoded, int d) {
        Generator generator = generator(d);
        generator.startFrom(encoded);
        return generator;
    }

    private double[] encode(int[] source) {
        encoder.setStateful(false);
        Object[] outputs = outputs(source.length);
        if (outputs instanceof float[][] floats) {
            encoder.forward(source, floats);
        } else {
            encoder.forward(source, (double[][]) outputs);
        }
        encoder.finalState(state, 0);
        return state;
    }

    private double[] encode(double[][] source) {
        encoder.setStateful(false);
        encoder.forward(source, (double[][]) outputs(source.length));
        encoder.finalState(state, 0);
        return state;
    }

    private double[] encode(float[][] source) {
        encoder.setStateful(false);
        encoder.forward(source, (float[][]) outputs(source.length));
        encoder.finalState(state, 0);
        return state;
    }

    /**
     * Somewhere for the encoder's predictions, which are not used: allocated once for each length of
     * source, so that encoding allocates nothing after the first source of a length. A
     * {@code double[][]} or a {@code float[][]}, as the encoder's precision is.
     */
    private Object[] outputs(int steps) {
        int rows = encoder.outputSteps(steps);
        if (rows >= encoderOutputs.length) {
            encoderOutputs = java.util.Arrays.copyOf(encoderOutputs, rows + 1);
        }
        if (encoderOutputs[rows] == null) {
            if (outputRows.length < rows) {
                outputRows = PairBatches.rows(encoder.precision(), rows, encoder.outputSize());
            }
            encoderOutputs[rows] = java.util.Arrays.copyOf(outputRows, rows);
        }
        return encoderOutputs[rows];
    }

    /**
     * Makes {@code decoder} stateful for one pass and holding the encoded state, so that the pass
     * starts there; the caller makes it stateless again afterwards, or {@link #restoreDecoder
     * restores it} if the pass is refused. Returns whether it was stateful.
     */
    private boolean startDecoder(Decoder decoder, double[] encoded) {
        boolean wasStateful = decoder.isStateful();
        decoder.saveState(decoderState, 0);
        decoder.setStateful(true);
        decoder.restoreState(encoded, 0);
        return wasStateful;
    }

    /** Puts back what {@link #startDecoder} changed: the carried state and whether it is stateful. */
    private void restoreDecoder(Decoder decoder, boolean wasStateful) {
        decoder.restoreState(decoderState, 0);
        decoder.setStateful(wasStateful);
    }
}
