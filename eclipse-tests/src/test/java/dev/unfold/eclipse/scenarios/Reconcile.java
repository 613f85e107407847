package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jdt.apt.core.util.AptConfig;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IProblemRequestor;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.WorkingCopyOwner;
import org.eclipse.jdt.core.compiler.IProblem;

/**
 * Scenario 6: the editor's reconcile, as it runs while the user types. A working copy of the
 * interface with a mistake, not saved, is reconciled: no file changes, on disk or in the workspace,
 * generated or not, and code using the generated class still resolves it. JDT runs JSR 269
 * processors (Unfold's kind) in builds only, never in reconcile, so the mistake is reported when the
 * file is saved and built, not while typing: this scenario pins that, so the documentation is told
 * if a JDT release changes it.
 */
public final class Reconcile {
    private Reconcile() {
    }

    /** Collects what the editor's annotation model would show. */
    private static final class Problems implements IProblemRequestor {
        final List<IProblem> reported = new ArrayList<>();

        @Override
        public void acceptProblem(IProblem problem) {
            reported.add(problem);
        }

        @Override
        public void beginReporting() {
            reported.clear();
        }

        @Override
        public void endReporting() {
        }

        @Override
        public boolean isActive() {
            return true;
        }
    }

    static final String[] USER = {
        "package app;",
        "",
        "public final class Monitor {",
        "    private final UnfoldedSensor sensor = new UnfoldedSensor(7L);",
        "",
        "    public int inputs() {",
        "        return sensor.inputSize();",
        "    }",
        "}",
    };

    public static void run(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("Reconcile", settings);
            assertTrue(AptConfig.shouldProcessDuringReconcile(project.java()), "processing while typing is on by default");
            IFile file = project.write("app/Sensor.java", DeclarationMistake.net("16"));
            project.write("app/Monitor.java", USER);
            project.fullBuild();
            assertEquals(List.of(), project.problems());
            Map<String, Long> files = stamps(project);

            Problems problems = new Problems();
            WorkingCopyOwner owner = new WorkingCopyOwner() {
                @Override
                public IProblemRequestor getProblemRequestor(ICompilationUnit unit) {
                    return problems;
                }
            };
            ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file).getWorkingCopy(owner, new NullProgressMonitor());
            ICompilationUnit user = JavaCore.createCompilationUnitFrom(project.project().getFile("src/app/Monitor.java"))
                    .getWorkingCopy(owner, new NullProgressMonitor());
            try {
                unit.getBuffer().setContents(String.join("\n", DeclarationMistake.net("0")) + "\n");
                unit.reconcile(ICompilationUnit.NO_AST, true, owner, new NullProgressMonitor());
                assertEquals(List.of(), messages(problems.reported),
                        "JDT now runs JSR 269 processors while typing: expect [UnfoldHiddenSize] here, and say so in"
                                + " docs/eclipse-and-build-tools.md");
                user.reconcile(ICompilationUnit.NO_AST, true, owner, new NullProgressMonitor());
                assertEquals(List.of(), messages(problems.reported), "the generated class no longer resolves");
            } finally {
                unit.discardWorkingCopy();
                user.discardWorkingCopy();
            }
            assertEquals(files, stamps(project), "reconcile changed files");
            assertEquals(String.join("\n", DeclarationMistake.net("16")) + "\n", WorkspaceProject.text(file));
            assertEquals(List.of(), project.problems(), "markers are the build's; reconcile adds none");

            // saved and built, the mistake is marked, and the class that uses the generated one fails with it
            project.write("app/Sensor.java", DeclarationMistake.net("0"));
            project.incrementalBuild();
            List<WorkspaceProject.Problem> errors = project.errors();
            assertTrue(errors.stream().anyMatch(p -> p.message().startsWith("[UnfoldHiddenSize] ")), errors::toString);
            SameAsJavac.check(project, "Reconcile-saved");
        });
    }

    private static List<String> messages(List<IProblem> problems) {
        return problems.stream().filter(IProblem::isError)
                .map(p -> p.getSourceLineNumber() + ": " + p.getMessage()).toList();
    }

    /** Every file of the project, with its time stamp on disk. */
    private static Map<String, Long> stamps(WorkspaceProject project) throws Exception {
        project.project().refreshLocal(IResource.DEPTH_INFINITE, new NullProgressMonitor());
        Map<String, Long> stamps = new TreeMap<>();
        project.project().accept(resource -> {
            if (resource.getType() == IResource.FILE) {
                stamps.put(resource.getProjectRelativePath().toString(), resource.getLocalTimeStamp());
            }
            return true;
        });
        return stamps;
    }
}
