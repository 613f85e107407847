package dev.unfold.processor;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;

/**
 * A network with a context vector computes what PyTorch computes when its nn.LSTM or nn.GRU reads
 * [x_t ; x] at every step (tools/pytorch-fixtures.py --only context): PyTorch's weight_ih is
 * Unfold's W_ih and R side by side. Predictions, loss and every gradient, R's included, to 1e-9.
 */
class ContextParityTest {
    private static final Path DIRECTORY = directory();
    private static final CompiledSources FIXTURES = new CompiledSources(declarations());

    private static Path directory() {
        try {
            return Path.of(ContextParityTest.class.getResource("/context").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JavaFileObject> declarations() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().map(path -> {
                try {
                    return JavaFileObjects.forResource(path.toUri().toURL());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @EachCompiler
    void anLstmReadingTokensAndAContext(TestCompiler compiler) throws IOException {
        PyTorchParityTest.check(FIXTURES.loader(compiler), DIRECTORY, "context", "LstmContext");
    }

    @EachCompiler
    void aBidirectionalGruWithDenseInputAndAContext(TestCompiler compiler) throws IOException {
        PyTorchParityTest.check(FIXTURES.loader(compiler), DIRECTORY, "context", "GruBiContext");
    }
}
