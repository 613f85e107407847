package dev.unfold.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unfold.runtime.Autoregressive;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.Traceable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;
import javax.tools.JavaFileObject;

/**
 * A layer may have any name a method can have: the generated class must compile whatever the
 * layers are called. The names tried are every identifier the generated classes of a few networks
 * use (members, locals, parameters, the types they name, java.lang's among them, and the packages
 * those live in) and each of their camel-case heads ({@code previous} of {@code previousH}: the
 * generated fields are named so after their layers), every method of Object and SequenceModel,
 * and names JavaPoet could read as format placeholders. Each either compiles into a network that works, or is one a layer accessor
 * cannot have, reported at its method.
 */
class LayerNamesTest {
    /** Networks between them using every kind of generated member: context, fed-back output, cells, directions. */
    private static final List<JavaFileObject> VOCABULARY = List.of(
            TestCompiler.source("vocabulary.Told",
                    "package vocabulary;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 3, output = 2, context = 2)",
                    "public interface Told extends Autoregressive, Contextual, Traceable {",
                    "    @Recurrent(hidden = 2, cell = Cell.LSTM, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer first();",
                    "    @Recurrent(hidden = 2, cell = Cell.GRU) Layer second();",
                    "    @Recurrent(hidden = 2, activation = Activation.RELU) Layer third();",
                    "}"),
            TestCompiler.source("vocabulary.Both",
                    "package vocabulary;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                    "public interface Both extends Classifier, Traceable {",
                    "    @Recurrent(hidden = 2, cell = Cell.LSTM) @Bidirectional Layer first();",
                    "    @Recurrent(hidden = 2, cell = Cell.GRU) @Bidirectional Layer second();",
                    "    @Recurrent(hidden = 2, activation = Activation.SIGMOID) Layer third();",
                    "}"),
            TestCompiler.source("vocabulary.Folded",
                    "package vocabulary;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 3, output = 1, loss = Loss.BINARY_CROSS_ENTROPY)",
                    "public interface Folded extends Autoregressive, Traceable {",
                    "    @Recurrent(hidden = 2, recurrence = Recurrence.OUTPUT) Layer first();",
                    "    @Recurrent(hidden = 2, activation = Activation.IDENTITY) Layer second();",
                    "}"),
            TestCompiler.source("vocabulary.Handed",
                    "package vocabulary;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 3, output = 2, context = 2, loss = Loss.CROSS_ENTROPY)",
                    "public interface Handed extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 2, cell = Cell.LSTM) Layer first();",
                    "    @Recurrent(hidden = 2, cell = Cell.GRU) Layer second();",
                    "}"),
            TestCompiler.source("vocabulary.Projected",
                    "package vocabulary;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                    "public interface Projected extends Classifier, Traceable {",
                    "    @Recurrent(hidden = 3, cell = Cell.LSTM, projection = 2) @Bidirectional Layer first();",
                    "    @Recurrent(hidden = 3, cell = Cell.LSTM, projection = 1) Layer second();",
                    "}"),
            TestCompiler.source("vocabulary.Streamed",
                    "package vocabulary;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 3, output = 2)",
                    "public interface Streamed extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 3, cell = Cell.LSTM, projection = 2) Layer first();",
                    "}"),
            // float32 code names its own types and accessors (FloatActivations, Conversions, floatValue...)
            TestCompiler.source("vocabulary.Floats",
                    "package vocabulary;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 3, output = 2, context = 2, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)",
                    "public interface Floats extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 2, cell = Cell.LSTM, projection = 1) Layer first();",
                    "    @Recurrent(hidden = 2, cell = Cell.GRU) Layer second();",
                    "}"));
    /** The capabilities a network may extend: their methods are the generated class's too. */
    private static final List<Class<?>> CAPABILITIES = List.of(SequenceModel.class, Streaming.class, Encoder.class,
            Decoder.class, Contextual.class, Autoregressive.class, Traceable.class, Classifier.class);

    /** Layers per network declaring the names: each network tries this many names at once. */
    private static final int PER_NETWORK = 40;
    private static final String[] CELLS = {"SIMPLE", "LSTM", "GRU", "LSTM, projection = 1"};
    private static final Pattern IDENTIFIER = Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*");
    /** A field declaration, at the class's indentation. */
    private static final Pattern FIELD = Pattern.compile("    (?! )[\\w$.<>\\[\\] ]+? ([\\w$]+)( = .*)?;");
    /** A method or constructor's signature, at the class's indentation: its parameters. */
    private static final Pattern SIGNATURE = Pattern.compile("    (?! )[\\w$.<>\\[\\] ]*\\((.+)\\) \\{");
    /** A local variable's declaration in a method body: its type and name. */
    private static final Pattern LOCAL = Pattern.compile(
            "(?<![\\w$.])([A-Za-z_$][\\w$.]*(?:<[^<>]*>)?(?:\\[\\])*)\\s+([A-Za-z_$][\\w$]*)\\s*(?:=(?!=)|:)");
    private static final Pattern COMMENT_OR_LITERAL = Pattern.compile(
            "//[^\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'", Pattern.DOTALL);

    @EachCompiler
    void everyNameALayerAccessorCanHaveCompilesIntoAWorkingNetwork(TestCompiler compiler) throws Exception {
        List<String> names = new ArrayList<>(names());
        names.removeAll(reservedByInheritance(names));
        List<JavaFileObject> networks = new ArrayList<>();
        List<List<String>> declared = new ArrayList<>();
        for (int from = 0; from < names.size(); from += PER_NETWORK) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + PER_NETWORK));
            networks.add(network("Names" + declared.size(), Kind.values()[declared.size() % Kind.values().length], chunk));
            declared.add(chunk);
        }
        Compilation compilation = compiler.compileCleanly(networks);
        ClassLoader loader = TestCompiler.loader(compilation);
        Set<String> hidden = new TreeSet<>();
        for (int k = 0; k < declared.size(); k++) {
            hidden.addAll(fieldsALocalHides(TestCompiler.generatedSource(compilation, "names.UnfoldedNames" + k)));
        }
        assertEquals(Set.of(), hidden, "fields a local variable or parameter of the same name hides");
        for (int k = 0; k < declared.size(); k++) {
            SequenceModel net = TestCompiler.instantiate(loader, "names.UnfoldedNames" + k, 7);
            List<String> chunk = declared.get(k);
            assertEquals(chunk, net.layers().stream().map(Layer::name).toList());
            for (int i = 0; i < chunk.size(); i++) {
                Method accessor = net.getClass().getMethod(chunk.get(i));
                assertSame(net.layers().get(i), accessor.invoke(net), chunk.get(i));
            }
            assertTrainsOneStep(net);
        }
    }

    @EachCompiler
    void namesOfInheritedMethodsALayerCannotOverrideAreAnErrorAtTheMethod(TestCompiler compiler) {
        Set<String> reserved = reservedByInheritance(names());
        assertTrue(reserved.containsAll(List.of("toString", "hashCode", "getClass", "finalize", "parameters", "layers")),
                () -> "the reflection below found " + reserved);
        List<String> body = new ArrayList<>(List.of("@Network(input = 3, output = 2, context = 2, loss = Loss.CROSS_ENTROPY)",
                "public interface Reserved extends Encoder, Decoder, Contextual, Classifier, Traceable {"));
        for (String name : reserved) {
            body.add("    @Recurrent(hidden = 2) Layer " + name + "();");
        }
        body.add("}");
        JavaFileObject file = TestCompiler.inTestPackage("Reserved", body.toArray(String[]::new));
        Compilation compilation = compiler.compile(file);
        assertThat(compilation).failed();
        int line = 7; // the first layer's: inTestPackage puts the body's first line on line 5
        for (String name : reserved) {
            assertThat(compilation).hadErrorContaining("[UnfoldReservedLayerName] a layer cannot be named `" + name + "`")
                    .inFile(file).onLine(line++);
        }
        assertEquals(List.of(), compiler.generatedSourcesOnDisk(file));
    }

    /**
     * The interface's own members are the generated class's too: its constants and member types
     * would hide the types of the same simple name the generated code uses, unless it names them
     * in full.
     */
    @EachCompiler
    void constantsAndMemberTypesOfTheInterfaceHideNoTypeTheGeneratedCodeUses(TestCompiler compiler) {
        JavaFileObject base = TestCompiler.inTestPackage("Base", "public interface Base {", "    int System = 1;",
                "    class Checks {}", "}");
        JavaFileObject net = TestCompiler.inTestPackage("Net",
                "@Network(input = 3, output = 2)",
                "public interface Net extends SequenceModel, Base {",
                "    double Math = 2;",
                "    String List = \"list\";",
                "    interface Arrays {}",
                "    class Layer {}",
                "    @Recurrent(hidden = 2, cell = Cell.LSTM) dev.unfold.runtime.Layer rnn();",
                "}");
        // the types only float32 code uses, and Precision, which it names in its parameters' declarations
        JavaFileObject floats = TestCompiler.inTestPackage("Floats",
                "@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE,",
                "        precision = dev.unfold.Precision.FLOAT32)",
                "public interface Floats extends Classifier, Base {",
                "    int Precision = 2;",
                "    class FloatActivations {}",
                "    interface Conversions {}",
                "    @Recurrent(hidden = 2, cell = Cell.LSTM) dev.unfold.runtime.Layer rnn();",
                "}");
        Compilation compilation = compiler.compileCleanly(List.of(base, net, floats));
        SequenceModel model = TestCompiler.instantiate(TestCompiler.loader(compilation), "test.UnfoldedNet", 1);
        assertTrainsOneStep(model);
        assertTrainsOneStep(TestCompiler.instantiate(TestCompiler.loader(compilation), "test.UnfoldedFloats", 1));
    }

    /**
     * A local variable or parameter named like a field hides it where the code means the field:
     * a compile error at best, the wrong array at worst. The fields named after layers must avoid
     * every name the generated methods declare.
     */
    private static Set<String> fieldsALocalHides(String source) {
        Set<String> fields = new TreeSet<>();
        Set<String> locals = new TreeSet<>();
        for (String line : COMMENT_OR_LITERAL.matcher(source).replaceAll(" ").split("\n")) {
            Matcher field = FIELD.matcher(line);
            if (field.matches()) {
                fields.add(field.group(1));
                continue;
            }
            Matcher signature = SIGNATURE.matcher(line);
            if (signature.matches()) {
                for (String parameter : signature.group(1).split(",")) {
                    String[] words = parameter.trim().split("\\s+");
                    locals.add(words[words.length - 1]);
                }
                continue;
            }
            Matcher local = LOCAL.matcher(line);
            while (line.startsWith("        ") && local.find()) {
                if (!SourceVersion.isKeyword(local.group(1))) {
                    locals.add(local.group(2));
                }
            }
        }
        assertTrue(fields.size() > 10 && locals.contains("steps"), () -> "parsed no members: " + fields + locals);
        fields.retainAll(locals);
        fields.removeIf(name -> source.contains("this." + name + " ")); // a setter's parameter, told apart
        return fields;
    }

    /** Every name to try, sorted; each a legal method name. */
    private static Set<String> names() {
        Set<String> names = new TreeSet<>();
        Compilation vocabulary = TestCompiler.JAVAC.compileCleanly(VOCABULARY);
        for (String generated : List.of("vocabulary.UnfoldedTold", "vocabulary.UnfoldedBoth", "vocabulary.UnfoldedFolded",
                "vocabulary.UnfoldedHanded", "vocabulary.UnfoldedFloats")) {
            String code = COMMENT_OR_LITERAL.matcher(TestCompiler.generatedSource(vocabulary, generated)).replaceAll(" ");
            Matcher identifier = IDENTIFIER.matcher(code);
            while (identifier.find()) {
                String name = identifier.group();
                names.add(name);
                for (int i = 1; i < name.length(); i++) {
                    if (Character.isUpperCase(name.charAt(i))) {
                        names.add(name.substring(0, i)); // a layer of this name makes fields like this one
                    }
                }
            }
        }
        for (Method method : Object.class.getDeclaredMethods()) {
            names.add(method.getName());
        }
        for (Class<?> capability : CAPABILITIES) {
            for (Method method : capability.getMethods()) {
                names.add(method.getName());
            }
        }
        names.addAll(List.of("$", "$$", "$L", "$N", "$S", "$T", "a$b", "$1", "out"));
        names.removeIf(name -> !SourceVersion.isName(name));
        assertTrue(names.containsAll(List.of("Math", "System", "Arrays", "Checks", "List", "Layer", "random", "seed",
                "dev", "java", "String", "Override")), () -> "the vocabulary lacks names its classes use: " + names);
        return names;
    }

    /**
     * Names a layer cannot have, found by reflection rather than by the processor: the output
     * projection's ({@code out.weight}), and the parameterless methods every network inherits that
     * an accessor returning Layer cannot override, because SequenceModel gives them their meaning,
     * or they are final, or they return something Layer is not.
     */
    private static Set<String> reservedByInheritance(Iterable<String> names) {
        Set<String> reserved = new TreeSet<>(Set.of("out"));
        List<Method> inherited = new ArrayList<>();
        for (Class<?> capability : CAPABILITIES) {
            inherited.addAll(List.of(capability.getMethods()));
        }
        inherited.addAll(List.of(Object.class.getDeclaredMethods()));
        for (Method method : inherited) {
            int modifiers = method.getModifiers();
            if (method.getParameterCount() > 0 || Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)) {
                continue;
            }
            if (method.getDeclaringClass() != Object.class || Modifier.isFinal(modifiers)
                    || !method.getReturnType().isAssignableFrom(Layer.class)) {
                reserved.add(method.getName());
            }
        }
        Set<String> tried = new TreeSet<>();
        names.forEach(tried::add);
        reserved.retainAll(tried);
        return reserved;
    }

    /** The networks the names are tried in, between them generating every kind of member. */
    private enum Kind { TOLD, BIDIRECTIONAL, HANDED, HANDED_FLOAT32 }

    /**
     * A network of one layer per name: with a context and the previous output read by its first
     * layer; bidirectional and many-to-one; or an encoder and decoder with a context and labels, in
     * float64 or float32. The cells take turns.
     */
    private static JavaFileObject network(String name, Kind kind, List<String> layers) {
        List<String> lines = new ArrayList<>(List.of("package names;", "import dev.unfold.*;", "import dev.unfold.runtime.*;",
                switch (kind) {
                    case TOLD -> "@Network(input = 3, output = 2, context = 2)";
                    case BIDIRECTIONAL -> "@Network(input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)";
                    case HANDED -> "@Network(input = 3, output = 2, context = 2, loss = Loss.CROSS_ENTROPY,"
                            + " mapping = Mapping.MANY_TO_ONE)";
                    case HANDED_FLOAT32 -> "@Network(input = 3, output = 2, context = 2, loss = Loss.CROSS_ENTROPY,"
                            + " mapping = Mapping.MANY_TO_ONE, precision = Precision.FLOAT32)";
                },
                "public interface " + name + " extends " + switch (kind) {
                    case TOLD -> "Autoregressive, Contextual, Traceable";
                    case BIDIRECTIONAL -> "Classifier, Traceable";
                    case HANDED, HANDED_FLOAT32 -> "Encoder, Decoder, Contextual, Classifier, Traceable";
                } + " {"));
        for (int i = 0; i < layers.size(); i++) {
            String cell = CELLS[i % CELLS.length];
            String recurrence = kind == Kind.TOLD && i == 0 ? ", recurrence = Recurrence.HIDDEN_AND_OUTPUT" : "";
            lines.add("    @Recurrent(hidden = 2, cell = Cell." + cell + recurrence + ")"
                    + (kind == Kind.BIDIRECTIONAL ? " @Bidirectional" : "") + " Layer " + layers.get(i) + "();");
        }
        lines.add("}");
        return TestCompiler.source("names." + name, lines.toArray(String[]::new));
    }

    /** One forward and backward pass: a finite loss, and gradients in every tensor. */
    private static void assertTrainsOneStep(SequenceModel net) {
        Random random = new Random(3);
        double[][] xs = new double[4][3];
        for (double[] x : xs) {
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextGaussian();
            }
        }
        double loss;
        if (net instanceof Contextual contextual) {
            contextual.setContext(new double[] {0.5, -0.25});
        }
        if (net.precision() == dev.unfold.Precision.FLOAT32) {
            loss = ((Classifier) net).backward(FloatExample.rounded(new Example(xs, null, null, null)).xs(), new int[] {1});
        } else if (net.outputSteps(xs.length) == 1) {
            loss = ((Classifier) net).backward(xs, new int[] {1});
        } else {
            loss = net.backward(xs, new double[][] {{1, 0}, {0, 1}, {1, 1}, {0, 0}});
        }
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        net.parameters().forEach(p -> assertTrue(java.util.stream.IntStream.range(0, p.size()).anyMatch(i -> p.gradient(i) != 0),
                p.name() + " received no gradient"));
    }
}
