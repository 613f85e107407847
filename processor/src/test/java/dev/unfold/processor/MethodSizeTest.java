package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unfold.Precision;
import dev.unfold.processor.validate.DeclarationValidator;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * HotSpot refuses to JIT-compile a method over 8000 bytes of bytecode, and runs it interpreted,
 * orders of magnitude slower. Every generated method must stay under that, at any size.
 */
class MethodSizeTest {
    private static final int HUGE_METHOD_LIMIT = 8000;

    @EachCompiler
    void everyGeneratedMethodIsJitCompilable(TestCompiler compiler) {
        Compilation compilation = compiler.compileCleanly(inBothPrecisions(
                TestCompiler.source("sizes.Large",
                        "package sizes;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 512, output = 1000, loss = Loss.CROSS_ENTROPY)",
                        "public interface Large extends Encoder, Decoder, Classifier, Traceable {",
                        "    @Recurrent(hidden = 1024) Layer first();",
                        "    @Recurrent(hidden = 1024, activation = Activation.SIGMOID) Layer second();",
                        "    @Recurrent(hidden = 256, activation = Activation.RELU) Layer third();",
                        "}"),
                TestCompiler.source("sizes.Gated",
                        "package sizes;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 128, output = 128, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                        "public interface Gated extends Classifier, Traceable {",
                        "    @Recurrent(hidden = 512, cell = Cell.LSTM) @Bidirectional Layer lstm();",
                        "    @Recurrent(hidden = 512, cell = Cell.GRU) @Bidirectional Layer gru();",
                        "}"),
                TestCompiler.source("sizes.Projected",
                        "package sizes;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 256, output = 500, loss = Loss.CROSS_ENTROPY)",
                        "public interface Projected extends Classifier, Traceable {",
                        "    @Recurrent(hidden = 1024, cell = Cell.LSTM, projection = 256) @Bidirectional Layer lower();",
                        "    @Recurrent(hidden = 512, cell = Cell.LSTM, projection = 128) Layer upper();",
                        "}"),
                TestCompiler.source("sizes.Dropped",
                        "package sizes;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 256, output = 500, loss = Loss.CROSS_ENTROPY)",
                        "public interface Dropped extends Streaming, Classifier, Traceable {",
                        "    @Recurrent(hidden = 1024, cell = Cell.LSTM, projection = 256, dropout = 0.2,",
                        "        recurrentDropout = 0.3) Layer lower();",
                        "    @Recurrent(hidden = 512, cell = Cell.GRU, dropout = 0.4, recurrentDropout = 0.1) Layer upper();",
                        "}"),
                TestCompiler.source("sizes.Tiny",
                        "package sizes;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 1, output = 1, loss = Loss.BINARY_CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                        "public interface Tiny extends Encoder, Decoder, Traceable {",
                        "    @Recurrent(hidden = 1, activation = Activation.IDENTITY) Layer rnn();",
                        "}")));
        Map<String, byte[]> classes = TestCompiler.classFiles(compilation);
        for (String generated : List.of("sizes.UnfoldedLarge", "sizes.UnfoldedGated", "sizes.UnfoldedProjected",
                "sizes.UnfoldedTiny", "sizes.UnfoldedDropped", "sizes.UnfoldedFloatLarge", "sizes.UnfoldedFloatGated",
                "sizes.UnfoldedFloatProjected", "sizes.UnfoldedFloatTiny", "sizes.UnfoldedFloatDropped")) {
            Map<String, Integer> lengths = ClassFiles.codeLengths(classes.get(generated));
            assertFalse(lengths.isEmpty());
            lengths.forEach((method, length) -> assertTrue(length < HUGE_METHOD_LIMIT,
                    generated + "." + method + " has " + length + " bytes of bytecode"));
        }
    }

    /**
     * The most layers validation accepts, of the kinds whose code grows fastest with the layer
     * count: every method that runs at each step or pass stays JIT-compilable. Only the two that run
     * once per allocation may be larger (the constructor, and batchReserve, which grows the batch
     * buffers); the class compiling shows them under the JVM's 64 KB per method.
     */
    @EachCompiler
    void theMostLayersValidationAcceptsCompileIntoJitCompilablePasses(TestCompiler compiler) {
        int layers = DeclarationValidator.MAX_LAYERS;
        Compilation compilation = compiler.compileCleanly(inBothPrecisions(
                deep("Lstms", "@Network(input = 3, output = 2, context = 2)", "Contextual, Traceable",
                        "@Recurrent(hidden = 2, cell = Cell.LSTM) @Bidirectional", layers),
                deep("Grus", "@Network(input = 3, output = 2, context = 2, loss = Loss.CROSS_ENTROPY,"
                        + " mapping = Mapping.MANY_TO_ONE)", "Contextual, Classifier, Traceable",
                        "@Recurrent(hidden = 2, cell = Cell.GRU) @Bidirectional", layers),
                deep("Projections", "@Network(input = 3, output = 2, context = 2)", "Contextual, Traceable",
                        "@Recurrent(hidden = 3, cell = Cell.LSTM, projection = 2) @Bidirectional", layers),
                deep("Droppers", "@Network(input = 3, output = 2, context = 2)", "Contextual, Traceable",
                        "@Recurrent(hidden = 3, cell = Cell.LSTM, projection = 2, dropout = 0.2, recurrentDropout = 0.2)"
                                + " @Bidirectional", layers)));
        Map<String, byte[]> classes = TestCompiler.classFiles(compilation);
        ClassLoader loader = TestCompiler.loader(compilation);
        for (String generated : List.of("sizes.UnfoldedLstms", "sizes.UnfoldedGrus", "sizes.UnfoldedProjections",
                "sizes.UnfoldedDroppers", "sizes.UnfoldedFloatLstms", "sizes.UnfoldedFloatGrus",
                "sizes.UnfoldedFloatProjections", "sizes.UnfoldedFloatDroppers")) {
            ClassFiles.codeLengths(classes.get(generated)).forEach((method, length) -> assertTrue(
                    length < HUGE_METHOD_LIMIT || method.startsWith("<init>") || method.startsWith("batchReserve("),
                    generated + "." + method + " has " + length + " bytes of bytecode"));
            Contextual net = TestCompiler.instantiate(loader, generated, 5);
            assertEquals(layers, net.layers().size());
            net.setContext(new double[] {1, -1});
            double loss;
            if (net.precision() == Precision.FLOAT32) {
                float[][] xs = {{0.5f, -0.5f, 1}, {1, 0, -1}};
                loss = generated.endsWith("Grus") ? ((Classifier) net).backward(xs, new int[] {1})
                        : net.backward(xs, new float[][] {{1, 0}, {0, 1}});
            } else {
                double[][] xs = {{0.5, -0.5, 1}, {1, 0, -1}};
                loss = generated.endsWith("Grus") ? ((Classifier) net).backward(xs, new int[] {1})
                        : net.backward(xs, new double[][] {{1, 0}, {0, 1}});
            }
            assertTrue(Double.isFinite(loss) && loss > 0, generated + ": loss " + loss);
        }
    }

    /** The declarations, and each again in float32 as {@code FloatName}: the same code over float arrays. */
    private static List<JavaFileObject> inBothPrecisions(JavaFileObject... declarations) {
        List<JavaFileObject> sources = new ArrayList<>(List.of(declarations));
        for (JavaFileObject declaration : declarations) {
            try {
                String source = declaration.getCharContent(true).toString();
                String name = source.replaceAll("(?s).*public interface (\\w+).*", "$1");
                sources.add(TestCompiler.source("sizes.Float" + name, source
                        .replace("public interface " + name + " ", "public interface Float" + name + " ")
                        .replace("@Network(", "@Network(precision = Precision.FLOAT32, ")
                        .split("\n")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return sources;
    }

    private static JavaFileObject deep(String name, String network, String capabilities, String layer, int layers) {
        List<String> lines = new ArrayList<>(List.of("package sizes;", "import dev.unfold.*;", "import dev.unfold.runtime.*;",
                network, "public interface " + name + " extends " + capabilities + " {"));
        for (int k = 0; k < layers; k++) {
            lines.add("    " + layer + " Layer layer" + k + "();");
        }
        lines.add("}");
        return TestCompiler.source("sizes." + name, lines.toArray(String[]::new));
    }
}
