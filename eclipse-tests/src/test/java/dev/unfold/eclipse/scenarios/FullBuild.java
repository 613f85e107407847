package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1: a full build of a project with a network interface generates its class, the builder
 * compiles it with the rest, the project has no problems, and the class runs: it is the very
 * source javac generates, and Eclipse's build of it predicts what javac's build does, to the bit.
 */
public final class FullBuild {
    static final String[] NET = {
        "package app;",
        "",
        "import dev.unfold.*;",
        "import dev.unfold.runtime.*;",
        "",
        "@Network(input = 3, output = 2)",
        "public interface Net extends SequenceModel {",
        "    @Recurrent(hidden = 5, cell = Cell.LSTM) Layer lstm();",
        "    @Recurrent(hidden = 4, cell = Cell.GRU) Layer gru();",
        "}",
    };

    /** Nested interfaces, an encoder and its decoder, as docs/sequence-to-sequence.md declares them. */
    static final String[] DIGITS = {
        "package app;",
        "",
        "import dev.unfold.*;",
        "import dev.unfold.runtime.*;",
        "",
        "public final class Digits {",
        "    @Network(input = 12, output = 12, loss = Loss.CROSS_ENTROPY)",
        "    public interface Encoder extends dev.unfold.runtime.Encoder, Classifier {",
        "        @Recurrent(hidden = 16, cell = Cell.LSTM)",
        "        Layer lstm();",
        "    }",
        "",
        "    @Network(input = 12, output = 12, loss = Loss.CROSS_ENTROPY)",
        "    @DecodesFrom(Encoder.class)",
        "    public interface Reverser extends Decoder, Classifier {",
        "        @Recurrent(hidden = 16, cell = Cell.LSTM)",
        "        Layer lstm();",
        "    }",
        "",
        "    static Reverser reverser(long seed) {",
        "        return new UnfoldedDigits_Reverser(seed);",
        "    }",
        "}",
    };

    private FullBuild() {
    }

    public static void run(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("FullBuild", settings);
            assertEquals(List.of(settings.processorJar().toString()), project.enabledFactories());
            project.write("app/Net.java", NET);
            project.write("app/Digits.java", DIGITS);
            project.fullBuild();

            assertEquals(List.of(), project.problems());
            assertEquals(List.of("app/UnfoldedDigits_Encoder.java", "app/UnfoldedDigits_Reverser.java",
                    "app/UnfoldedNet.java"), project.generatedFiles());
            assertTrue(Files.isRegularFile(project.classes().resolve("app/UnfoldedNet.class")), "the builder compiled it");
            Reference.Output javac = SameAsJavac.check(project, "FullBuild");

            assertSamePredictions(project, javac);
            assertEquals(Reference.describe(javac.classes(), settings, "app.UnfoldedNet"),
                    Reference.describe(project.classes(), settings, "app.UnfoldedNet"));
        });
    }

    /**
     * The same in a project whose text files are ISO-8859-1 (Properties, Resource, Text file
     * encoding), as many older projects and Windows workspaces are: Eclipse writes the generated
     * source in that encoding, so what the class says of itself must not depend on it.
     */
    public static void runInLatin1(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("FullBuildLatin1", settings);
            project.project().setDefaultCharset("ISO-8859-1", null);
            project.write("app/Net.java", NET);
            project.fullBuild();
            assertEquals(List.of(), project.problems());
            Reference.Output javac = Reference.javac(settings.scratch().resolve("FullBuildLatin1"), settings,
                    Map.of("app/Net.java", String.join("\n", NET) + "\n"));
            assertSamePredictions(project, javac);
            assertEquals(Reference.describe(javac.classes(), settings, "app.UnfoldedNet"),
                    Reference.describe(project.classes(), settings, "app.UnfoldedNet"));
        });
    }

    private static void assertSamePredictions(WorkspaceProject project, Reference.Output javac) throws Exception {
        double[][] eclipse = Reference.forward(project.classes(), project.settings(), "app.UnfoldedNet", 42, 6);
        double[][] reference = Reference.forward(javac.classes(), project.settings(), "app.UnfoldedNet", 42, 6);
        assertEquals(6, eclipse.length);
        for (int t = 0; t < eclipse.length; t++) {
            assertArrayEquals(reference[t], eclipse[t], 0.0, "step " + t);
        }
    }
}
