package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;

/**
 * Scenario 3: incremental builds, as saves with "Build automatically" run them. An edit to the
 * interface (another hidden size) regenerates its class; an edit to an unrelated file neither
 * loses the generated class nor rewrites it; deleting the interface deletes the generated class
 * and its class file.
 */
public final class IncrementalBuilds {
    private IncrementalBuilds() {
    }

    static String[] net(int hidden) {
        return net(hidden, "SequenceModel");
    }

    static String[] net(int hidden, String capabilities) {
        return new String[] {
            "package app;",
            "",
            "import dev.unfold.*;",
            "import dev.unfold.runtime.*;",
            "",
            "@Network(input = 2, output = 3)",
            "public interface Net extends " + capabilities + " {",
            "    @Recurrent(hidden = " + hidden + ") Layer rnn();",
            "",
            "    /** The interface names its own generated class: each build resolves it anew. */",
            "    static Net create(long seed) {",
            "        return new UnfoldedNet(seed);",
            "    }",
            "}",
        };
    }

    static String[] unrelated(int factor) {
        return new String[] {
            "package app;",
            "",
            "public final class Scale {",
            "    public static int apply(int x) {",
            "        return " + factor + " * x;",
            "    }",
            "}",
        };
    }

    public static void run(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("IncrementalBuilds", settings);
            project.write("app/Net.java", net(3));
            project.write("app/Scale.java", unrelated(2));
            project.fullBuild();
            assertEquals(List.of(), project.problems());
            Reference.Output three = SameAsJavac.check(project, "Incremental-hidden3");
            IFile generated = project.generated("app.UnfoldedNet");
            String before = WorkspaceProject.text(generated);

            // the interface edited: another hidden size
            project.write("app/Net.java", net(7));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            Reference.Output seven = SameAsJavac.check(project, "Incremental-hidden7");
            assertNotEquals(before, WorkspaceProject.text(generated), "regenerated");
            int parameters = Reference.parameterCount(project.classes(), settings, "app.UnfoldedNet");
            assertEquals(Reference.parameterCount(seven.classes(), settings, "app.UnfoldedNet"), parameters,
                    "the class the builder compiled is the new one");
            assertNotEquals(Reference.parameterCount(three.classes(), settings, "app.UnfoldedNet"), parameters);

            // the interface edited to a new capability: the generated class gains public methods, so the
            // builder compiles what uses it (here Net.create) again in a second loop of the same build
            project.write("app/Net.java", net(7, "Streaming"));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            SameAsJavac.check(project, "Incremental-streaming");
            assertTrue(Files.isRegularFile(project.classes().resolve("app/UnfoldedNet.class")));

            // an unrelated file edited: the generated class stays, untouched
            long stamp = generated.getModificationStamp();
            long written = generated.getLocalTimeStamp();
            Path classFile = project.classes().resolve("app/UnfoldedNet.class");
            byte[] compiled = Files.readAllBytes(classFile);
            project.write("app/Scale.java", unrelated(3));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            SameAsJavac.check(project, "Incremental-unrelated");
            assertTrue(generated.exists(), "the generated class is lost");
            assertEquals(stamp, generated.getModificationStamp(), "the generated class was rewritten");
            assertEquals(written, generated.getLocalTimeStamp(), "the generated file was touched");
            assertTrue(java.util.Arrays.equals(compiled, Files.readAllBytes(classFile)), "its class file changed");

            // the interface deleted: its generated class and class file go too
            project.delete("app/Net.java");
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            assertEquals(List.of(), project.generatedFiles());
            assertFalse(generated.exists());
            assertFalse(Files.exists(classFile), "UnfoldedNet.class is left in the output folder");
            SameAsJavac.check(project, "Incremental-deleted");
        });
    }

    /**
     * Scenario 3, what the interface depends on: a size constant and a superinterface in files of
     * their own. Editing either file changes the network without touching its file; the build must
     * regenerate the class all the same (JDT recompiles the interface as a dependent, and APT
     * processes it again).
     */
    public static void runDependencies(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("IncrementalDependencies", settings);
            project.write("app/Sizes.java", sizes(6));
            project.write("app/Base.java", base("SequenceModel"));
            project.write("app/Tagger.java",
                    "package app;",
                    "",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "",
                    "@Network(input = 2, output = 2)",
                    "public interface Tagger extends Base {",
                    "    @Recurrent(hidden = Sizes.HIDDEN, cell = Cell.GRU) Layer gru();",
                    "}");
            project.fullBuild();
            assertEquals(List.of(), project.problems());
            SameAsJavac.check(project, "Dependencies-6");

            project.write("app/Sizes.java", sizes(9));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            SameAsJavac.check(project, "Dependencies-9");

            project.write("app/Base.java", base("Streaming"));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            SameAsJavac.check(project, "Dependencies-streaming");

            project.write("app/Sizes.java", sizes(0));
            project.incrementalBuild();
            SameAsJavac.check(project, "Dependencies-0");
            List<WorkspaceProject.Problem> errors = project.errors();
            assertEquals(1, errors.size(), errors::toString);
        });
    }

    static String[] sizes(int hidden) {
        return new String[] {
            "package app;",
            "",
            "public final class Sizes {",
            "    public static final int HIDDEN = " + hidden + ";",
            "",
            "    private Sizes() {",
            "    }",
            "}",
        };
    }

    static String[] base(String capability) {
        return new String[] {
            "package app;",
            "",
            "import dev.unfold.runtime.*;",
            "",
            "public interface Base extends " + capability + " {",
            "}",
        };
    }
}
