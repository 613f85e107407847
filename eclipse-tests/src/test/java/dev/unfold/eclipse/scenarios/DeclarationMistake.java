package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/**
 * Scenario 2: a mistake in a declaration is one error marker, on the line of the annotation value
 * at fault and on that member, carrying Unfold's id and the fix, and nothing is generated; saving
 * the fix clears the marker and generates the class.
 */
public final class DeclarationMistake {
    private DeclarationMistake() {
    }

    static String[] net(String hidden) {
        return new String[] {
            "package app;",
            "",
            "import dev.unfold.*;",
            "import dev.unfold.runtime.*;",
            "",
            "@Network(input = 6, output = 1, loss = Loss.BINARY_CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
            "public interface Sensor extends SequenceModel {",
            "    @Recurrent(hidden = " + hidden + ", cell = Cell.GRU)", // line 8
            "    Layer gru();",
            "}",
        };
    }

    public static void run(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("DeclarationMistake", settings);
            project.write("app/Sensor.java", net("0"));
            project.fullBuild();

            List<WorkspaceProject.Problem> errors = project.errors();
            assertEquals(1, errors.size(), errors::toString);
            WorkspaceProject.Problem error = errors.get(0);
            assertEquals("src/app/Sensor.java", error.file());
            assertEquals(8, error.line(), error::toString);
            assertTrue(error.message().startsWith("[UnfoldHiddenSize] "), error::toString);
            String source = WorkspaceProject.text(project.project().getFile("src/app/Sensor.java"));
            assertTrue(error.start() >= 0 && error.end() > error.start(), () -> "no range: " + error);
            // Eclipse underlines a named annotation value by its name (javac points at the value)
            assertEquals("hidden", source.substring(error.start(), error.end()), "the member whose value is at fault");
            assertEquals(List.of(), project.generatedFiles());
            SameAsJavac.check(project, "DeclarationMistake-0");

            project.write("app/Sensor.java", net("16"));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            assertEquals(List.of("app/UnfoldedSensor.java"), project.generatedFiles());
            SameAsJavac.check(project, "DeclarationMistake-16");
        });
    }
}
