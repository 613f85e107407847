package dev.unfold.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runtime's helpers take the capability they need, so that handing them a network that lacks it
 * is a compile error, not an exception at run time: each call below compiles with a network of the
 * capability and fails to with one without it.
 */
class CapabilityTypesTest {

    /** One use of the runtime: the parameters' types, what the call needs, and the call. */
    private record Use(String name, String fits, String lacks, String call) {}

    private static final List<Use> USES = List.of(
            new Use("TruncatedBptt carries state", "Streaming", "Classifier",
                    "new dev.unfold.runtime.train.TruncatedBptt(net, 4);"),
            new Use("TruncatedBptt with labels needs a classifier", "Streaming & Classifier", "Streaming",
                    "new dev.unfold.runtime.train.TruncatedBptt.OfClassifier(net, 4);"),
            new Use("StreamChunks streams a classifier", "Streaming & Classifier", "Classifier",
                    "dev.unfold.runtime.data.StreamChunks.nextToken(net, new int[] {1, 2, 3}, 2);"),
            new Use("a Generator streams", "Streaming & Classifier", "Classifier & Traceable",
                    "new dev.unfold.runtime.seq2seq.Generator(net);"),
            new Use("a Generator picks classes", "Streaming & Classifier", "Streaming",
                    "new dev.unfold.runtime.seq2seq.Generator(net);"),
            new Use("an EncoderDecoder's encoder is an Encoder", "Encoder & Decoder & Classifier",
                    "Decoder & Classifier", "new dev.unfold.runtime.seq2seq.EncoderDecoder(net, net);"),
            new Use("an EncoderDecoder's decoders take labels", "Encoder & Decoder & Classifier", "Encoder & Decoder",
                    "new dev.unfold.runtime.seq2seq.EncoderDecoder(net, net);"),
            new Use("minibatches of labels need a classifier", "Classifier", "Streaming",
                    "dev.unfold.runtime.data.Minibatches.of(net, new double[1][1][1], new int[1][1], 1);"),
            new Use("context sequences need a context", "Contextual & Classifier", "Classifier",
                    "new dev.unfold.runtime.data.ContextSequences(net, new double[1][1], new int[1][1], new int[1][1], 1);"),
            new Use("a gradient report needs a trace", "Traceable", "Streaming",
                    "dev.unfold.runtime.diagnostics.GradientReport.of(net, new double[1][1], new double[1][1]);"),
            new Use("a network steps only if it streams", "Streaming", "Classifier",
                    "net.step(new double[1], new double[1]);"),
            new Use("a network takes labels only if it classifies", "Classifier", "Streaming",
                    "net.backward(new double[1][1], new int[1]);"),
            new Use("a network hands on its state only if it encodes", "Encoder", "Decoder",
                    "net.finalState(new double[1], 0);"),
            new Use("a network starts from given states only if it decodes", "Decoder", "Encoder",
                    "net.setInitialStates(new double[1][1]);"),
            new Use("a network takes a context only if it declares one", "Contextual", "Streaming",
                    "net.setContext(new double[1]);"),
            new Use("a network trains on its own predictions only if it reads its output", "Autoregressive",
                    "Streaming", "net.setScheduledSampling(0.5, new java.util.Random(1));"),
            new Use("a network traces only if it is traceable", "Traceable", "Streaming",
                    "net.traceStateGradients(true);"));

    /** A class with a method whose parameter {@code net} has the given type (an intersection allowed). */
    private static JavaFileObject caller(String type, String call) {
        return TestCompiler.inTestPackage("Caller",
                "public class Caller {",
                "    <N extends " + type + "> void use(N net) {",
                "        " + call,
                "    }",
                "}");
    }

    @TestFactory
    Stream<DynamicTest> eachHelperCompilesWithTheCapabilityAndNotWithout() {
        return USES.stream().flatMap(use -> Arrays.stream(TestCompiler.values()).map(compiler ->
                DynamicTest.dynamicTest(compiler + ": " + use.name(), () -> {
                    assertThat(compiler.compile(caller(use.fits(), use.call()))).succeeded();
                    Compilation without = compiler.compile(caller(use.lacks(), use.call()));
                    assertThat(without).failed();
                    assertThat(without).hadErrorCount(1);
                })));
    }
}
