package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.unfold.runtime.SequenceModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/** Compiles network declarations with Unfold's processor in-process, and loads what comes out. */
final class TestCompiler {
    private TestCompiler() {}

    /** A source file {@code pkg/Name.java} from its lines. */
    static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    static Compilation compile(JavaFileObject... sources) {
        return Compiler.javac().withProcessors(new UnfoldProcessor()).compile(sources);
    }

    static Compilation compile(List<JavaFileObject> sources) {
        return Compiler.javac().withProcessors(new UnfoldProcessor()).compile(sources);
    }

    /** Compiles and fails the test, showing every diagnostic, unless the compilation succeeded. */
    static Compilation compileCleanly(List<JavaFileObject> sources) {
        Compilation compilation = compile(sources);
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), () -> compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(Object::toString)
                .collect(Collectors.joining("\n")));
        return compilation;
    }

    /**
     * Compiles with javac writing to a temporary directory, as a build would, and lists the source
     * files the processor wrote there (relative paths), whether or not the compilation succeeded.
     */
    static List<String> generatedSourcesOnDisk(JavaFileObject... sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try {
            Path root = Files.createTempDirectory("unfold-test");
            Path generated = Files.createDirectories(root.resolve("generated"));
            Path classes = Files.createDirectories(root.resolve("classes"));
            try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
                files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(generated));
                files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
                JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostic -> { }, List.of(
                        "-classpath", System.getProperty("java.class.path")), null, List.of(sources));
                task.setProcessors(List.of(new UnfoldProcessor()));
                task.call();
            }
            List<String> written;
            try (Stream<Path> walk = Files.walk(generated)) {
                written = walk.filter(Files::isRegularFile)
                        .map(path -> generated.relativize(path).toString().replace('\\', '/'))
                        .sorted()
                        .toList();
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** {@code new <className>(seed)} from the loader. */
    static SequenceModel instantiate(ClassLoader loader, String className, long seed) {
        try {
            return (SequenceModel) loader.loadClass(className).getConstructor(long.class).newInstance(seed);
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
}
