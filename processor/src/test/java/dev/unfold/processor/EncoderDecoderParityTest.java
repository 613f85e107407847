package dev.unfold.processor;

import static dev.unfold.processor.PyTorchParityTest.assertClose;
import static dev.unfold.processor.PyTorchParityTest.compareGradient;
import static dev.unfold.processor.PyTorchParityTest.ints;
import static dev.unfold.processor.PyTorchParityTest.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.io.SafeTensors;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An encoder–decoder computes what PyTorch computes when a stack of nn.LSTM, nn.GRU or nn.RNN
 * modules hands each layer's final (h, c) to the same layer of a second stack: the decoder's
 * probabilities, the summed cross-entropy and the gradients of every parameter of both networks
 * (tools/pytorch-fixtures.py --only seq2seq wrote the fixtures), to 1e-9.
 */
class EncoderDecoderParityTest {
    private static final Path DIRECTORY = Fixtures.directory("seq2seq");
    private static final CompiledSources FIXTURES = new CompiledSources(Fixtures.declarations(DIRECTORY));

    @EachCompiler
    void stackedLstmAndGruWithATokenSource(TestCompiler compiler) throws IOException {
        check(compiler, "LstmGru");
    }

    @EachCompiler
    void aTanhRnnWithADenseSource(TestCompiler compiler) throws IOException {
        check(compiler, "Tanh");
    }

    /** Projecting LSTMs hand on h of P values and c of H (written by --only projection). */
    @EachCompiler
    void projectingLstmsHandOnStatesOfTwoSizes(TestCompiler compiler) throws IOException {
        check(compiler, "ProjectedLstm");
    }

    private static void check(TestCompiler compiler, String name) throws IOException {
        ClassLoader loader = FIXTURES.loader(compiler);
        Encoder encoder = TestCompiler.instantiate(loader, "seq2seq.Unfolded" + name + "Encoder", 0);
        Decoder decoder = TestCompiler.instantiate(loader, "seq2seq.Unfolded" + name + "Decoder", 0);
        encoder.parameters().load(DIRECTORY.resolve(name + ".encoder.safetensors"));
        decoder.parameters().load(DIRECTORY.resolve(name + ".decoder.safetensors"));
        Map<String, SafeTensors.Tensor> data = SafeTensors.read(DIRECTORY.resolve(name + ".data.safetensors"));
        EncoderDecoder model = new EncoderDecoder(encoder, (Decoder & Classifier) decoder);
        int[] inputs = ints(data.get("inputs"));
        int[] labels = ints(data.get("labels"));
        SafeTensors.Tensor dense = data.get("source_xs");
        int[] tokens = dense == null ? ints(data.get("source_tokens")) : null;
        double[][] xs = dense == null ? null : matrix(dense);

        model.parameters().zeroGradients();
        double loss = tokens != null ? model.backward(tokens, 0, inputs, labels) : model.backward(xs, 0, inputs, labels);
        assertClose("loss", data.get("loss").values(), new double[] {loss});
        // the decoder's probabilities from the encoder's final state
        double[][] outputs = new double[inputs.length][decoder.outputSize()];
        if (tokens != null) {
            encoder.forward(tokens, new double[tokens.length][encoder.outputSize()]);
        } else {
            encoder.forward(xs, new double[xs.length][encoder.outputSize()]);
        }
        double[] state = new double[encoder.stateSize()];
        encoder.finalState(state, 0);
        decoder.setStateful(true);
        decoder.restoreState(state, 0);
        decoder.forward(inputs, outputs);
        assertClose("outputs", data.get("outputs").values(), Stream.of(outputs).flatMapToDouble(java.util.Arrays::stream)
                .toArray());

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
}
