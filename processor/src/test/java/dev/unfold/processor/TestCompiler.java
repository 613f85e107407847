package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.unfold.runtime.SequenceModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.Charset;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.lang.model.SourceVersion;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;

/**
 * The compilers Unfold's processor must work under, each driving the processor in-process:
 * {@code javac}, as Maven and Gradle run it, and ECJ, the compiler inside Eclipse. Tests written
 * once against this type run under both (see {@link EachCompiler}).
 */
enum TestCompiler {
    JAVAC {
        @Override
        JavaCompiler tool() {
            return ToolProvider.getSystemJavaCompiler();
        }

        @Override
        List<String> options() {
            return List.of("--release", "17", "-Xlint:all,-processing"); // as the Maven build compiles
        }
    },
    ECJ {
        @Override
        JavaCompiler tool() {
            return new QuietEclipseCompiler();
        }

        @Override
        List<String> options() {
            return List.of("--release", "17");
        }
    };

    /**
     * Where test sources are written. ECJ only reads sources that are real files (an in-memory
     * source's URI makes it fail), so every test source is one, for both compilers alike.
     */
    private static final Path SOURCES = Path.of(System.getProperty("unfold.testSources", "target/unfold-test-sources"));

    abstract JavaCompiler tool();

    abstract List<String> options();

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A source file {@code pkg/Name.java} from its lines, written to disk once per distinct text
     * (its directory is named by the text's hash, so two tests may use the same name).
     */
    static JavaFileObject source(String qualifiedName, String... lines) {
        String text = String.join("\n", lines) + "\n";
        Path file = SOURCES.resolve(hash(qualifiedName + "\n" + text)).resolve(qualifiedName.replace('.', '/') + ".java");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
            return JavaFileObjects.forResource(file.toUri().toURL());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code test.<name>} with Unfold's imports: line 1 is the package, line 5 the first line of
     * {@code body}, so tests can name the line an error must be on.
     */
    static JavaFileObject inTestPackage(String name, String... body) {
        String[] lines = new String[4 + body.length];
        lines[0] = "package test;";
        lines[1] = "import dev.unfold.*;";
        lines[2] = "import dev.unfold.runtime.*;";
        lines[3] = "";
        System.arraycopy(body, 0, lines, 4, body.length);
        return source("test." + name, lines);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Compiles with a fresh Unfold processor: a processor instance serves one compilation only. */
    Compilation compile(JavaFileObject... sources) {
        return compile(List.of(sources));
    }

    Compilation compile(List<JavaFileObject> sources) {
        return compile(List.of(new UnfoldProcessor()), sources);
    }

    /** Compiles with the given processors, in this order. */
    Compilation compile(List<? extends Processor> processors, List<JavaFileObject> sources) {
        return Compiler.compiler(tool()).withOptions(options()).withProcessors(processors).compile(sources);
    }

    /** Compiles and fails the test, showing every diagnostic, unless the compilation succeeded. */
    Compilation compileCleanly(List<JavaFileObject> sources) {
        Compilation compilation = compile(sources);
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), () -> this + ": " + compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(Object::toString)
                .collect(Collectors.joining("\n")));
        return compilation;
    }

