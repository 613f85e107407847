package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.core.resources.IFile;
import java.util.Map;

/**
 * Two interfaces whose generated classes would have one name: {@code app.Foo_Bar} and the nested
 * {@code app.Foo.Bar} (both {@code UnfoldedFoo_Bar}). A full build sees both and reports one; an
 * incremental build sees only the edited file. Saving the reported one must report it again, not
 * let it silently take the generated class over, as it did before {@code EarlierOwner}.
 */
public final class NameClash {
    private NameClash() {
    }

    static String[] topLevel(int hidden) {
        return new String[] {
            "package app;",
            "",
            "import dev.unfold.*;",
            "import dev.unfold.runtime.*;",
            "",
            "@Network(input = 2, output = 1)",
            "public interface Foo_Bar extends SequenceModel {",
            "    @Recurrent(hidden = " + hidden + ") Layer rnn();",
            "}",
        };
    }

    static String[] nested(int hidden) {
        return new String[] {
            "package app;",
            "",
            "import dev.unfold.*;",
            "import dev.unfold.runtime.*;",
            "",
            "public final class Foo {",
            "    @Network(input = 3, output = 1)",
            "    public interface Bar extends SequenceModel {",
            "        @Recurrent(hidden = " + hidden + ") Layer rnn();",
            "    }",
            "}",
        };
    }

    public static void run(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("NameClash", settings);
            project.write("app/Foo_Bar.java", topLevel(3));
            project.write("app/Foo.java", nested(4));
            project.fullBuild();
            // one of the two gets the class, the other the error (which, the build's order decides)
            String loser = theOneReported(project);
            boolean nestedOwns = loser.equals("src/app/Foo_Bar.java");
            IFile generated = project.generated("app.UnfoldedFoo_Bar");
            assertEquals(List.of("app/UnfoldedFoo_Bar.java"), project.generatedFiles());
            assertOwnedBy(generated, nestedOwns ? "Foo.Bar" : "Foo_Bar");

            // the other file saved: it is reported again, and does not take the class over
            String before = WorkspaceProject.text(generated);
            if (nestedOwns) {
                project.write("app/Foo_Bar.java", topLevel(5));
            } else {
                project.write("app/Foo.java", nested(5));
            }
            project.incrementalBuild();
            assertEquals(loser, theOneReported(project));
            assertEquals(before, WorkspaceProject.text(generated), "the class was taken over");

            // the owner's file saved: its class follows it, the other stays reported
            if (nestedOwns) {
                project.write("app/Foo.java", nested(6));
            } else {
                project.write("app/Foo_Bar.java", topLevel(6));
            }
            project.incrementalBuild();
            assertEquals(loser, theOneReported(project));
            assertOwnedBy(generated, nestedOwns ? "Foo.Bar" : "Foo_Bar");
            assertTrue(WorkspaceProject.text(generated).contains("RNN_HIDDEN = 6;"), "regenerated for its owner");

            // the owner gone in the same save that edits the other (a move, say): the name changes hands
            if (nestedOwns) {
                project.write("app/Foo.java", "package app;", "", "public final class Foo {", "}");
                project.write("app/Foo_Bar.java", topLevel(7));
            } else {
                project.delete("app/Foo_Bar.java");
                project.write("app/Foo.java", nested(7));
            }
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            assertOwnedBy(generated, nestedOwns ? "Foo_Bar" : "Foo.Bar");
            SameAsJavac.check(project, "NameClash-moved");
        });
    }

    /** The file of the one [UnfoldCannotWrite] error, the only error of the project. */
    private static String theOneReported(WorkspaceProject project) throws Exception {
        List<WorkspaceProject.Problem> errors = project.errors();
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).message().startsWith("[UnfoldCannotWrite] could not write UnfoldedFoo_Bar: "),
                errors::toString);
        return errors.get(0).file();
    }

    private static void assertOwnedBy(IFile generated, String network) throws Exception {
        String text = WorkspaceProject.text(generated);
        assertTrue(text.contains(" implements " + network + " "), () -> "not " + network + "'s:\n" + text);
    }
}
