package dev.unfold.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * What a build, or an IDE, puts the processor through besides a clean compilation: types that
 * another processor generates only in a later round, types that never resolve, and the same
 * interface compiled again after an edit.
 */
class BuildLifecycleTest {

    /** Another processor: writes test.Sizes and test.Mixin in the first round. */
    static final class SizesGenerator extends AbstractProcessor {
        private boolean done;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (done) {
                return false;
            }
            done = true;
            write("test.Sizes", "package test;\npublic final class Sizes {\n"
                    + "    public static final int HIDDEN = 3;\n    private Sizes() {}\n}\n");
            write("test.Mixin", "package test;\npublic interface Mixin {\n"
                    + "    default String describe() { return \"mixin\"; }\n}\n");
            return false;
        }

        private void write(String name, String text) {
            try (Writer writer = processingEnv.getFiler().createSourceFile(name).openWriter()) {
                writer.write(text);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** test.Net; line 5 is the first line of {@code body}. */
    private static JavaFileObject net(String... body) {
        return TestCompiler.inTestPackage("Net", body);
    }

    /** The compilation fails, with Unfold's only error the given one, on the given line. */
    private static void assertReportedOnce(TestCompiler compiler, JavaFileObject net, String error, int line) {
        Compilation compilation = compiler.compile(net);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(error).inFile(net).onLine(line);
        long unfoldErrors = compilation.errors().stream().filter(d -> d.getMessage(null).contains("[Unfold")).count();
        assertEquals(1, unfoldErrors, compilation.errors()::toString);
        assertEquals(List.of(), compiler.generatedSourcesOnDisk(net));
    }

    @EachCompiler
    void typesGeneratedInALaterRoundAreWaitedFor(TestCompiler compiler) {
        JavaFileObject net = net(
                "@Network(input = 4, output = 1)",
                "public interface Net extends Encoder, Decoder, Traceable, Mixin {",
                "    @Recurrent(hidden = Sizes.HIDDEN) Layer rnn();",
                "}");
        Compilation compilation = compiler.compile(List.of(new SizesGenerator(), new UnfoldProcessor()), List.of(net));
        assertThat(compilation).succeeded();
        long written = compilation.generatedSourceFiles().stream()
                .filter(file -> file.toUri().getPath().endsWith("test/UnfoldedNet.java")).count();
        assertEquals(1, written);
        // hidden = 3 from the generated constant: 3·4 + 3·3 + 3 + 1·3 + 1
        assertEquals(28, TestCompiler.instantiate(TestCompiler.loader(compilation), "test.UnfoldedNet", 1).parameterCount());
    }

    @EachCompiler
    void aSupertypeThatNeverResolvesIsReportedOnce(TestCompiler compiler) {
        JavaFileObject net = net(
                "@Network(input = 4, output = 1)",
                "public interface Net extends Encoder, Decoder, Traceable, Missing {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}");
        assertReportedOnce(compiler, net, "[UnfoldUnresolved] Unfold generated nothing for Net because Missing"
                + " did not resolve", 6);
    }

    @EachCompiler
    void aLayerReturningAnUnresolvedTypeIsReportedOnce(TestCompiler compiler) {
        JavaFileObject net = net(
                "@Network(input = 4, output = 1)",
                "public interface Net extends Encoder, Decoder, Traceable {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "    Missing helper();",
                "}");
        assertReportedOnce(compiler, net, "[UnfoldUnresolved] Unfold generated nothing for Net because Missing"
                + " did not resolve", 6);
    }

    @EachCompiler
    void aConstantThatNeverResolvesIsReportedOnceAtItsValue(TestCompiler compiler) {
        JavaFileObject net = net(
                "@Network(input = 4, output = 1)",
                "public interface Net extends Encoder, Decoder, Traceable {",
                "    @Recurrent(",
                "        hidden = Missing.HIDDEN)",
                "    Layer rnn();",
                "}");
        assertReportedOnce(compiler, net, "[UnfoldUnresolved] Unfold generated nothing for Net because the"
                + " value of hidden did not resolve", 8);
    }

    /**
     * An enum value that never resolves: javac refuses it itself ("an enum annotation value must be
     * an enum constant") and Unfold adds nothing; ECJ hands it to the processor, which waits for it
     * and reports it once, at the value. Either way nothing is generated.
     */
    @EachCompiler
    void aPrecisionThatNeverResolvesGeneratesNothing(TestCompiler compiler) {
        JavaFileObject net = net(
                "@Network(input = 4, output = 1,",
                "        precision = Missing.PRECISION)",
                "public interface Net extends Encoder, Decoder, Traceable {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}");
        if (compiler == TestCompiler.ECJ) {
            assertReportedOnce(compiler, net, "[UnfoldUnresolved] Unfold generated nothing for Net because the"
                    + " value of precision did not resolve", 6);
        } else {
            Compilation compilation = compiler.compile(net);
            assertThat(compilation).failed();
            assertThat(compilation).hadErrorContaining("Missing").inFile(net).onLine(6);
            assertEquals(0, compilation.errors().stream().filter(d -> d.getMessage(null).contains("[Unfold")).count());
            assertEquals(List.of(), compiler.generatedSourcesOnDisk(net));
        }
    }

    /**
     * Compile, edit, compile again into the same directories with the first build's classes on the
     * class path, as an incremental build does: the generated class follows every edit, an error
     * in between included, and no file is ever refused as written twice.
     */
    @EachCompiler
    void editAndRecompile(TestCompiler compiler) throws IOException {
        Path root = Files.createTempDirectory("unfold-edit");
        try {
            Path source = root.resolve("src/test/Net.java");
            Path generated = Files.createDirectories(root.resolve("generated"));
            Path classes = Files.createDirectories(root.resolve("classes"));
            Path generatedNet = generated.resolve("test/UnfoldedNet.java");

            assertEquals(List.of(), build(compiler, source, 3, generated, classes));
            assertTrue(Files.readString(generatedNet).contains("RNN_HIDDEN = 3;"));

            assertEquals(List.of(), build(compiler, source, 5, generated, classes));
            assertTrue(Files.readString(generatedNet).contains("RNN_HIDDEN = 5;"));

            List<String> errors = build(compiler, source, 0, generated, classes);
            assertEquals(1, errors.size(), errors::toString);
            assertTrue(errors.get(0).contains("[UnfoldHiddenSize]"), errors::toString);

            assertEquals(List.of(), build(compiler, source, 7, generated, classes));
            assertTrue(Files.readString(generatedNet).contains("RNN_HIDDEN = 7;"));
            assertEquals(List.of("test/UnfoldedNet.java"), TestCompiler.relativeFiles(generated));
        } finally {
            TestCompiler.deleteRecursively(root);
        }
    }

    /**
     * {@code test.Foo.Bar} and {@code test.Foo_Bar} both give {@code UnfoldedFoo_Bar}. An incremental
     * build that compiles only Foo_Bar (as Eclipse's does after a save) finds Foo.Bar's class from
     * the earlier build: it must report the clash on Foo_Bar, not write over Foo.Bar's class.
     * Found in Eclipse, where the name went to whichever file was saved last, without an error.
     */
    @EachCompiler
    void aNameClaimedInAnEarlierBuildIsReportedNotTakenOver(TestCompiler compiler) throws IOException {
        Path root = Files.createTempDirectory("unfold-clash");
        try {
            Path generated = Files.createDirectories(root.resolve("generated"));
            Path classes = Files.createDirectories(root.resolve("classes"));
            JavaFileObject nested = write(root.resolve("src/test/Foo.java"),
                    "package test;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "public final class Foo {",
                    "    @Network(input = 3, output = 1)",
                    "    public interface Bar extends SequenceModel {",
                    "        @Recurrent(hidden = 4) Layer rnn();",
                    "    }",
                    "}");
            assertEquals(List.of(), errors(compiler.compileToDisk(List.of(new UnfoldProcessor()), List.of(nested),
                    List.of(), generated, classes)));
            String nestedsClass = Files.readString(generated.resolve("test/UnfoldedFoo_Bar.java"));

            JavaFileObject topLevel = write(root.resolve("src/test/Foo_Bar.java"),
                    "package test;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 2, output = 1)",
                    "public interface Foo_Bar extends SequenceModel {",
                    "    @Recurrent(hidden = 5) Layer rnn();",
                    "}");
            List<Diagnostic<? extends JavaFileObject>> diagnostics = compiler.compileToDisk(
                    List.of(new UnfoldProcessor()), List.of(topLevel), List.of(classes), generated, classes);
            List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
            assertEquals(1, errors.size(), errors::toString);
            assertEquals(5, errors.get(0).getLineNumber(), errors::toString);
            assertTrue(errors.get(0).getMessage(null).startsWith("[UnfoldCannotWrite] could not write UnfoldedFoo_Bar:"
                    + " test.Foo.Bar generates a class of that name too; rename one of the two interfaces"), errors::toString);
            assertEquals(nestedsClass, Files.readString(generated.resolve("test/UnfoldedFoo_Bar.java")), "taken over");
        } finally {
            TestCompiler.deleteRecursively(root);
        }
    }

    private static JavaFileObject write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return com.google.testing.compile.JavaFileObjects.forResource(file.toUri().toURL());
    }

    private static List<String> errors(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(d -> d.getMessage(null)).toList();
    }

    /** Writes Net with the given hidden size and compiles it; returns the error messages. */
    private static List<String> build(TestCompiler compiler, Path source, int hidden, Path generated, Path classes)
            throws IOException {
        Files.createDirectories(source.getParent());
        Files.writeString(source, String.join("\n",
                "package test;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 4, output = 1)",
                "public interface Net extends Encoder, Decoder, Traceable {",
                "    @Recurrent(hidden = " + hidden + ") Layer rnn();",
                "}"), StandardCharsets.UTF_8);
        JavaFileObject file = com.google.testing.compile.JavaFileObjects.forResource(source.toUri().toURL());
        // javac, as Maven runs it, sees the previous build's classes on the class path. ECJ's batch
        // Filer refuses to create any type the class path already holds ("Source file already
        // exists"; Eclipse's own Filer does not check), so under ECJ the previous classes are
        // left off, as a build that recompiles the interface's outputs does.
        List<Path> previous = compiler == TestCompiler.ECJ ? List.of() : List.of(classes);
        return compiler.compileToDisk(List.of(new UnfoldProcessor()), List.of(file), previous, generated, classes)
                .stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null))
                .collect(Collectors.toList());
    }
}