    /**
     * Compiles writing to a temporary directory, as a build would, and lists the source files the
     * processor wrote there (relative paths), whether or not the compilation succeeded.
     */
    List<String> generatedSourcesOnDisk(JavaFileObject... sources) {
        try {
            Path root = Files.createTempDirectory("unfold-test");
            try {
                Path generated = Files.createDirectories(root.resolve("generated"));
                compileToDisk(List.of(new UnfoldProcessor()), List.of(sources), List.of(), generated,
                        Files.createDirectories(root.resolve("classes")));
                return relativeFiles(generated);
            } finally {
                deleteRecursively(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One compilation as a build tool runs it: sources in, generated sources and classes out to
     * real directories, {@code classpath} ahead of the test's own. Returns the diagnostics.
     */
    List<Diagnostic<? extends JavaFileObject>> compileToDisk(List<? extends Processor> processors,
            List<JavaFileObject> sources, List<Path> classpath, Path generated, Path classes) throws IOException {
        JavaCompiler compiler = tool();
        List<Diagnostic<? extends JavaFileObject>> diagnostics = new ArrayList<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(generated));
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            String path = Stream.concat(classpath.stream().map(Path::toString),
                    Stream.of(System.getProperty("java.class.path"))).collect(Collectors.joining(java.io.File.pathSeparator));
            List<String> options = new ArrayList<>(options());
            options.addAll(List.of("-classpath", path));
            List<JavaFileObject> onDisk = new ArrayList<>();
            for (JavaFileObject source : sources) {
                onDisk.add(files.getJavaFileObjects(Path.of(source.toUri())).iterator().next());
            }
            JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics::add, options, null, onDisk);
            task.setProcessors(processors);
            task.call();
        }
        return diagnostics;
    }

    static List<String> relativeFiles(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .map(path -> directory.relativize(path).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** The bytes of every class file the compilation wrote, by binary name. */
    static Map<String, byte[]> classFiles(Compilation compilation) {
        Map<String, byte[]> classes = new HashMap<>();
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = file.toUri().getPath();
            String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(),
                    path.length() - ".class".length()).replace('/', '.');
            try (InputStream in = file.openInputStream()) {
                classes.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return classes;
    }

    /** A class loader over the compilation's classes, falling back to the test's own classpath. */
    static ClassLoader loader(Compilation compilation) {
        Map<String, byte[]> classes = classFiles(compilation);
        return new ClassLoader(TestCompiler.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    /**
     * {@code new <className>(seed)} from the loader, as the type the caller asks for: one of the
     * capabilities the network's interface extends (a network that does not extend it fails the cast).
     */
    @SuppressWarnings("unchecked")
    static <T extends SequenceModel> T instantiate(ClassLoader loader, String className, long seed) {
        try {
            return (T) loader.loadClass(className).getConstructor(long.class).newInstance(seed);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot instantiate " + className, e);
        }
    }

    /** The text of a generated source file. */
    static String generatedSource(Compilation compilation, String qualifiedName) {
        String path = qualifiedName.replace('.', '/') + ".java";
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            if (file.toUri().getPath().endsWith(path)) {
                try {
                    return file.getCharContent(true).toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError("no generated source " + qualifiedName + " among " + compilation.generatedSourceFiles());
    }

    /**
     * ECJ, except that it prints nothing when given no writer (javac's behaviour): it would print
     * every diagnostic it also reports, and fill the build's output with the error tests' errors.
     */
    private static final class QuietEclipseCompiler implements JavaCompiler {
        private final EclipseCompiler ecj = new EclipseCompiler();

        @Override
        public CompilationTask getTask(Writer out, JavaFileManager fileManager,
                DiagnosticListener<? super JavaFileObject> diagnosticListener, Iterable<String> options,
                Iterable<String> classes, Iterable<? extends JavaFileObject> compilationUnits) {
            return ecj.getTask(out == null ? Writer.nullWriter() : out, fileManager, diagnosticListener, options,
                    classes, compilationUnits);
        }

        @Override
        public StandardJavaFileManager getStandardFileManager(DiagnosticListener<? super JavaFileObject> listener,
                Locale locale, Charset charset) {
            return ecj.getStandardFileManager(listener, locale, charset);
        }

        @Override
        public int isSupportedOption(String option) {
            return ecj.isSupportedOption(option);
        }

        @Override
        public int run(InputStream in, OutputStream out, OutputStream err, String... arguments) {
            return ecj.run(in, out, err, arguments);
        }

        @Override
        public Set<SourceVersion> getSourceVersions() {
            return ecj.getSourceVersions();
        }
    }
}
