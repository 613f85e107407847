package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The generated source, byte for byte, for small networks. Every change to the output shows up in
 * review as a diff of src/test/resources/expected; after a deliberate change, rewrite the files
 * with {@code mvn test -pl processor -Dtest=GoldenSourceTest -Dunfold.updateGolden=true}.
 */
class GoldenSourceTest {
    private static final Path EXPECTED = Path.of(System.getProperty("unfold.goldenDirectory",
            "src/test/resources/expected"));
    private static final boolean UPDATE = Boolean.getBoolean("unfold.updateGolden");

    @EachCompiler
    void seedForecaster(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.Forecaster", "golden.UnfoldedForecaster",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 4, output = 1, loss = Loss.MSE)",
                "public interface Forecaster extends Streaming {",
                "    @Recurrent(hidden = 20, activation = Activation.TANH)",
                "    Layer rnn();",
                "}");
    }

    @EachCompiler
    void seedFoldedForecaster(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.FoldedForecaster", "golden.UnfoldedFoldedForecaster",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 4, output = 1, loss = Loss.MSE)",
                "public interface FoldedForecaster extends Autoregressive {",
                "    @Recurrent(hidden = 20, activation = Activation.TANH, recurrence = Recurrence.OUTPUT)",
                "    Layer rnn();",
                "}");
    }

    @EachCompiler
    void deepClassifierNestedInAClass(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.Proteins", "golden.UnfoldedProteins_Classifier",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "public class Proteins {",
                "    @Network(input = 20, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                "    public interface Classifier extends dev.unfold.runtime.Classifier {",
                "        @Recurrent(hidden = 8, activation = Activation.SIGMOID)",
                "        Layer encoder();",
                "        @Recurrent(hidden = 6, activation = Activation.RELU)",
                "        Layer summary();",
                "    }",
                "}");
    }

    @EachCompiler
    void bidirectionalGruUnderBidirectionalLstmManyToOne(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.Proteins2", "golden.UnfoldedProteins2",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 20, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                "public interface Proteins2 extends Classifier, Traceable {",
                "    @Recurrent(hidden = 8, cell = Cell.GRU)",
                "    @Bidirectional",
                "    Layer encoder();",
                "    @Recurrent(hidden = 4, cell = Cell.LSTM)",
                "    @Bidirectional",
                "    Layer summary();",
                "}");
    }

    @EachCompiler
    void plainLstm(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.LstmTagger", "golden.UnfoldedLstmTagger",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 3, output = 2, loss = Loss.MSE)",
                "public interface LstmTagger extends SequenceModel {",
                "    @Recurrent(hidden = 4, cell = Cell.LSTM)",
                "    Layer lstm();",
                "}");
    }

    /** An LSTM projecting its 4 units to h_t of 2 values: W_hr after the cell's equations, and its BPTT. */
    @EachCompiler
    void projectingLstm(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.ProjectedTagger", "golden.UnfoldedProjectedTagger",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 3, output = 2, loss = Loss.MSE)",
                "public interface ProjectedTagger extends SequenceModel {",
                "    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 2)",
                "    Layer lstm();",
                "}");
    }

    @EachCompiler
    void plainGru(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.GruTagger", "golden.UnfoldedGruTagger",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 3, output = 2, loss = Loss.MSE)",
                "public interface GruTagger extends SequenceModel {",
                "    @Recurrent(hidden = 4, cell = Cell.GRU)",
                "    Layer gru();",
                "}");
    }

    /**
     * Two LSTM layers with dropout on their inputs and recurrent dropout, as a character model
     * declares them: backward draws the masks and the layers drop where they read, in both layouts.
     */
    @EachCompiler
    void dropoutLstm(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.DropoutTagger", "golden.UnfoldedDropoutTagger",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 3, output = 2, loss = Loss.MSE)",
                "public interface DropoutTagger extends SequenceModel {",
                "    @Recurrent(hidden = 4, cell = Cell.LSTM, dropout = 0.3, recurrentDropout = 0.25)",
                "    Layer lower();",
                "    @Recurrent(hidden = 3, cell = Cell.LSTM, dropout = 0.3)",
                "    Layer upper();",
                "}");
    }

    /** The GRU with PyTorch's two biases: b and b_hn summed from b_ih and b_hh, their gradients split back. */
    @EachCompiler
    void gruWithTwoBiases(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.TwoBiasGruTagger", "golden.UnfoldedTwoBiasGruTagger",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 3, output = 2, loss = Loss.MSE)",
                "public interface TwoBiasGruTagger extends SequenceModel {",
                "    @Recurrent(hidden = 4, cell = Cell.GRU, biases = Biases.TWO)",
                "    Layer gru();",
                "}");
    }

    /** The LSTM tagger in float32: float parameters, buffers and arrays, FloatActivations, the loss summed in double. */
    @EachCompiler
    void float32Lstm(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.FloatLstmTagger", "golden.UnfoldedFloatLstmTagger",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 3, output = 2, loss = Loss.MSE, precision = Precision.FLOAT32)",
                "public interface FloatLstmTagger extends Streaming {",
                "    @Recurrent(hidden = 4, cell = Cell.LSTM)",
                "    Layer lstm();",
                "}");
    }

    /** A bidirectional GRU classifier in float32: the softmax and its cross-entropy in float, many-to-one. */
    @EachCompiler
    void float32BidirectionalGruClassifier(TestCompiler compiler) throws IOException {
        assertGolden(compiler, "golden.FloatProteins", "golden.UnfoldedFloatProteins",
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 5, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE,",
                "        precision = Precision.FLOAT32)",
                "public interface FloatProteins extends Classifier, Traceable {",
                "    @Recurrent(hidden = 4, cell = Cell.GRU)",
                "    @Bidirectional",
                "    Layer encoder();",
                "}");
    }

    @EachCompiler
    void sameDeclarationGivesIdenticalSource(TestCompiler compiler) {
        String[] lines = {
                "package golden;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 3, output = 2, loss = Loss.BINARY_CROSS_ENTROPY)",
                "public interface Tagger extends SequenceModel {",
                "    @Recurrent(hidden = 5, activation = Activation.IDENTITY) Layer rnn();",
                "}"};
        String first = TestCompiler.generatedSource(
                compiler.compileCleanly(List.of(TestCompiler.source("golden.Tagger", lines))), "golden.UnfoldedTagger");
        String second = TestCompiler.generatedSource(
                compiler.compileCleanly(List.of(TestCompiler.source("golden.Tagger", lines))), "golden.UnfoldedTagger");
        assertEquals(first, second);
    }

    private static void assertGolden(TestCompiler compiler, String sourceName, String generatedClass, String... declaration)
            throws IOException {
        Compilation compilation = compiler.compileCleanly(List.of(TestCompiler.source(sourceName, declaration)));
        String actual = TestCompiler.generatedSource(compilation, generatedClass);
        Path golden = EXPECTED.resolve(generatedClass.replace('.', '/') + ".java");
        if (UPDATE) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual,
                "generated source differs from " + golden + "; if the change is deliberate, rerun with"
                        + " -Dunfold.updateGolden=true and review the diff");
    }
}
