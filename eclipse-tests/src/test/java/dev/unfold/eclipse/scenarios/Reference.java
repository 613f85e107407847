package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * What Eclipse's results are held against: the same sources compiled by {@code javac} with the
 * same processor jar (the path Unfold's own tests cover), and the generated networks run outside
 * Eclipse, each in a class loader of its own.
 */
final class Reference {
    /** Where javac wrote the generated sources and the classes, and the errors it reported. */
    record Output(Path generated, Path classes, List<Error> errors) {
        String generatedSource(String qualifiedName) throws IOException {
            return Files.readString(generated.resolve(qualifiedName.replace('.', '/') + ".java"), StandardCharsets.UTF_8);
        }
    }

    /** An error: its file under the source root, its line, and its message. */
    record Error(String file, long line, String message) {
    }

    private Reference() {
    }

    /**
     * Compiles {@code sources} (path under the source root → text) with javac, the processor jar
     * on the processor path; fails if javac does, unless errors are expected.
     */
    static Output javac(Path directory, WorkspaceProject.Settings settings, Map<String, String> sources) throws IOException {
        Output output = javacWithErrors(directory, settings, sources);
        assertTrue(output.errors().isEmpty(), () -> "javac failed on the reference sources: " + output.errors());
        return output;
    }

    /** {@link #javac}, returning the errors javac reported rather than failing on them. */
    static Output javacWithErrors(Path directory, WorkspaceProject.Settings settings, Map<String, String> sources)
            throws IOException {
        Path src = Files.createDirectories(directory.resolve("src"));
        List<Error> errors = new ArrayList<>();
        Output output = new Output(Files.createDirectories(directory.resolve("generated")),
                Files.createDirectories(directory.resolve("classes")), errors);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
            files.add(file);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            manager.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(output.generated()));
            manager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output.classes()));
            manager.setLocationFromPaths(StandardLocation.CLASS_PATH, settings.libraries());
            manager.setLocationFromPaths(StandardLocation.ANNOTATION_PROCESSOR_PATH, List.of(settings.processorJar()));
            javac.getTask(null, manager, diagnostics, List.of("--release", "17"), null,
                    manager.getJavaFileObjectsFromPaths(files)).call();
        }
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                String file = diagnostic.getSource() == null ? ""
                        : src.relativize(Path.of(diagnostic.getSource().toUri())).toString().replace('\\', '/');
                errors.add(new Error(file, diagnostic.getLineNumber(), diagnostic.getMessage(null)));
            }
        }
        return output;
    }

    /**
     * Builds {@code className} from {@code classes} (with the seed-taking constructor every
     * generated network has) and runs its forward pass over a fixed sequence of {@code steps}
     * rows. Returns the predictions.
     */
    static double[][] forward(Path classes, WorkspaceProject.Settings settings, String className, long seed, int steps)
            throws ReflectiveOperationException, IOException {
        List<URL> path = new ArrayList<>();
        path.add(url(classes));
        for (Path library : settings.libraries()) {
            path.add(url(library));
        }
        try (URLClassLoader loader = new URLClassLoader(path.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> type = loader.loadClass(className);
            Object network = type.getConstructor(long.class).newInstance(seed);
            Class<?> model = loader.loadClass("dev.unfold.runtime.SequenceModel");
            int input = (int) model.getMethod("inputSize").invoke(network);
            int output = (int) model.getMethod("outputSize").invoke(network);
            boolean manyToOne = model.getMethod("mapping").invoke(network).toString().equals("MANY_TO_ONE");
            double[][] xs = new double[steps][input];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < input; i++) {
                    xs[t][i] = Math.sin(0.7 * t + 1.3 * i);
                }
            }
            double[][] ys = new double[manyToOne ? 1 : steps][output];
            try {
                model.getMethod("forward", double[][].class, double[][].class).invoke(network, xs, ys);
            } catch (InvocationTargetException e) {
                throw new AssertionError(className + ".forward failed", e.getCause());
            }
            return ys;
        }
    }

    /** What a generated network says of itself: its {@code toString()}. */
    static String describe(Path classes, WorkspaceProject.Settings settings, String className)
            throws ReflectiveOperationException, IOException {
        List<URL> path = new ArrayList<>();
        path.add(url(classes));
        for (Path library : settings.libraries()) {
            path.add(url(library));
        }
        try (URLClassLoader loader = new URLClassLoader(path.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            return loader.loadClass(className).getConstructor(long.class).newInstance(1L).toString();
        }
    }

    /** The number of parameters a generated network reports: it follows from every size in the declaration. */
    static int parameterCount(Path classes, WorkspaceProject.Settings settings, String className)
            throws ReflectiveOperationException, IOException {
        List<URL> path = new ArrayList<>();
        path.add(url(classes));
        for (Path library : settings.libraries()) {
            path.add(url(library));
        }
        try (URLClassLoader loader = new URLClassLoader(path.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Object network = loader.loadClass(className).getConstructor(long.class).newInstance(1L);
            return (int) loader.loadClass("dev.unfold.runtime.SequenceModel").getMethod("parameterCount").invoke(network);
        }
    }

    private static URL url(Path path) throws MalformedURLException {
        // a directory's URL must end with '/' for URLClassLoader to read it as one
        return Files.isDirectory(path) ? new URL(path.toUri().toString().replaceAll("(?<!/)$", "/")) : path.toUri().toURL();
    }
}
