package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.SequenceModel;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * A build whose source encoding is not UTF-8 (an Eclipse project set to ISO-8859-1, javac with
 * {@code -encoding ISO-8859-1}) compiles the same network: the generated code is ASCII, so the
 * encoding it is written and read in changes nothing. Found in Eclipse, whose Filer wrote the
 * generated text in the JVM's charset and read it back in the project's.
 */
class SourceEncodingTest {
    private static final Charset LATIN_1 = StandardCharsets.ISO_8859_1;

    @EachCompiler
    void aBuildInIso88591GivesTheSameNetwork(TestCompiler compiler) throws Exception {
        JavaFileObject net = TestCompiler.inTestPackage("Net",
                "@Network(input = 2, output = 1)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                "}");
        SequenceModel inUtf8 = TestCompiler.instantiate(TestCompiler.loader(compiler.compileCleanly(List.of(net))),
                "test.UnfoldedNet", 1);
        assertTrue(inUtf8.toString().chars().anyMatch(c -> c > 0x7f), "the description has a non-ASCII character: "
                + inUtf8);

        Path root = Files.createTempDirectory("unfold-encoding");
        try {
            Path generated = Files.createDirectories(root.resolve("generated"));
            Path classes = Files.createDirectories(root.resolve("classes"));
            compileIn(LATIN_1, compiler, net, generated, classes);
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    SourceEncodingTest.class.getClassLoader())) {
                SequenceModel inLatin1 = TestCompiler.instantiate(loader, "test.UnfoldedNet", 1);
                assertEquals(inUtf8.toString(), inLatin1.toString());
            }
        } finally {
            TestCompiler.deleteRecursively(root);
        }
    }

    private static void compileIn(Charset encoding, TestCompiler compiler, JavaFileObject source, Path generated,
                                  Path classes) throws IOException {
        JavaCompiler tool = compiler.tool();
        List<Diagnostic<? extends JavaFileObject>> diagnostics = new ArrayList<>();
        try (StandardJavaFileManager files = tool.getStandardFileManager(null, null, encoding)) {
            files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(generated));
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            List<String> options = new ArrayList<>(compiler.options());
            options.addAll(List.of("-encoding", encoding.name(), "-classpath", System.getProperty("java.class.path")));
            JavaCompiler.CompilationTask task = tool.getTask(null, files, diagnostics::add, options, null,
                    List.of(files.getJavaFileObjects(Path.of(source.toUri())).iterator().next()));
            task.setProcessors(List.of(new UnfoldProcessor()));
            boolean ok = task.call();
            assertTrue(ok, () -> compiler + ": " + diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(null)).collect(Collectors.joining("\n")));
        }
    }
}
