package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Networks declared {@code @Network(precision = Precision.FLOAT32)} compute what PyTorch computes in
 * float32: the float32 twins of every fixture set (tools/pytorch-fixtures.py --only parity32,
 * projection32, context32, feedback32 and seq2seq32), whose modules, inputs and results PyTorch held
 * in torch.float32 and whose files hold F32 tensors, go through the checks of
 * {@link PyTorchParityTest} and {@link EncoderDecoderParityTest}, to {@link PyTorchParityTest.Tolerance}'s
 * float32 tolerances: predictions and loss to a relative 1e-5, every gradient to 1e-4 of its
 * tensor's largest magnitude.
 */
class PyTorchFloat32ParityTest {

    /** Every cell × one or two directions × 1–3 layers × mapping × loss, and mixed stacks. */
    @TestFactory
    Stream<DynamicContainer> everyParityFixture() throws IOException {
        return PyTorchParityTest.everyFixtureIn("parity32", 72, Precision.FLOAT32);
    }

    /** LSTMs that project their state, alone and among other cells. */
    @TestFactory
    Stream<DynamicContainer> everyProjectionFixture() throws IOException {
        return PyTorchParityTest.everyFixtureIn("projection32", 8, Precision.FLOAT32);
    }

    /** Networks reading a context vector at every step. */
    @TestFactory
    Stream<DynamicContainer> everyContextFixture() throws IOException {
        return PyTorchParityTest.everyFixtureIn("context32", 4, Precision.FLOAT32);
    }

    /** Networks whose first layer reads the previous output: teacher-forced loss and gradients, free-running outputs. */
    @TestFactory
    Stream<DynamicContainer> everyFeedbackFixture() throws IOException {
        return PyTorchParityTest.everyFixtureIn("feedback32", 4, Precision.FLOAT32);
    }

    /** Encoder–decoder pairs: the encoder's final state starts the decoder, whose initial state's gradient trains it. */
    @TestFactory
    Stream<DynamicContainer> everyEncoderDecoderPair() throws IOException {
        Path directory = Fixtures.directory("seq2seq32");
        List<String> pairs;
        try (Stream<Path> files = Files.list(directory)) {
            pairs = files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith("Encoder.java"))
                    .map(file -> file.substring(0, file.length() - "Encoder.java".length())).sorted().toList();
        }
        assertTrue(pairs.size() >= 4, "encoder-decoder pairs found: " + pairs);
        CompiledSources fixtures = new CompiledSources(Fixtures.declarations(directory));
        return Arrays.stream(TestCompiler.values()).map(compiler -> DynamicContainer.dynamicContainer(compiler.toString(),
                pairs.stream().map(name -> DynamicTest.dynamicTest(name, () -> EncoderDecoderParityTest.check(
                        fixtures.loader(compiler), directory, "seq2seq32", name, Precision.FLOAT32)))));
    }
}
