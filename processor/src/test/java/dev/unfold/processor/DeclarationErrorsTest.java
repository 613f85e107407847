package dev.unfold.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;

/**
 * Every mistake a user can make in a declaration is a compile error on the line that holds it,
 * with a stable id and the fix in the message, and generates nothing.
 */
class DeclarationErrorsTest {

    /** A file whose line 1 is the package and whose line 5 is the first line of {@code body}. */
    private static JavaFileObject file(String name, String... body) {
        return TestCompiler.inTestPackage(name, body);
    }

    private static void assertSingleError(TestCompiler compiler, JavaFileObject file, String id, String fixHint, int line) {
        Compilation compilation = compiler.compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[" + id + "]").inFile(file).onLine(line);
        assertThat(compilation).hadErrorContaining(fixHint).inFile(file).onLine(line);
        assertThat(compilation).hadErrorCount(1);
        assertEquals(List.of(), compiler.generatedSourcesOnDisk(file), "a declaration with errors generates nothing");
    }

    @EachCompiler
    void networkOnAClass(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public abstract class Net implements SequenceModel {",
                "}"), "UnfoldNotInterface", "declare it as `interface Net extends SequenceModel`", 6);
    }

    @EachCompiler
    void networkOnAnEnum(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public enum Net { A }"), "UnfoldNotInterface", "Net is an enum", 6);
    }

    @EachCompiler
    void interfaceNotExtendingSequenceModel(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldNotSequenceModel", "interface Net extends SequenceModel", 6);
    }

    @EachCompiler
    void genericInterface(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net<T> extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldGenericNetwork", "remove the type parameters", 6);
    }

    @EachCompiler
    void privateNestedInterface(TestCompiler compiler) {
        assertSingleError(compiler, file("Outer",
                "public class Outer {",
                "    @Network(input = 4, output = 1)",
                "    private interface Net extends SequenceModel {",
                "        @Recurrent(hidden = 3) Layer rnn();",
                "    }",
                "}"), "UnfoldPrivateNetwork", "make it package-private or public", 7);
    }

    @EachCompiler
    void inputNotPositive(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(",
                "    input = 0,",
                "    output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldInputSize", "input must be at least 1, got 0", 6);
    }

    @EachCompiler
    void contextNegative(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1,",
                "    context = -3)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldContextSize", "context must be 0 (none) or at least 1, got -3", 6);
    }

    @EachCompiler
    void outputNotPositive(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4,",
                "    output = -2)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldOutputSize", "output must be at least 1, got -2", 6);
    }

    @EachCompiler
    void hiddenNotPositive(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer first();",
                "    @Recurrent(",
                "        hidden = 0)",
                "    Layer second();",
                "}"), "UnfoldHiddenSize", "hidden must be at least 1, got 0", 9);
    }

    @EachCompiler
    void noLayers(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "}"), "UnfoldNoLayers", "`@Recurrent(hidden = 20) Layer rnn();`", 6);
    }

    @EachCompiler
    void layerWithParameters(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3)",
                "    Layer rnn(int size);",
                "}"), "UnfoldLayerParameters", "declare it as `Layer rnn();`", 8);
    }

    @EachCompiler
    void layerWithAnotherReturnType(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3)",
                "    int rnn();",
                "}"), "UnfoldLayerReturnType", "must return dev.unfold.runtime.Layer, not int", 8);
    }

    @EachCompiler
    void layerWithABody(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3)",
                "    default Layer rnn() { return null; }",
                "}"), "UnfoldLayerNotAbstract", "remove its body", 8);
    }

    @EachCompiler
    void genericLayerMethod(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3)",
                "    <T> Layer rnn();",
                "}"), "UnfoldGenericLayer", "must not declare type parameters", 8);
    }

    @EachCompiler
    void layerMethodWithoutRecurrent(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "    Layer forgotten();",
                "}"), "UnfoldMissingRecurrent", "annotate it with @Recurrent(hidden = ...)", 8);
    }

    @EachCompiler
    void layerNamedLikeTheOutputProjection(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3)",
                "    Layer out();",
                "}"), "UnfoldReservedLayerName", "out.weight and out.bias; rename the method", 8);
    }

    @EachCompiler
    void crossEntropyWithOneOutput(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1,",
                "    loss = Loss.CROSS_ENTROPY)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldCrossEntropyOutput", "use loss = Loss.BINARY_CROSS_ENTROPY", 6);
    }

    @EachCompiler
    void activationOnAGatedCell(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.LSTM,",
                "        activation = Activation.RELU)",
                "    Layer rnn();",
                "}"), "UnfoldGatedActivation", "remove `activation = RELU`", 8);
    }

    @EachCompiler
    void defaultActivationSpelledOutOnAGruIsFine(TestCompiler compiler) {
        compiler.compileCleanly(List.of(file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.GRU, activation = Activation.TANH) Layer rnn();",
                "}")));
    }

    @EachCompiler
    void bidirectionalWithoutRecurrent(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer first();",
                "    @Bidirectional",
                "    Layer second();",
                "}"), "UnfoldBidirectionalWithoutRecurrent", "add @Recurrent(hidden = ...) to it", 8);
    }

    @EachCompiler
    void lstmTooLargeCountsItsFourGates(TestCompiler compiler) {
        // 4 · 25,000 rows × 25,000 columns: one LSTM weight matrix no Java array holds
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(",
                "        hidden = 25000, cell = Cell.LSTM)",
                "    Layer rnn();",
                "}"), "UnfoldTooLarge", "more than a Java array holds", 8);
    }

    @EachCompiler
    void abstractMethodThatIsNotALayer(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "    String describe();",
                "}"), "UnfoldUnimplementableMethod", "give it a default body, or remove it", 8);
    }

    @EachCompiler
    void inheritedAbstractMethodThatIsNotALayer(TestCompiler compiler) {
        JavaFileObject base = file("Described", "public interface Described { String describe(); }");
        JavaFileObject net = file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel, Described {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}");
        Compilation compilation = compiler.compile(base, net);
        assertThat(compilation).hadErrorContaining("[UnfoldUnimplementableMethod] abstract method test.Described.describe()")
                .inFile(net).onLine(6);
    }

    @EachCompiler
    void networkTooLargeForJavaArrays(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(",
                "        hidden = 50000)",
                "    Layer rnn();",
                "}"), "UnfoldTooLarge", "more than a Java array holds", 8);
    }

    @EachCompiler
    void everyMistakeInOneDeclarationIsReported(TestCompiler compiler) {
        Compilation compilation = compiler.compile(file("Net",
                "@Network(input = 0, output = 0)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = -1) Layer rnn();",
                "    @Recurrent(hidden = 2) Layer other(int x);",
                "}"));
        assertThat(compilation).hadErrorCount(4);
    }

    @EachCompiler
    void oneBadInterfaceDoesNotStopTheOthers(TestCompiler compiler) {
        JavaFileObject bad = file("Bad",
                "@Network(input = 4, output = 1)",
                "public interface Bad extends SequenceModel {",
                "    @Recurrent(hidden = 0) Layer rnn();",
                "}");
        JavaFileObject good = file("Good",
                "@Network(input = 4, output = 1)",
                "public interface Good extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}");
        Compilation compilation = compiler.compile(bad, good);
        assertThat(compilation).hadErrorCount(1);
        assertEquals(List.of("test/UnfoldedGood.java"), compiler.generatedSourcesOnDisk(bad, good));
    }

    @EachCompiler
    void generatedNameAlreadyTaken(TestCompiler compiler) {
        JavaFileObject taken = file("UnfoldedNet", "public class UnfoldedNet {}");
        JavaFileObject net = file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}");
        Compilation compilation = compiler.compile(taken, net);
        assertThat(compilation).hadErrorContaining("[UnfoldCannotWrite]").inFile(net).onLine(6);
    }

    @EachCompiler
    void twoInterfacesThatWouldGenerateTheSameClass(TestCompiler compiler) {
        JavaFileObject nested = file("Outer",
                "public interface Outer {",
                "    @Network(input = 4, output = 1)",
                "    interface Net extends SequenceModel {",
                "        @Recurrent(hidden = 3) Layer rnn();",
                "    }",
                "}");
        JavaFileObject flat = file("Outer_Net",
                "@Network(input = 4, output = 1)",
                "public interface Outer_Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}");
        Compilation compilation = compiler.compile(nested, flat);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[UnfoldCannotWrite] could not write UnfoldedOuter_Net");
        assertThat(compilation).hadErrorContaining("rename one of the two interfaces");
        assertEquals(List.of("test/UnfoldedOuter_Net.java"), compiler.generatedSourcesOnDisk(nested, flat));
    }

    @EachCompiler
    void unexpectedFailureInsideTheProcessorIsAnErrorAtTheInterface(TestCompiler compiler) {
        JavaFileObject net = file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}");
        UnfoldProcessor failing = new UnfoldProcessor(plan -> {
            throw new IllegalStateException("boom");
        });
        Compilation compilation = compiler.compile(List.of(failing), List.of(net));
        assertThat(compilation).hadErrorContaining("[UnfoldInternalError]").inFile(net).onLine(6);
        assertThat(compilation).hadErrorContaining("IllegalStateException: boom");
    }

    @EachCompiler
    void layerNamesThatMakeTheSameConstantStillCompile(TestCompiler compiler) {
        Compilation compilation = compiler.compileCleanly(List.of(file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn_a();",
                "    @Recurrent(hidden = 2) Layer rnnA();",
                "    @Recurrent(hidden = 2) Layer capacity();",
                "}")));
        assertThat(compilation).generatedSourceFile("test.UnfoldedNet");
    }

    /** Layers named as the members streaming, truncated BPTT, masked batches, encoders and diagnostics add. */
    @EachCompiler
    void layerNamesLikeTheGeneratedMembersStillCompile(TestCompiler compiler) {
        Compilation compilation = compiler.compileCleanly(List.of(file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer stateful();",
                "    @Recurrent(hidden = 2) Layer lastSteps();",
                "    @Recurrent(hidden = 2) Layer batchLengths();",
                "    @Recurrent(hidden = 2) Layer batchShortest();",
                "    @Recurrent(hidden = 2) Layer backpropagateFromState();",
                "    @Recurrent(hidden = 2) Layer stateGradientTrace();",
                "    @Recurrent(hidden = 2) Layer stateGradientTracing();",
                "    @Recurrent(hidden = 2) Layer forgetGates();",
                "}")));
        assertThat(compilation).generatedSourceFile("test.UnfoldedNet");
    }
}
