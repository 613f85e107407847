package dev.unfold.processor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A network whose first layer reads the previous output computes what PyTorch computes when its
 * first nn.LSTM or nn.GRU reads [x_t ; y_{t−1}] (tools/pytorch-fixtures.py --only feedback):
 * PyTorch's weight_ih is Unfold's W_ih and W_oh side by side. Loss and every gradient are
 * teacher-forced; the outputs run free, PyTorch stepping with its own predictions fed back. To 1e-9.
 */
class FeedbackParityTest {
    private static final Path DIRECTORY = Fixtures.directory("feedback");
    private static final CompiledSources FIXTURES = new CompiledSources(Fixtures.declarations(DIRECTORY));

    @EachCompiler
    void anLstmReadingItsPreviousRealOutput(TestCompiler compiler) throws IOException {
        PyTorchParityTest.check(FIXTURES.loader(compiler), DIRECTORY, "feedback", "LstmFedBack");
    }

    @EachCompiler
    void aGruUnderATanhLayerReadingItsPreviousClass(TestCompiler compiler) throws IOException {
        PyTorchParityTest.check(FIXTURES.loader(compiler), DIRECTORY, "feedback", "GruFedBackDeep");
    }
}
