package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;

/**
 * A generated class implements what its interface declares and nothing it could only refuse: no
 * method of any kind of network throws UnsupportedOperationException, because a network has only the
 * capabilities its declaration allows (the validator refuses the others at the extends clause).
 */
class NoRefusingMethodTest {
    /** A method at the class's indentation, with its body: what it throws, if that is all it does. */
    private static final Pattern METHOD = Pattern.compile("\n    (?:public |private |protected )[^\n{;=]*\\([^)]*\\) \\{\n(.*?)\n    }\n",
            Pattern.DOTALL);

    /** Networks RandomNetworks does not make: a context, an output fed back, and both. */
    private static final List<JavaFileObject> TOLD_AND_FED = List.of(
            TestCompiler.inTestPackage("Told",
                    "@Network(input = 3, output = 2, context = 2)",
                    "public interface Told extends Encoder, Decoder, Contextual {",
                    "    @Recurrent(hidden = 3, cell = Cell.LSTM) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Fed",
                    "@Network(input = 3, output = 2)",
                    "public interface Fed extends Autoregressive {",
                    "    @Recurrent(hidden = 3, recurrence = Recurrence.OUTPUT) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("ToldAndFed",
                    "@Network(input = 3, output = 3, loss = Loss.CROSS_ENTROPY, context = 2)",
                    "public interface ToldAndFed extends Autoregressive, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("ToldBoth",
                    "@Network(input = 3, output = 2, context = 2, mapping = Mapping.MANY_TO_ONE)",
                    "public interface ToldBoth extends Contextual {",
                    "    @Recurrent(hidden = 3) @Bidirectional Layer rnn();",
                    "}"));

    @EachCompiler
    void noGeneratedMethodThrowsUnsupportedOperationException(TestCompiler compiler) throws IOException {
        List<JavaFileObject> sources = new ArrayList<>(RandomNetworks.allCombinations(16).stream()
                .flatMap(spec -> java.util.stream.Stream.of(spec, spec.in(dev.unfold.Precision.FLOAT32)))
                .map(RandomNetworks.Spec::source).toList());
        sources.addAll(TOLD_AND_FED);
        Compilation compilation = compiler.compileCleanly(sources);
        List<String> refusing = new ArrayList<>();
        int classes = 0;
        int methods = 0;
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            String source = file.getCharContent(true).toString();
            classes++;
            Matcher method = METHOD.matcher(source);
            while (method.find()) {
                methods++;
                if (method.group(1).contains("UnsupportedOperationException")) {
                    refusing.add(file.getName() + ": " + method.group().strip().lines().findFirst().orElseThrow());
                }
            }
            assertTrue(!source.contains("UnsupportedOperationException"), file.getName() + " refuses something");
        }
        assertEquals(sources.size(), classes, "one generated class per network");
        assertTrue(methods > 100 * classes / 2, "the pattern finds the methods: " + methods + " in " + classes);
        assertEquals(List.of(), refusing);
    }
}
