package dev.unfold.runtime.data;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TruncatedBptt;
import java.util.Arrays;
import java.util.Objects;

/**
 * One long token stream, or B streams of equal length, cut into chunks of k steps for
 * {@link TruncatedBptt}: every epoch runs the streams from their start with the state carried from
 * chunk to chunk, one update per chunk. Many streams train at once: chunk c of every stream is one
 * stateful batch ({@link Streaming#setStateful}), so an epoch over a text cut into B streams takes
 * a B-th of the updates of one stream, each a batch of B chunks. A token stream serves a network of
 * either precision as it is.
 */
public final class StreamChunks implements TrainingData {
    private final Streaming model;
    private final TruncatedBptt.OfClassifier chunks;
    /** Each stream's inputs and labels; one stream runs through the single-sequence calls, as always. */
    private final int[][] inputs;
    private final int[][] labels;
    /** How the network was before training: stateful or not, the state it carried, and its streams'. */
    private boolean wasStateful;
    private double[] carried;
    private double[][] carriedStreams;

    /**
     * A language model's stream: the input at step t is {@code text[t]}, the label the next token,
     * {@code text[t + 1]}.
     */
    public static <M extends Streaming & Classifier> StreamChunks nextToken(M model, int[] text, int chunkLength) {
        return nextToken(model, text, chunkLength, 1);
    }

    /**
     * A language model's text as {@code streams} streams trained at once: the text's
     * {@code text.length − 1} (input, next token) pairs are cut into {@code streams} contiguous parts
     * of equal length, part b continuing into part b + 1 in the text (as PyTorch's word language model
     * batchifies a corpus). The last {@code (text.length − 1) mod streams} pairs, fewer than one per
     * stream, are dropped. With one stream this is {@link #nextToken(Streaming, int[], int)}.
     */
    public static <M extends Streaming & Classifier> StreamChunks nextToken(M model, int[] text, int chunkLength,
                                                                            int streams) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(text, "text");
        Checks.atLeastOne("streams", streams);
        if (text.length < 2) {
            throw new IllegalArgumentException("a text of " + text.length
                    + " tokens has no next token to predict: expected at least 2");
        }
        int part = (text.length - 1) / streams;
        if (part == 0) {
            throw new IllegalArgumentException("a text of " + text.length + " tokens has " + (text.length - 1)
                    + " next tokens to predict, fewer than the " + streams + " streams: expected at least "
                    + (streams + 1) + " tokens");
        }
        int[][] inputs = new int[streams][];
        int[][] labels = new int[streams][];
        for (int b = 0; b < streams; b++) {
            inputs[b] = Arrays.copyOfRange(text, b * part, (b + 1) * part);
            labels[b] = Arrays.copyOfRange(text, b * part + 1, (b + 1) * part + 1);
        }
        return new StreamChunks(model, inputs, labels, chunkLength);
    }

    /** A stream of inputs and one label per input, cut into chunks of {@code chunkLength}. */
    public <M extends Streaming & Classifier> StreamChunks(M model, int[] inputs, int[] labels, int chunkLength) {
        this(model, new int[][] {Objects.requireNonNull(inputs, "inputs")},
                new int[][] {Objects.requireNonNull(labels, "labels")}, chunkLength);
    }

    /**
     * B streams of equal length, {@code inputs[b]} with one label per input in {@code labels[b]}, each
     * cut into chunks of {@code chunkLength} and trained at once.
     */
    public <M extends Streaming & Classifier> StreamChunks(M model, int[][] inputs, int[][] labels, int chunkLength) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        if (inputs.length == 0 || inputs.length != labels.length) {
            throw new IllegalArgumentException("every stream needs its labels, and there must be one stream at least: "
                    + inputs.length + " input streams, " + labels.length + " label streams");
        }
        this.model = model;
        this.chunks = new TruncatedBptt.OfClassifier(model, chunkLength);
        int steps = Objects.requireNonNull(inputs[0], "inputs[0]").length;
        for (int b = 0; b < inputs.length; b++) {
            String stream = inputs.length == 1 ? "" : "stream " + b + ": ";
            int[] own = Objects.requireNonNull(inputs[b], "inputs[" + b + "]");
            int[] ownLabels = Objects.requireNonNull(labels[b], "labels[" + b + "]");
            if (own.length != ownLabels.length || own.length == 0) {
                throw new IllegalArgumentException(stream + "a stream needs one label per input and at least one input: "
                        + own.length + " inputs, " + ownLabels.length + " labels");
            }
            if (own.length != steps) {
                throw new IllegalArgumentException("stream " + b + " has " + own.length + " inputs, expected " + steps
                        + " (every stream as long as the first)");
            }
            // the whole stream checked now: a bad token found in chunk 900 would come after 899 updates
            try {
                Checks.tokens("inputs", own, model.inputSize());
                Checks.labels(ownLabels, own.length, model.outputSize());
            } catch (IllegalArgumentException e) {
                throw inputs.length == 1 ? e : Checks.inPart("stream " + b, e);
            }
        }
        this.inputs = inputs;
        this.labels = labels;
    }

    /** How many streams train at once: one sequence of each batch per stream. */
    public int streams() {
        return inputs.length;
    }

    @Override
    public int updates() {
        return chunks.count(inputs[0].length);
    }

    /** Starts the streams again from zero states; the order of a stream is its own, so the seed is unused. */
    @Override
    public void startEpoch(long seed) {
        chunks.restart();
    }

    @Override
    public double backward(int update) {
        return inputs.length == 1 ? chunks.backward(inputs[0], labels[0], update)
                : chunks.backward(inputs, labels, update);
    }

    @Override
    public double loss(int update) {
        return inputs.length == 1 ? chunks.loss(inputs[0], labels[0], update) : chunks.loss(inputs, labels, update);
    }

    /** The chunk's steps in every stream: streams × its length. */
    @Override
    public int outputs(int update) {
        if (update < 0 || update >= updates()) {
            throw new IllegalArgumentException("update " + update + " is outside the epoch's " + updates() + " updates");
        }
        return inputs.length * Math.min(chunks.chunkLength(), inputs[0].length - update * chunks.chunkLength());
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    /**
     * Notes whether the network is stateful, the state it carries and its stateful batch's streams,
     * all of which training changes.
     */
    @Override
    public void beforeTraining() {
        wasStateful = model.isStateful();
        carried = new double[model.stateSize()];
        model.saveState(carried, 0);
        carriedStreams = new double[model.streamCount()][model.stateSize()];
        model.saveStates(carriedStreams);
    }

    /** Puts back what {@link #beforeTraining} noted, so the network runs after training as it did before. */
    @Override
    public void afterTraining() {
        if (carried != null) {
            model.restoreState(carried, 0);
            model.restoreStates(carriedStreams);
            model.setStateful(wasStateful);
            carried = null;
            carriedStreams = null;
        }
    }
}
