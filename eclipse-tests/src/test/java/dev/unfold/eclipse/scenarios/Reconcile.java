package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.IExtension;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jdt.apt.core.internal.util.FactoryPath;
import org.eclipse.jdt.apt.core.util.AptConfig;
import org.eclipse.jdt.apt.core.util.IFactoryPath;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IProblemRequestor;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.WorkingCopyOwner;
import org.eclipse.jdt.core.compiler.CategorizedProblem;
import org.eclipse.jdt.core.compiler.IProblem;

/**
 * Scenario 6: the editor's reconcile, as it runs while the user types. JDT runs JSR 269
 * processors in builds only; Unfold's plug-in contributes a compilation participant that runs its
 * processor over the unsaved text. A working copy of the interface with a mistake, not saved, is
 * reconciled: the editor gets Unfold's error (its id, its line, the member at fault), and no file
 * changes, on disk or in the workspace, generated or not, and no marker appears. The fixed text
 * reconciles clean. Saved and built, the same mistake gives the same message as a marker. It
 * holds with the processor jar on the factory path and with the plug-in alone, and reconcile
 * reports nothing of Unfold's where the project has annotation processing, or processing while
 * typing, turned off.
 */
public final class Reconcile {
    private static final NullProgressMonitor MONITOR = new NullProgressMonitor();

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
            WorkingCopyOwner owner = owner(problems);
            ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file).getWorkingCopy(owner, MONITOR);
            ICompilationUnit user = JavaCore.createCompilationUnitFrom(project.project().getFile("src/app/Monitor.java"))
                    .getWorkingCopy(owner, MONITOR);
            String reported;
            try {
                String mistake = String.join("\n", DeclarationMistake.net("0")) + "\n";
                List<String> errors = reconcile(unit, mistake, owner, problems);
                assertEquals(1, errors.size(), errors::toString);
                assertTrue(errors.get(0).startsWith("8: [UnfoldHiddenSize] "), errors::toString);
                IProblem problem = errors(problems.reported).get(0);
                // the range is JDT's (end inclusive): the member whose value is at fault, as the build's marker
                assertEquals("hidden", mistake.substring(problem.getSourceStart(), problem.getSourceEnd() + 1), problem::toString);
                reported = problem.getMessage();
                // its type is a problem marker type Eclipse knows (declared by the plug-in), as the editor expects
                String type = ((CategorizedProblem) problem).getMarkerType();
                IExtension declared = Platform.getExtensionRegistry().getExtension("org.eclipse.core.resources.markers", type);
                assertNotNull(declared, type + " is not a declared marker type");
                assertEquals(WorkspaceProject.PLUGIN, declared.getContributor().getName());

                // a reconcile of code that uses the generated class: nothing is lost meanwhile
                user.reconcile(ICompilationUnit.NO_AST, true, owner, MONITOR);
                assertEquals(List.of(), messages(problems.reported), "the generated class no longer resolves");

                // typing it from the start: every unfinished text reconciles without a failure (the
                // error log stays clean: the participant logs any exception there) and without writing
                for (int end = 0; end < mistake.length(); end += 7) {
                    List<String> partial = reconcile(unit, mistake.substring(0, end), owner, problems);
                    List<String> unfolds = partial.stream().filter(m -> m.contains("[Unfold")).toList();
                    assertTrue(unfolds.stream().allMatch(m -> m.matches("\\d+: \\[Unfold\\w+\\] .*")), unfolds::toString);
                }

                // the user goes on typing: the fixed text reconciles clean
                assertEquals(List.of(), reconcile(unit, String.join("\n", DeclarationMistake.net("24")) + "\n",
                        owner, problems));
            } finally {
                unit.discardWorkingCopy();
                user.discardWorkingCopy();
            }
            assertEquals(files, stamps(project), "reconcile changed files");
            assertEquals(String.join("\n", DeclarationMistake.net("16")) + "\n", WorkspaceProject.text(file));
            assertEquals(List.of(), project.problems(), "markers are the build's; reconcile adds none");

            // saved and built, the mistake is marked with the message the editor showed
            project.write("app/Sensor.java", DeclarationMistake.net("0"));
            project.incrementalBuild();
            List<WorkspaceProject.Problem> markers = project.errors();
            assertTrue(markers.stream().anyMatch(p -> p.line() == 8 && p.message().equals(reported)), markers::toString);
            SameAsJavac.check(project, "Reconcile-saved");
        });
    }

    /** Unfold's participant follows the project's settings: processing off, or off while typing, reports nothing. */
    public static void runSettings(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("ReconcileSettings", settings);
            IFile file = project.write("app/Sensor.java", DeclarationMistake.net("16"));
            project.fullBuild();
            String mistake = String.join("\n", DeclarationMistake.net("0")) + "\n";
            Problems problems = new Problems();
            WorkingCopyOwner owner = owner(problems);
            ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file).getWorkingCopy(owner, MONITOR);
            try {
                assertEquals(1, reconcile(unit, mistake, owner, problems).size(), "on: the error");
                System.out.println("reconcile, Unfold's check on: " + timings(unit, mistake, owner, problems));
                AptConfig.setProcessDuringReconcile(project.java(), false);
                System.out.println("reconcile, Unfold's check off: " + timings(unit, mistake, owner, problems));
                assertEquals(List.of(), reconcile(unit, mistake + " ", owner, problems), "processing while typing off");
                AptConfig.setProcessDuringReconcile(project.java(), true);
                AptConfig.setEnabled(project.java(), false);
                assertEquals(List.of(), reconcile(unit, mistake, owner, problems), "annotation processing off");
                AptConfig.setEnabled(project.java(), true);
                assertEquals(1, reconcile(unit, mistake + " ", owner, problems).size(), "on again: the error again");

                // a factory path without Unfold (no jar, the plug-in off): Unfold does not run there
                IFactoryPath withJar = AptConfig.getFactoryPath(project.java());
                FactoryPath without = (FactoryPath) AptConfig.getDefaultFactoryPath(project.java());
                without.disablePlugin(WorkspaceProject.PLUGIN);
                AptConfig.setFactoryPath(project.java(), without);
                assertEquals(List.of(), reconcile(unit, mistake, owner, problems), "Unfold not on the factory path");
                AptConfig.setFactoryPath(project.java(), withJar);
                assertEquals(1, reconcile(unit, mistake + " ", owner, problems).size(), "the jar back: the error again");
            } finally {
                unit.discardWorkingCopy();
            }
        });
    }

    /**
     * Scenario 4's pair while typing: the decoder's unsaved text breaks the constraint with the
     * encoder in another file, marked on the annotation value; the fixed text is clean. It holds
     * before the project was ever built (the encoder read from its saved source) and after (also
     * with the encoder's file edited and saved, not built: what JDT's own reconcile reads too).
     */
    public static void runAcrossFiles(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("ReconcilePair", settings);
            project.write("pair/Source.java", EncoderAndDecoder.encoder(8));
            IFile file = project.write("pair/Target.java", EncoderAndDecoder.decoder(8));
            assertPairChecked(project, file, 4, 8, "never built");

            project.fullBuild();
            assertEquals(List.of(), project.problems());
            assertPairChecked(project, file, 4, 8, "built");

            project.write("pair/Source.java", EncoderAndDecoder.encoder(6)); // saved, not built
            assertPairChecked(project, file, 8, 6, "the encoder saved, not built");
        });
    }

    private static void assertPairChecked(WorkspaceProject project, IFile decoder, int broken, int matching,
            String state) throws Exception {
        Map<String, Long> files = stamps(project);
        List<WorkspaceProject.Problem> markers = project.problems();
        Problems problems = new Problems();
        WorkingCopyOwner owner = owner(problems);
        ICompilationUnit unit = JavaCore.createCompilationUnitFrom(decoder).getWorkingCopy(owner, MONITOR);
        try {
            String text = String.join("\n", EncoderAndDecoder.decoder(broken)) + "\n";
            List<String> errors = reconcile(unit, text, owner, problems);
            assertEquals(1, errors.size(), () -> state + ": " + errors);
            assertTrue(errors.get(0).startsWith("8: [UnfoldEncoderHidden] "), () -> state + ": " + errors);
            IProblem problem = errors(problems.reported).get(0);
            assertEquals("Source.class", text.substring(problem.getSourceStart(), problem.getSourceEnd() + 1), state);
            assertEquals(List.of(), reconcile(unit, String.join("\n", EncoderAndDecoder.decoder(matching)) + "\n",
                    owner, problems), state);
        } finally {
            unit.discardWorkingCopy();
        }
        assertEquals(files, stamps(project), state + ": reconcile changed files");
        assertEquals(markers, project.problems(), state + ": reconcile changed markers");
    }

    /** Scenario 5's set-up: a plain project whose factory path holds only the plug-in. */
    public static void runPlugInOnly(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withDefaultFactoryPath("ReconcilePlugIn", settings);
            assertEquals(List.of(WorkspaceProject.PLUGIN), project.enabledFactories());
            IFile file = project.write("app/Sensor.java", DeclarationMistake.net("16"));
            project.fullBuild();
            assertEquals(List.of(), project.problems());
            Map<String, Long> files = stamps(project);
            Problems problems = new Problems();
            WorkingCopyOwner owner = owner(problems);
            ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file).getWorkingCopy(owner, MONITOR);
            try {
                List<String> errors = reconcile(unit, String.join("\n", DeclarationMistake.net("0")) + "\n", owner, problems);
                assertEquals(1, errors.size(), errors::toString);
                assertTrue(errors.get(0).startsWith("8: [UnfoldHiddenSize] "), errors::toString);
                assertEquals(List.of(), reconcile(unit, String.join("\n", DeclarationMistake.net("8")) + "\n", owner, problems));
            } finally {
                unit.discardWorkingCopy();
            }
            assertEquals(files, stamps(project), "reconcile changed files");
            assertEquals(List.of(), project.problems());
        });
    }

    private static WorkingCopyOwner owner(Problems problems) {
        return new WorkingCopyOwner() {
            @Override
            public IProblemRequestor getProblemRequestor(ICompilationUnit unit) {
                return problems;
            }
        };
    }

    /** Types {@code text} into the working copy (unsaved) and reconciles it: the errors the editor shows. */
    private static List<String> reconcile(ICompilationUnit unit, String text, WorkingCopyOwner owner, Problems problems)
            throws Exception {
        unit.getBuffer().setContents(text);
        unit.reconcile(ICompilationUnit.NO_AST, true, owner, MONITOR);
        return messages(problems.reported);
    }

    /** Milliseconds of five reconciles of the text (each a change, as typing makes one), for the report. */
    private static List<Long> timings(ICompilationUnit unit, String text, WorkingCopyOwner owner, Problems problems)
            throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            reconcile(unit, text + " ".repeat(i + 1), owner, problems);
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        return millis;
    }

    private static List<IProblem> errors(List<IProblem> problems) {
        return problems.stream().filter(IProblem::isError).toList();
    }

    private static List<String> messages(List<IProblem> problems) {
        return errors(problems).stream().map(p -> p.getSourceLineNumber() + ": " + p.getMessage()).toList();
    }

    /** Every file of the project, with its time stamp on disk. */
    private static Map<String, Long> stamps(WorkspaceProject project) throws Exception {
        project.project().refreshLocal(IResource.DEPTH_INFINITE, MONITOR);
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
