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
                "public interface Net extends Contextual {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldContextSize", "context must be 0 (none) or at least 1, got -3", 6);
    }

    @EachCompiler
    void outputRecurrenceBeyondTheFirstLayer(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer bottom();",
                "    @Recurrent(hidden = 3,",
                "        recurrence = Recurrence.OUTPUT) Layer top();",
                "}"), "UnfoldOutputRecurrenceLayer", "move `recurrence = OUTPUT` to bottom()", 9);
    }

    @EachCompiler
    void outputRecurrenceWithOneOutputPerSequence(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1, mapping = Mapping.MANY_TO_ONE)",
                "public interface Net extends Autoregressive {",
                "    @Recurrent(hidden = 3,",
                "        recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer rnn();",
                "}"), "UnfoldOutputRecurrenceMapping", "use MANY_TO_MANY or remove `recurrence = HIDDEN_AND_OUTPUT`", 8);
    }

    @EachCompiler
    void outputOnlyRecurrenceInAGatedCell(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends Autoregressive {",
                "    @Recurrent(hidden = 3, cell = Cell.GRU,",
                "        recurrence = Recurrence.OUTPUT) Layer gru();",
                "}"), "UnfoldOutputRecurrenceCell", "GRU gates read h_{t−1}: use recurrence = HIDDEN_AND_OUTPUT", 8);
    }

    @EachCompiler
    void outputRecurrenceWithABidirectionalLayer(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends Autoregressive {",
                "    @Recurrent(hidden = 3,",
                "        recurrence = Recurrence.OUTPUT) Layer rnn();",
                "    @Recurrent(hidden = 3) @Bidirectional Layer both();",
                "}"), "UnfoldOutputRecurrenceBidirectional", "both is bidirectional", 8);
    }

    /** An encoder of two LSTM layers of 8, and a decoder declaring {@code layers} against it. */
    private static void assertDecoderError(TestCompiler compiler, String encoderLayers, String decoderLayers, String id,
                                           String fixHint) {
        JavaFileObject encoder = file("Encoder",
                "@Network(input = 4, output = 1)",
                "public interface Encoder extends SequenceModel {",
                encoderLayers,
                "}");
        JavaFileObject decoder = file("Decoder",
                "@Network(input = 4, output = 4, loss = Loss.CROSS_ENTROPY)",
                "@DecodesFrom(",
                "    Encoder.class)",
                "public interface Decoder extends dev.unfold.runtime.Decoder, Classifier {",
                decoderLayers,
                "}");
        Compilation compilation = compiler.compile(encoder, decoder);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[" + id + "]").inFile(decoder).onLine(7);
        assertThat(compilation).hadErrorContaining(fixHint).inFile(decoder).onLine(7);
        assertThat(compilation).hadErrorCount(1);
    }

    private static final String TWO_LSTMS = "@Recurrent(hidden = 8, cell = Cell.LSTM) Layer first();"
            + " @Recurrent(hidden = 8, cell = Cell.LSTM) Layer second();";

    @EachCompiler
    void decoderWithFewerLayersThanItsEncoder(TestCompiler compiler) {
        assertDecoderError(compiler, TWO_LSTMS, "@Recurrent(hidden = 8, cell = Cell.LSTM) Layer only();",
                "UnfoldEncoderLayers", "Encoder has 2 layers and Decoder 1 layer: each decoder layer starts from"
                        + " the encoder layer at the same depth");
    }

    @EachCompiler
    void decoderLayerOfAnotherSize(TestCompiler compiler) {
        assertDecoderError(compiler, TWO_LSTMS, "@Recurrent(hidden = 8, cell = Cell.LSTM) Layer a();"
                        + " @Recurrent(hidden = 6, cell = Cell.LSTM) Layer b();",
                "UnfoldEncoderHidden", "layer 2 (Decoder.b and Encoder.second) has hidden = 6 in the decoder and 8"
                        + " in the encoder");
    }

    @EachCompiler
    void decoderGruFacingAnEncoderLstm(TestCompiler compiler) {
        assertDecoderError(compiler, TWO_LSTMS, "@Recurrent(hidden = 8, cell = Cell.GRU) Layer a();"
                        + " @Recurrent(hidden = 8, cell = Cell.LSTM) Layer b();",
                "UnfoldEncoderCell", "an LSTM's state is h and c, so make both LSTM or neither");
    }

    @EachCompiler
    void bidirectionalEncoder(TestCompiler compiler) {
        assertDecoderError(compiler, "@Recurrent(hidden = 8) @Bidirectional Layer both();",
                "@Recurrent(hidden = 8) Layer rnn();", "UnfoldEncoderBidirectional",
                "layer 1 (Decoder.rnn and Encoder.both) is bidirectional");
    }

    @EachCompiler
    void encoderThatIsNoNetwork(TestCompiler compiler) {
        JavaFileObject decoder = file("Decoder",
                "@Network(input = 4, output = 4)",
                "@DecodesFrom(",
                "    String.class)",
                "public interface Decoder extends dev.unfold.runtime.Decoder {",
                "    @Recurrent(hidden = 8) Layer rnn();",
                "}");
        assertSingleError(compiler, decoder, "UnfoldEncoderNotNetwork", "@DecodesFrom names String, which is not a"
                + " @Network interface", 7);
    }

    @EachCompiler
    void encoderThatIsAPrimitiveType(TestCompiler compiler) {
        assertSingleError(compiler, file("Decoder",
                "@Network(input = 4, output = 4)",
                "@DecodesFrom(",
                "    int.class)",
                "public interface Decoder extends dev.unfold.runtime.Decoder {",
                "    @Recurrent(hidden = 8) Layer rnn();",
                "}"), "UnfoldEncoderNotNetwork", "@DecodesFrom names int, which is not a @Network interface", 7);
    }

    @EachCompiler
    void encoderThatIsAnArrayOfNetworks(TestCompiler compiler) {
        assertSingleError(compiler, file("Decoder",
                "@Network(input = 4, output = 4)",
                "@DecodesFrom(",
                "    Decoder[].class)",
                "public interface Decoder extends dev.unfold.runtime.Decoder {",
                "    @Recurrent(hidden = 8) Layer rnn();",
                "}"), "UnfoldEncoderNotNetwork", "@DecodesFrom names test.Decoder[], which is not a @Network", 7);
    }

    @EachCompiler
    void encoderThatDoesNotResolveIsReportedAndGeneratesNothing(TestCompiler compiler) {
        JavaFileObject decoder = file("Decoder",
                "@Network(input = 4, output = 4)",
                "@DecodesFrom(",
                "    Missing.class)",
                "public interface Decoder extends dev.unfold.runtime.Decoder {",
                "    @Recurrent(hidden = 8) Layer rnn();",
                "}");
        Compilation compilation = compiler.compile(decoder);
        assertThat(compilation).failed(); // the compiler reports the unknown name itself too
        assertThat(compilation).hadErrorContaining("[UnfoldUnresolved] Unfold generated nothing for Decoder because the"
                + " encoder").inFile(decoder).onLine(7);
        assertThat(compilation).hadErrorContaining("that @DecodesFrom names did not resolve").inFile(decoder).onLine(7);
        assertEquals(List.of(), compiler.generatedSourcesOnDisk(decoder));
    }

    @EachCompiler
    void decoderWithoutNetwork(TestCompiler compiler) {
        JavaFileObject encoder = file("Encoder",
                "@Network(input = 4, output = 1)",
                "public interface Encoder extends SequenceModel {",
                "    @Recurrent(hidden = 8) Layer rnn();",
                "}");
        JavaFileObject decoder = file("Decoder",
                "@DecodesFrom(Encoder.class)",
                "public interface Decoder extends SequenceModel {",
                "    @Recurrent(hidden = 8) Layer rnn();",
                "}");
        Compilation compilation = compiler.compile(encoder, decoder);
        assertThat(compilation).hadErrorContaining("[UnfoldDecoderNotNetwork] @DecodesFrom makes Decoder a decoder, but"
                + " Decoder has no @Network").inFile(decoder).onLine(5);
        assertThat(compilation).hadErrorContaining("add @Network(input = ..., output = ...), or remove @DecodesFrom")
                .inFile(decoder).onLine(5);
        assertThat(compilation).hadErrorCount(1);
        assertEquals(List.of("test/UnfoldedEncoder.java"), compiler.generatedSourcesOnDisk(encoder, decoder));
    }

    @EachCompiler
    void decodersThatFitTheirEncoderCompile(TestCompiler compiler) {
        Compilation compilation = compiler.compileCleanly(List.of(
                file("Encoder",
                        "@Network(input = 4, output = 1)",
                        "public interface Encoder extends SequenceModel {",
                        "    @Recurrent(hidden = 8, cell = Cell.LSTM) Layer lstm();",
                        "    @Recurrent(hidden = 5, activation = Activation.RELU) Layer rnn();",
                        "}"),
                file("English",
                        "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY)",
                        "@DecodesFrom(Encoder.class)",
                        "public interface English extends dev.unfold.runtime.Decoder, Classifier {",
                        "    @Recurrent(hidden = 8, cell = Cell.LSTM) Layer lstm();",
                        "    @Recurrent(hidden = 5, cell = Cell.GRU) Layer gru();",
                        "}"),
                file("French",
                        "@Network(input = 7, output = 7, loss = Loss.CROSS_ENTROPY)",
                        "@DecodesFrom(Encoder.class)",
                        "public interface French extends dev.unfold.runtime.Decoder, Classifier {",
                        "    @Recurrent(hidden = 8, cell = Cell.LSTM) Layer a();",
                        "    @Recurrent(hidden = 5) Layer b();",
                        "}")));
        assertThat(compilation).generatedSourceFile("test.UnfoldedEnglish");
        assertThat(compilation).generatedSourceFile("test.UnfoldedFrench");
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
                "public interface Net extends Classifier {",
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
    void projectionOnAGru(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.GRU,",
                "        projection = 2)",
                "    Layer rnn();",
                "}"), "UnfoldProjectionNotLstm", "use cell = Cell.LSTM or remove `projection = 2`", 8);
    }

    @EachCompiler
    void projectionOnTheDefaultSimpleCell(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, projection = 1)",
                "    Layer rnn();",
                "}"), "UnfoldProjectionNotLstm", "rnn is SIMPLE: use cell = Cell.LSTM", 7);
    }

    @EachCompiler
    void projectionAsLargeAsHidden(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.LSTM,",
                "        projection = 3)",
                "    Layer rnn();",
                "}"), "UnfoldProjectionSize", "projection must be smaller than hidden = 3, got 3", 8);
    }

    @EachCompiler
    void negativeProjection(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.LSTM,",
                "        projection = -1)",
                "    Layer rnn();",
                "}"), "UnfoldProjectionSize", "projection must be at least 1, or 0 for none, got -1", 8);
    }

    @EachCompiler
    void projectionOfZeroIsNone(TestCompiler compiler) {
        compiler.compileCleanly(List.of(file("Net",
                "@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.GRU, projection = 0) Layer rnn();",
                "}")));
    }

    @EachCompiler
    void decoderProjectingWhereItsEncoderDoesNot(TestCompiler compiler) {
        assertDecoderError(compiler, TWO_LSTMS, "@Recurrent(hidden = 8, cell = Cell.LSTM) Layer a();"
                        + " @Recurrent(hidden = 8, cell = Cell.LSTM, projection = 5) Layer b();",
                "UnfoldEncoderProjection", "layer 2 (Decoder.b and Encoder.second): its h_t has 5 values in the"
                        + " decoder (projection = 5) and 8 in the encoder (no projection)");
    }

    @EachCompiler
    void decoderProjectingToAnotherSize(TestCompiler compiler) {
        assertDecoderError(compiler, "@Recurrent(hidden = 8, cell = Cell.LSTM, projection = 4) Layer only();",
                "@Recurrent(hidden = 8, cell = Cell.LSTM, projection = 3) Layer rnn();",
                "UnfoldEncoderProjection", "give both the same projection");
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
    void contextWhoseWeightsOverflowAnInt(TestCompiler compiler) {
        // 3 × 10^9 context weights: PARAMETER_COUNT and R's array would wrap around in an int
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 1,",
                "    context = 1_000_000_000)",
                "public interface Net extends Contextual {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldTooLarge", "rnn.weight_context needs 3 × 1000000000 values, more than a Java array holds"
                + " (2147483639): reduce context", 6);
    }

    @EachCompiler
    void inputWhoseWeightsOverflowAnInt(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 1_000_000_000,",
                "    output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer rnn();",
                "}"), "UnfoldTooLarge", "rnn.weight_ih needs 9 × 1000000000 values, more than a Java array holds"
                + " (2147483639): reduce input", 5);
    }

    @EachCompiler
    void outputWhoseWeightsOverflowAnInt(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4,",
                "    output = 1_000_000_000)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldTooLarge", "out.weight needs 1000000000 × 3 values, more than a Java array holds"
                + " (2147483639): reduce output", 6);
    }

    @EachCompiler
    void fedBackOutputWhoseWeightsOverflowAnInt(TestCompiler compiler) {
        // W_oh, 4 · 1 rows × 600,000,000 columns, does not fit; V, 600,000,000 × 1, does
        assertSingleError(compiler, file("Net",
                "@Network(input = 4,",
                "    output = 600_000_000)",
                "public interface Net extends Autoregressive {",
                "    @Recurrent(hidden = 1, cell = Cell.LSTM, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer rnn();",
                "}"), "UnfoldTooLarge", "rnn.weight_oh needs 4 × 600000000 values, more than a Java array holds"
                + " (2147483639): reduce output", 6);
    }

    @EachCompiler
    void hiddenOfTheLayerBelowOverflowsTheWeightsOfTheLayerAbove(TestCompiler compiler) {
        // below has no W_hh, and its W_ih and W_oh, 10^9 × 1, fit; top's W_ih, 3 × 10^9, does not
        assertSingleError(compiler, file("Net",
                "@Network(input = 1, output = 1)",
                "public interface Net extends Autoregressive {",
                "    @Recurrent(hidden = 1_000_000_000,",
                "        recurrence = Recurrence.OUTPUT) Layer below();",
                "    @Recurrent(hidden = 3) Layer top();",
                "}"), "UnfoldTooLarge", "top.weight_ih needs 3 × 1000000000 values, more than a Java array holds"
                + " (2147483639): reduce hidden", 7);
    }

    @EachCompiler
    void layersWhoseParameterCountTogetherOverflowsAnInt(TestCompiler compiler) {
        // each matrix holds at most 30,000² = 9 · 10^8 values, which fits; together they do not:
        // a: 30,000 · (1 + 30,000) + 30,000; b and c: 30,000 · (30,000 + 30,000) + 30,000 each; V and c: 30,001
        assertSingleError(compiler, file("Net",
                "@Network(input = 1, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 30_000) Layer a();",
                "    @Recurrent(hidden = 30_000) Layer b();",
                "    @Recurrent(hidden = 30_000) Layer c();",
                "}"), "UnfoldTooLarge", "Net has 4500150001 parameters, more than a Java array and parameterCount()"
                + " hold (2147483639)", 6);
    }

    @EachCompiler
    void largestParameterCountIsAcceptedAndOneMoreIsNot(TestCompiler compiler) {
        // 1 · (1 + 1 + C) + 1 in the layer and 1 + 1 in the output: C + 5 parameters
        int largest = Integer.MAX_VALUE - 8 - 5;
        Compilation accepted = compiler.compileCleanly(List.of(file("Net",
                "@Network(input = 1, output = 1, context = " + largest + ")",
                "public interface Net extends Contextual {",
                "    @Recurrent(hidden = 1) Layer rnn();",
                "}")));
        assertThat(accepted).generatedSourceFile("test.UnfoldedNet").contentsAsUtf8String()
                .contains("PARAMETER_COUNT = " + (Integer.MAX_VALUE - 8) + ";");
        assertSingleError(compiler, file("Net",
                "@Network(input = 1, output = 1, context = " + (largest + 1) + ")",
                "public interface Net extends Contextual {",
                "    @Recurrent(hidden = 1) Layer rnn();",
                "}"), "UnfoldTooLarge", "Net has " + (Integer.MAX_VALUE - 7L) + " parameters", 6);
    }

    @EachCompiler
    void moreLayersThanTheGeneratedCodeHoldsAreReportedAtTheFirstOneTooMany(TestCompiler compiler) {
        List<String> body = new java.util.ArrayList<>(List.of("@Network(input = 4, output = 1)",
                "public interface Net extends SequenceModel {"));
        for (int k = 0; k <= 160; k++) {
            body.add("    @Recurrent(hidden = 2) Layer layer" + k + "();");
        }
        body.add("}");
        assertSingleError(compiler, file("Net", body.toArray(String[]::new)), "UnfoldTooLarge",
                "Net declares 161 layers, more than the 48 Unfold generates code for", 7 + 48);
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
                "}"), file("Fed",
                "@Network(input = 4, output = 2)",
                "public interface Fed extends Autoregressive {",
                "    @Recurrent(hidden = 3, recurrence = Recurrence.OUTPUT) Layer fedBack();",
                "    @Recurrent(hidden = 2) Layer feedBack();",
                "    @Recurrent(hidden = 2) Layer freeRunState();",
                "    @Recurrent(hidden = 2) Layer feedTargets();",
                "    @Recurrent(hidden = 2) Layer keepPrediction();",
                "}"), file("Told",
                "@Network(input = 4, output = 2, context = 3)",
                "public interface Told extends Contextual {",
                "    @Recurrent(hidden = 3) Layer batchContexts();",
                "    @Recurrent(hidden = 2) Layer batchContextCount();",
                "    @Recurrent(hidden = 2) Layer batchContextBiases();",
                "    @Recurrent(hidden = 2) Layer contextVector();",
                "}")));
        assertThat(compilation).generatedSourceFile("test.UnfoldedTold");
        assertThat(compilation).generatedSourceFile("test.UnfoldedNet");
        assertThat(compilation).generatedSourceFile("test.UnfoldedFed");
    }

    // What the interface extends: each capability checked against the declaration, at the interface (the
    // annotation processing API can point at a type, not at one name in its extends clause)

    @EachCompiler
    void streamingNetworkWithABidirectionalLayer(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2)",
                "public interface Net extends Streaming {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "    @Recurrent(hidden = 3) @Bidirectional Layer both();",
                "}"), "UnfoldStreamingBidirectional", "remove Streaming from the extends clause, or @Bidirectional"
                + " from both()", 6);
    }

    @EachCompiler
    void encoderWithABidirectionalLayerIsStreamingToo(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2)",
                "public interface Net extends Encoder {",
                "    @Recurrent(hidden = 3) @Bidirectional Layer both();",
                "}"), "UnfoldStreamingBidirectional", "Net extends Encoder, which is Streaming, but both() is"
                + " bidirectional", 6);
    }

    @EachCompiler
    void streamingThroughAnotherInterfaceIsStreaming(TestCompiler compiler) {
        JavaFileObject streams = file("Streams", "public interface Streams extends Streaming {}");
        JavaFileObject net = file("Net",
                "@Network(input = 4, output = 2)",
                "public interface Net extends Streams {",
                "    @Recurrent(hidden = 3) @Bidirectional Layer both();",
                "}");
        Compilation compilation = compiler.compile(streams, net);
        assertThat(compilation).hadErrorContaining("[UnfoldStreamingBidirectional]").inFile(net).onLine(6);
        assertThat(compilation).hadErrorCount(1);
    }

    @EachCompiler
    void encoderThatReadsItsOutput(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2)",
                "public interface Net extends Encoder, Autoregressive {",
                "    @Recurrent(hidden = 3, recurrence = Recurrence.OUTPUT) Layer rnn();",
                "}"), "UnfoldEncoderFeedback", "remove Encoder from the extends clause, or encode with recurrence ="
                + " HIDDEN", 6);
    }

    @EachCompiler
    void decoderThatReadsItsOutput(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2)",
                "public interface Net extends Decoder, Autoregressive {",
                "    @Recurrent(hidden = 3, recurrence = Recurrence.OUTPUT) Layer rnn();",
                "}"), "UnfoldDecoderFeedback", "remove Decoder from the extends clause, or decode with recurrence ="
                + " HIDDEN", 6);
    }

    @EachCompiler
    void contextWithoutContextual(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2, context = 3)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldMissingCapability", "context = 3 makes Net Contextual, so it must say so: add Contextual"
                + " to its extends clause (interface Net extends Contextual, ...)", 6);
    }

    @EachCompiler
    void contextualWithoutContext(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2)",
                "public interface Net extends Contextual {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldUnsupportedCapability", "Net extends Contextual, which needs @Network(context = <width>):"
                + " declare that, or remove Contextual from the extends clause", 6);
    }

    @EachCompiler
    void outputFeedbackWithoutAutoregressive(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2)",
                "public interface Net extends Streaming {",
                "    @Recurrent(hidden = 3, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer rnn();",
                "}"), "UnfoldMissingCapability", "recurrence = HIDDEN_AND_OUTPUT in rnn() makes Net Autoregressive, so"
                + " it must say so: add Autoregressive to its extends clause", 6);
    }

    @EachCompiler
    void autoregressiveWithoutOutputFeedback(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2)",
                "public interface Net extends Autoregressive {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldUnsupportedCapability", "remove Autoregressive from the extends clause", 6);
    }

    @EachCompiler
    void crossEntropyWithoutClassifier(TestCompiler compiler) {
        assertSingleError(compiler, file("Net",
                "@Network(input = 4, output = 2, loss = Loss.CROSS_ENTROPY)",
                "public interface Net extends Streaming {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}"), "UnfoldMissingCapability", "loss = CROSS_ENTROPY makes Net a Classifier, so it must say so: add"
                + " Classifier to its extends clause", 6);
    }

    @EachCompiler
    void classifierTrainedWithAnotherLoss(TestCompiler compiler) {
        for (String loss : List.of("MSE", "BINARY_CROSS_ENTROPY")) {
            assertSingleError(compiler, file("Net",
                    "@Network(input = 4, output = 2, loss = Loss." + loss + ")",
                    "public interface Net extends Classifier {",
                    "    @Recurrent(hidden = 3) Layer rnn();",
                    "}"), "UnfoldUnsupportedCapability", "Net extends Classifier, which needs loss = CROSS_ENTROPY",
                    6);
        }
    }

    @EachCompiler
    void decodesFromWithoutDecoder(TestCompiler compiler) {
        JavaFileObject encoder = file("Source",
                "@Network(input = 4, output = 4)",
                "public interface Source extends Encoder {",
                "    @Recurrent(hidden = 8) Layer rnn();",
                "}");
        JavaFileObject decoder = file("Target",
                "@Network(input = 4, output = 4)",
                "@DecodesFrom(Source.class)",
                "public interface Target extends Streaming {",
                "    @Recurrent(hidden = 8) Layer rnn();",
                "}");
        Compilation compilation = compiler.compile(encoder, decoder);
        assertThat(compilation).hadErrorContaining("[UnfoldMissingCapability] @DecodesFrom makes Target a decoder, so"
                + " it must say so: add Decoder to its extends clause").inFile(decoder).onLine(7);
        assertThat(compilation).hadErrorCount(1);
    }

    @EachCompiler
    void everyCapabilityAllowedTogetherCompiles(TestCompiler compiler) {
        assertThat(compiler.compile(file("Net",
                "@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, context = 2)",
                "public interface Net extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                "    @Recurrent(hidden = 3, cell = Cell.LSTM) Layer rnn();",
                "}"), file("Fed",
                "@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, context = 2)",
                "public interface Fed extends Autoregressive, Contextual, Classifier, Traceable {",
                "    @Recurrent(hidden = 3, cell = Cell.GRU, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer rnn();",
                "}"))).succeededWithoutWarnings();
    }
}
