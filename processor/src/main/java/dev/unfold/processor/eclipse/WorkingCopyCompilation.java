package dev.unfold.processor.eclipse;

import dev.unfold.processor.UnfoldProcessor;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import org.eclipse.jdt.apt.core.util.AptConfig;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.compiler.CategorizedProblem;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;

/**
 * Runs Unfold's processor over a working copy's current text, as a build would, without a build:
 * Eclipse's compiler (ECJ, through javax.tools) with {@code -proc:only}, the project's source
 * folders and class path ({@link ProjectClassPath}), its source level, and the user's processor
 * options. The processor's Filer discards what it writes ({@link WritesNothing}). ECJ reads sources
 * from disk only, so the text goes to a temporary directory outside the workspace, deleted
 * afterwards; the project's files are never touched.
 */
final class WorkingCopyCompilation {
    /** Unfold's messages open with their id, {@code [UnfoldXxx]}: the only errors this reports. */
    private static final String UNFOLD_ID = "[Unfold";

    private final ICompilationUnit unit;
    private final String text;

    WorkingCopyCompilation(ICompilationUnit unit, String text) {
        this.unit = unit;
        this.text = text;
    }

    /** The errors Unfold's processor reports in this unit, as editor problems. */
    List<CategorizedProblem> unfoldErrors() throws IOException, org.eclipse.jdt.core.JavaModelException {
        Path directory = Files.createTempDirectory("unfold-reconcile");
        try {
            Path source = directory.resolve("src").resolve(unit.getParent().getElementName().replace('.', '/'))
                    .resolve(unit.getElementName());
            Files.createDirectories(source.getParent());
            Files.writeString(source, text, StandardCharsets.UTF_8);
            List<Diagnostic<? extends JavaFileObject>> diagnostics = compile(source, directory);
            List<CategorizedProblem> problems = new ArrayList<>();
            char[] fileName = unit.getPath().toString().toCharArray();
            for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics) {
                if (isUnfoldError(diagnostic, source)) {
                    problems.add(new UnfoldProblem(diagnostic.getMessage(null), fileName,
                            (int) Math.max(0, diagnostic.getStartPosition()),
                            (int) Math.max(0, diagnostic.getEndPosition()),
                            (int) Math.max(1, diagnostic.getLineNumber())));
                }
            }
            return problems;
        } finally {
            delete(directory);
        }
    }

    private List<Diagnostic<? extends JavaFileObject>> compile(Path source, Path directory)
            throws IOException, org.eclipse.jdt.core.JavaModelException {
        IJavaProject project = unit.getJavaProject();
        List<String> options = new ArrayList<>(List.of("-proc:only", "-nowarn", "-encoding", "UTF-8",
                "-source", project.getOption(JavaCore.COMPILER_SOURCE, true),
                // nothing is written (the Filer discards), but should anything be, it stays in here
                "-s", Files.createDirectories(directory.resolve("generated")).toString(),
                "-d", Files.createDirectories(directory.resolve("classes")).toString()));
        addPath(options, "-sourcepath", ProjectClassPath.sources(project));
        addPath(options, "-classpath", ProjectClassPath.classes(project));
        for (Map.Entry<String, String> option : AptConfig.getRawProcessorOptions(project).entrySet()) {
            options.add("-A" + option.getKey() + (option.getValue() == null ? "" : "=" + option.getValue()));
        }
        EclipseCompiler compiler = new EclipseCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            var task = compiler.getTask(Writer.nullWriter(), files, diagnostics, options, null,
                    files.getJavaFileObjects(source.toFile()));
            task.setProcessors(List.of(new WritesNothing(new UnfoldProcessor())));
            task.call();
        }
        return diagnostics.getDiagnostics();
    }

    /** An empty path is left out: ECJ would read the option's value as a path. */
    private static void addPath(List<String> options, String option, String path) {
        if (!path.isEmpty()) {
            options.add(option);
            options.add(path);
        }
    }

    private static boolean isUnfoldError(Diagnostic<? extends JavaFileObject> diagnostic, Path source) {
        return diagnostic.getKind() == Diagnostic.Kind.ERROR
                && diagnostic.getMessage(null).startsWith(UNFOLD_ID)
                && diagnostic.getSource() != null
                && Path.of(diagnostic.getSource().toUri()).equals(source);
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
