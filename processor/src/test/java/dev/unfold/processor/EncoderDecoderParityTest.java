package dev.unfold.processor;

import static dev.unfold.processor.PyTorchParityTest.assertClose;
import static dev.unfold.processor.PyTorchParityTest.compareGradient;
import static dev.unfold.processor.PyTorchParityTest.ints;
import static dev.unfold.processor.PyTorchParityTest.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.io.SafeTensors;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * An encoder–decoder computes what PyTorch computes when a stack of nn.LSTM, nn.GRU or nn.RNN
 * modules hands each layer's final (h, c) to the same layer of a second stack: the decoder's
 * probabilities, the summed cross-entropy and the gradients of every parameter of both networks
 * (tools/pytorch-fixtures.py --only seq2seq wrote the fixtures), to 1e-9; and the float32 pairs
 * against PyTorch in float32 (--only seq2seq32) to {@link PyTorchParityTest.Tolerance}'s float32
 * tolerances.
 */
class EncoderDecoderParityTest {
    private static final Path DIRECTORY = Fixtures.directory("seq2seq");
    private static final CompiledSources FIXTURES = new CompiledSources(Fixtures.declarations(DIRECTORY));

    @EachCompiler
    void stackedLstmAndGruWithATokenSource(TestCompiler compiler) throws IOException {
        check(FIXTURES.loader(compiler), DIRECTORY, "seq2seq", "LstmGru", Precision.FLOAT64);
    }

    @EachCompiler
    void aTanhRnnWithADenseSource(TestCompiler compiler) throws IOException {
        check(FIXTURES.loader(compiler), DIRECTORY, "seq2seq", "Tanh", Precision.FLOAT64);
    }

    /** Projecting LSTMs hand on h of P values and c of H (written by --only projection). */
    @EachCompiler
    void projectingLstmsHandOnStatesOfTwoSizes(TestCompiler compiler) throws IOException {
        check(FIXTURES.loader(compiler), DIRECTORY, "seq2seq", "ProjectedLstm", Precision.FLOAT64);
    }

    /**
     * Loads the pair {@code name} of {@code directory} into {@code packageName.Unfolded<name>Encoder}
     * and {@code ...Decoder}, which must compute in {@code precision}, and compares everything PyTorch
     * computed, to that precision's tolerance. The float64 pair is trained through {@link EncoderDecoder};
     * a float32 pair through the {@link Encoder} and {@link Decoder} calls EncoderDecoder makes, one by
     * one ({@link #handOver}).
     */
    static void check(ClassLoader loader, Path directory, String packageName, String name, Precision precision)
            throws IOException {
        Encoder encoder = TestCompiler.instantiate(loader, packageName + ".Unfolded" + name + "Encoder", 0);
        Decoder decoder = TestCompiler.instantiate(loader, packageName + ".Unfolded" + name + "Decoder", 0);
        assertEquals(precision, encoder.precision(), name + "Encoder's precision");
        assertEquals(precision, decoder.precision(), name + "Decoder's precision");
        PyTorchParityTest.Tolerance tolerance = PyTorchParityTest.Tolerance.of(precision);
        encoder.parameters().load(directory.resolve(name + ".encoder.safetensors"));
        decoder.parameters().load(directory.resolve(name + ".decoder.safetensors"));
        Map<String, SafeTensors.Tensor> data = SafeTensors.read(directory.resolve(name + ".data.safetensors"));
        int[] inputs = ints(data.get("inputs"));
        int[] labels = ints(data.get("labels"));
        SafeTensors.Tensor dense = data.get("source_xs");
        int[] tokens = dense == null ? ints(data.get("source_tokens")) : null;
        double[][] xs = dense == null ? null : matrix(dense);
        Example source = new Example(xs, tokens, null, null);

        encoder.parameters().zeroGradients();
        decoder.parameters().zeroGradients();
        double loss;
        if (precision == Precision.FLOAT64) {
            EncoderDecoder model = new EncoderDecoder(encoder, (Decoder & Classifier) decoder);
            loss = tokens != null ? model.backward(tokens, 0, inputs, labels) : model.backward(xs, 0, inputs, labels);
        } else {
            loss = handOver(encoder, decoder, source, inputs, labels);
        }
        assertClose("loss", data.get("loss").values(), new double[] {loss}, tolerance.loss());
        // the decoder's probabilities from the encoder's final state
        double[] state = encode(encoder, source);
        decoder.setStateful(true);
        decoder.restoreState(state, 0);
        double[][] outputs = PyTorchParityTest.predictions(decoder, new Example(null, inputs, null, null));
        decoder.setStateful(false);
        assertClose("outputs", data.get("outputs").values(), PyTorchParityTest.flatten(outputs),
                tolerance.predictions());

        int compared = 0;
        for (Map.Entry<String, SafeTensors.Tensor> entry : data.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("grad.encoder.")) {
                compared += compareGradient(encoder, key.substring("grad.encoder.".length()), entry.getValue().values());
            } else if (key.startsWith("grad.decoder.")) {
                compared += compareGradient(decoder, key.substring("grad.decoder.".length()), entry.getValue().values());
            }
        }
        assertEquals(encoder.parameters().size() + decoder.parameters().size(), compared,
                "every parameter's gradient was compared");
    }

    /**
     * The teacher-forced pass {@link EncoderDecoder#backward(int[], int, int[], int[])} makes, call by
     * call: encode the source, start the decoder from the encoder's final state, run its backward
     * pass over the inputs against the labels, and hand the gradient its initial state received to
     * the encoder's backward pass. Returns the loss.
     */
    private static double handOver(Encoder encoder, Decoder decoder, Example source, int[] inputs, int[] labels) {
        double[] state = encode(encoder, source);
        decoder.setStateful(true);
        decoder.restoreState(state, 0);
        double loss = ((Classifier) decoder).backward(inputs, labels);
        decoder.setStateful(false);
        double[] gradient = new double[decoder.stateSize()];
        decoder.initialStateGradient(gradient, 0);
        if (source.tokens() != null) {
            encoder.backwardFromState(source.tokens(), gradient, 0);
        } else if (encoder.precision() == Precision.FLOAT32) {
            encoder.backwardFromState(FloatExample.rounded(source.xs()), gradient, 0);
        } else {
            encoder.backwardFromState(source.xs(), gradient, 0);
        }
        return loss;
    }

    /** Runs the encoder over the source, afresh, and returns its final state. */
    private static double[] encode(Encoder encoder, Example source) {
        encoder.setStateful(false);
        PyTorchParityTest.predictions(encoder, source);
        double[] state = new double[encoder.stateSize()];
        encoder.finalState(state, 0);
        return state;
    }
}
