package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/**
 * Projects set up less tidily than the other scenarios': a network in the default package, and a
 * build path with Unfold's annotations but not its runtime. Each ends as javac's build of the same
 * sources does.
 */
public final class EdgeCases {
    private EdgeCases() {
    }

    public static void run(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject unnamed = WorkspaceProject.withProcessorJar("DefaultPackage", settings);
            unnamed.write("Net.java",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "",
                    "@Network(input = 2, output = 2)",
                    "public interface Net extends SequenceModel {",
                    "    @Recurrent(hidden = 3) Layer rnn();",
                    "}");
            unnamed.fullBuild();
            assertEquals(List.of(), unnamed.problems());
            assertEquals(List.of("UnfoldedNet.java"), unnamed.generatedFiles());
            SameAsJavac.check(unnamed, "DefaultPackage");

            WorkspaceProject.Settings annotationsOnly = settings.onlyLibraries("annotations");
            assertFalse(annotationsOnly.libraries().isEmpty());
            WorkspaceProject noRuntime = WorkspaceProject.withProcessorJar("NoRuntime", annotationsOnly);
            noRuntime.write("app/Net.java",
                    "package app;",
                    "",
                    "import dev.unfold.*;",
                    "",
                    "@Network(input = 2, output = 2)",
                    "public interface Net {",
                    "}");
            noRuntime.fullBuild();
            List<WorkspaceProject.Problem> errors = noRuntime.errors();
            assertTrue(errors.stream().anyMatch(e -> e.message().startsWith("[UnfoldMissingRuntime] ")), errors::toString);
            assertEquals(List.of(), noRuntime.generatedFiles());
            SameAsJavac.check(noRuntime, "NoRuntime");
        });
    }
}
