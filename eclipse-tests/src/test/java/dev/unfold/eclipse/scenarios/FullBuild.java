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

            double[][] eclipse = Reference.forward(project.classes(), settings, "app.UnfoldedNet", 42, 6);
            double[][] reference = Reference.forward(javac.classes(), settings, "app.UnfoldedNet", 42, 6);
            assertEquals(6, eclipse.length);
            for (int t = 0; t < eclipse.length; t++) {
                assertArrayEquals(reference[t], eclipse[t], 0.0, "step " + t);
            }
        });
    }
}
