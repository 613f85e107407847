package dev.unfold.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;

/**
 * A declared dropout that cannot be is a compile error on its annotation value, {@code UnfoldDropout},
 * under javac and ECJ: a rate outside 0 ≤ p &lt; 1 (or not a number), recurrent dropout on a layer
 * without W_hh, dropout where training runs passes besides backward. 0 declares none.
 */
class DropoutDeclarationTest {

    private static void assertSingleError(TestCompiler compiler, JavaFileObject file, String fixHint, int line) {
        Compilation compilation = compiler.compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[UnfoldDropout]").inFile(file).onLine(line);
        assertThat(compilation).hadErrorContaining(fixHint).inFile(file).onLine(line);
        assertThat(compilation).hadErrorCount(1);
        assertEquals(List.of(), compiler.generatedSourcesOnDisk(file), "a declaration with errors generates nothing");
    }

    private static JavaFileObject layer(String name, String values) {
        return TestCompiler.inTestPackage(name,
                "@Network(input = 4, output = 1)",
                "public interface " + name + " extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.LSTM,",
                "        " + values + ")",
                "    Layer rnn();",
                "}");
    }

    @EachCompiler
    void dropoutOfOne(TestCompiler compiler) {
        assertSingleError(compiler, layer("DropAll", "dropout = 1.0"),
                "dropout of rnn must be a probability 0 <= p < 1, got 1.0", 8);
    }

    @EachCompiler
    void negativeRecurrentDropout(TestCompiler compiler) {
        assertSingleError(compiler, layer("DropNegative", "recurrentDropout = -0.1"),
                "recurrentDropout of rnn must be a probability 0 <= p < 1, got -0.1: each value is dropped with"
                        + " probability p and a kept one scaled by 1/(1 - p); declare for example recurrentDropout = 0.25",
                8);
    }

    @EachCompiler
    void dropoutNotANumber(TestCompiler compiler) {
        assertSingleError(compiler, layer("DropNaN", "dropout = 0.0 / 0.0"), "got NaN", 8);
    }

    @EachCompiler
    void infiniteDropout(TestCompiler compiler) {
        assertSingleError(compiler, layer("DropInfinite", "recurrentDropout = 1.0 / 0.0"), "got Infinity", 8);
    }

    @EachCompiler
    void recurrentDropoutWithoutWhh(TestCompiler compiler) {
        assertSingleError(compiler, TestCompiler.inTestPackage("Folded",
                "@Network(input = 4, output = 1)",
                "public interface Folded extends Autoregressive {",
                "    @Recurrent(hidden = 3, recurrence = Recurrence.OUTPUT,",
                "        recurrentDropout = 0.2)",
                "    Layer rnn();",
                "}"), "rnn has no W_hh (recurrence = OUTPUT)", 8);
    }

    @EachCompiler
    void dropoutInAnEncoder(TestCompiler compiler) {
        assertSingleError(compiler, TestCompiler.inTestPackage("DroppingEncoder",
                "@Network(input = 4, output = 1)",
                "public interface DroppingEncoder extends Encoder {",
                "    @Recurrent(hidden = 3, cell = Cell.GRU,",
                "        dropout = 0.2)",
                "    Layer rnn();",
                "}"), "dropout is not supported yet for a network that extends Encoder", 8);
    }

    @EachCompiler
    void dropoutInADecoder(TestCompiler compiler) {
        assertSingleError(compiler, TestCompiler.inTestPackage("DroppingDecoder",
                "@Network(input = 4, output = 1)",
                "public interface DroppingDecoder extends Decoder {",
                "    @Recurrent(hidden = 3, cell = Cell.LSTM,",
                "        recurrentDropout = 0.2)",
                "    Layer rnn();",
                "}"), "recurrentDropout is not supported yet for a network that extends Decoder", 8);
    }

    @EachCompiler
    void zeroDeclaresNone(TestCompiler compiler) {
        Compilation compilation = compiler.compileCleanly(List.of(layer("DropNothing",
                "dropout = 0, recurrentDropout = 0.0")));
        assertEquals(false, TestCompiler.generatedSource(compilation, "test.UnfoldedDropNothing").contains("Dropout"),
                "nothing of dropout is generated");
    }
}
