package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Map;

/**
 * HotSpot refuses to JIT-compile a method over 8000 bytes of bytecode, and runs it interpreted,
 * orders of magnitude slower. Every generated method must stay under that, at any size.
 */
class MethodSizeTest {
    private static final int HUGE_METHOD_LIMIT = 8000;

    @EachCompiler
    void everyGeneratedMethodIsJitCompilable(TestCompiler compiler) {
        Compilation compilation = compiler.compileCleanly(List.of(
                TestCompiler.source("sizes.Large",
                        "package sizes;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 512, output = 1000, loss = Loss.CROSS_ENTROPY)",
                        "public interface Large extends SequenceModel {",
                        "    @Recurrent(hidden = 1024) Layer first();",
                        "    @Recurrent(hidden = 1024, activation = Activation.SIGMOID) Layer second();",
                        "    @Recurrent(hidden = 256, activation = Activation.RELU) Layer third();",
                        "}"),
                TestCompiler.source("sizes.Gated",
                        "package sizes;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 128, output = 128, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                        "public interface Gated extends SequenceModel {",
                        "    @Recurrent(hidden = 512, cell = Cell.LSTM) @Bidirectional Layer lstm();",
                        "    @Recurrent(hidden = 512, cell = Cell.GRU) @Bidirectional Layer gru();",
                        "}"),
                TestCompiler.source("sizes.Tiny",
                        "package sizes;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 1, output = 1, loss = Loss.BINARY_CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                        "public interface Tiny extends SequenceModel {",
                        "    @Recurrent(hidden = 1, activation = Activation.IDENTITY) Layer rnn();",
                        "}")));
        Map<String, byte[]> classes = TestCompiler.classFiles(compilation);
        for (String generated : List.of("sizes.UnfoldedLarge", "sizes.UnfoldedGated", "sizes.UnfoldedTiny")) {
            Map<String, Integer> lengths = ClassFiles.codeLengths(classes.get(generated));
            assertFalse(lengths.isEmpty());
            lengths.forEach((method, length) -> assertTrue(length < HUGE_METHOD_LIMIT,
                    generated + "." + method + " has " + length + " bytes of bytecode"));
        }
    }
}
