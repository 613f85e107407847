package dev.unfold.processor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A network with a context vector computes what PyTorch computes when its nn.LSTM or nn.GRU reads
 * [x_t ; x] at every step (tools/pytorch-fixtures.py --only context): PyTorch's weight_ih is
 * Unfold's W_ih and R side by side. Predictions, loss and every gradient, R's included, to 1e-9.
 */
class ContextParityTest {
    private static final Path DIRECTORY = Fixtures.directory("context");
    private static final CompiledSources FIXTURES = new CompiledSources(Fixtures.declarations(DIRECTORY));

    @EachCompiler
    void anLstmReadingTokensAndAContext(TestCompiler compiler) throws IOException {
        PyTorchParityTest.check(FIXTURES.loader(compiler), DIRECTORY, "context", "LstmContext");
    }

    @EachCompiler
    void aBidirectionalGruWithDenseInputAndAContext(TestCompiler compiler) throws IOException {
        PyTorchParityTest.check(FIXTURES.loader(compiler), DIRECTORY, "context", "GruBiContext");
    }
}
