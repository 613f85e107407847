package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;

/**
 * The check every build of a scenario ends with: what Eclipse's workspace now holds is what a
 * clean javac build of the same sources gives. The same generated files with the same text (none
 * lost, none left behind), the same Unfold errors (ids) on the same lines, and
 * compiler errors in the same files. After an incremental build this is the test that the build's
 * bookkeeping is right.
 */
final class SameAsJavac {
    private SameAsJavac() {
    }

    /** Compares the project with a javac build of its sources in {@code scratch/name}; returns javac's output. */
    static Reference.Output check(WorkspaceProject project, String name) throws Exception {
        Map<String, String> sources = sources(project);
        Reference.Output javac = Reference.javacWithErrors(project.settings().scratch().resolve(name), project.settings(),
                sources);
        List<String> eclipseErrors = new ArrayList<>();
        for (WorkspaceProject.Problem problem : project.errors()) {
            eclipseErrors.add(describe(problem.file().replaceFirst("^src/", ""), problem.line(), problem.message()));
        }
        List<String> javacErrors = new ArrayList<>();
        for (Reference.Error error : javac.errors()) {
            javacErrors.add(describe(error.file(), error.line(), error.message()));
        }
        assertEquals(comparable(javacErrors), comparable(eclipseErrors), name + ": the errors Eclipse shows are not javac's");

        Map<String, String> generatedByJavac = new TreeMap<>();
        try (var files = java.nio.file.Files.walk(javac.generated())) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                generatedByJavac.put(javac.generated().relativize(file).toString().replace('\\', '/'),
                        java.nio.file.Files.readString(file));
            }
        }
        Map<String, String> generatedByEclipse = new TreeMap<>();
        for (String file : project.generatedFiles()) {
            generatedByEclipse.put(file, WorkspaceProject.text(project.generatedFolder().getFile(file)));
        }
        assertEquals(generatedByJavac.keySet(), generatedByEclipse.keySet(), name + ": generated files");
        for (String file : generatedByJavac.keySet()) {
            assertEquals(generatedByJavac.get(file), generatedByEclipse.get(file), name + ": " + file);
        }
        return javac;
    }

    /**
     * Unfold's errors by id and line; the compilers' own only by file, as javac and ECJ word (and
     * count) them differently. Unfold's messages themselves may differ where the compilers give the
     * processor different text: ECJ names an unresolved class in an annotation value, javac does not.
     */
    private static String describe(String file, long line, String message) {
        return message.startsWith("[Unfold") ? file + ":" + line + ": " + message.substring(0, message.indexOf(']') + 1)
                : file + ": a compiler error";
    }

    /** Unfold's errors each as often as reported (one mistake, one error), the compilers' once per file. */
    private static List<String> comparable(List<String> errors) {
        List<String> unfold = errors.stream().filter(e -> e.contains(": [Unfold")).sorted().toList();
        List<String> result = new ArrayList<>(unfold);
        result.addAll(new TreeSet<>(errors.stream().filter(e -> !e.contains(": [Unfold")).toList()));
        return result;
    }

    /** The project's sources: every file under {@code src}, by path relative to it. */
    private static Map<String, String> sources(WorkspaceProject project) throws CoreException {
        IFolder src = project.project().getFolder("src");
        Map<String, String> sources = new TreeMap<>();
        src.accept(resource -> {
            if (resource.getType() == IResource.FILE) {
                sources.put(resource.getProjectRelativePath().makeRelativeTo(src.getProjectRelativePath()).toString(),
                        WorkspaceProject.text((IFile) resource));
            }
            return true;
        });
        return sources;
    }
}
