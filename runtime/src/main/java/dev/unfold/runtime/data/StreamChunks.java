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
 * One long token stream cut into chunks of k steps for {@link TruncatedBptt}: every epoch runs the
 * stream from its start with the state carried from chunk to chunk, one update per chunk. A token
 * stream serves a network of either precision as it is.
 */
public final class StreamChunks implements TrainingData {
    private final Streaming model;
    private final TruncatedBptt.OfClassifier chunks;
    private final int[] inputs;
    private final int[] labels;
    /** How the network was before training: stateful or not, and the state it carried. */
    private boolean wasStateful;
    private double[] carried;

    /**
     * A language model's stream: the input at step t is {@code text[t]}, the label the next token,
     * {@code text[t + 1]}.
     */
    public static <M extends Streaming & Classifier> StreamChunks nextToken(M model, int[] text, int chunkLength) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(text, "text");
        if (text.length < 2) {
            throw new IllegalArgumentException("a text of " + text.length
                    + " tokens has no next token to predict: expected at least 2");
        }
        return new StreamChunks(model, Arrays.copyOf(text, text.length - 1), Arrays.copyOfRange(text, 1, text.length),
                chunkLength);
    }

    /** A stream of inputs and one label per input, cut into chunks of {@code chunkLength}. */
    public <M extends Streaming & Classifier> StreamChunks(M model, int[] inputs, int[] labels, int chunkLength) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        if (inputs.length != labels.length || inputs.length == 0) {
            throw new IllegalArgumentException("a stream needs one label per input and at least one input: "
                    + inputs.length + " inputs, " + labels.length + " labels");
        }
        this.model = model;
        this.chunks = new TruncatedBptt.OfClassifier(model, chunkLength);
        // the whole stream checked now: a bad token found in chunk 900 would come after 899 updates
        Checks.tokens("inputs", inputs, model.inputSize());
        Checks.labels(labels, inputs.length, model.outputSize());
        this.inputs = inputs;
        this.labels = labels;
    }

    @Override
    public int updates() {
        return chunks.count(inputs.length);
    }

    /** Starts the stream again from a zero state; the order of a stream is its own, so the seed is unused. */
    @Override
    public void startEpoch(long seed) {
        chunks.restart();
    }

    @Override
    public double backward(int update) {
        return chunks.backward(inputs, labels, update);
    }

    @Override
    public double loss(int update) {
        return chunks.loss(inputs, labels, update);
    }

    @Override
    public int outputs(int update) {
        if (update < 0 || update >= updates()) {
            throw new IllegalArgumentException("update " + update + " is outside the epoch's " + updates() + " updates");
        }
        return Math.min(chunks.chunkLength(), inputs.length - update * chunks.chunkLength());
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    /** Notes whether the network is stateful and the state it carries, which training changes. */
    @Override
    public void beforeTraining() {
        wasStateful = model.isStateful();
        carried = new double[model.stateSize()];
        model.saveState(carried, 0);
    }

    /** Puts back what {@link #beforeTraining} noted, so the network runs after training as it did before. */
    @Override
    public void afterTraining() {
        if (carried != null) {
            model.restoreState(carried, 0);
            model.setStateful(wasStateful);
            carried = null;
        }
    }
}
