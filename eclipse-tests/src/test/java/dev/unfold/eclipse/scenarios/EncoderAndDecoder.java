package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/**
 * Scenario 4: a decoder declared {@code @DecodesFrom(Encoder.class)} in one file, its encoder in
 * another. The pair must agree (the same hidden sizes), and the build must keep checking that
 * whichever of the two files is edited: after every incremental build the workspace is what javac
 * makes of the two files, and a break of the constraint is marked on the annotation value.
 */
public final class EncoderAndDecoder {
    private EncoderAndDecoder() {
    }

    static String[] encoder(int hidden) {
        return new String[] {
            "package pair;",
            "",
            "import dev.unfold.*;",
            "import dev.unfold.runtime.*;",
            "",
            "@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY)",
            "public interface Source extends Encoder, Classifier {",
            "    @Recurrent(hidden = " + hidden + ", cell = Cell.LSTM) Layer lstm();",
            "}",
        };
    }

    static String[] decoder(int hidden) {
        return new String[] {
            "package pair;",
            "",
            "import dev.unfold.*;",
            "import dev.unfold.runtime.*;",
            "",
            "@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY)",
            "@DecodesFrom(",
            "    Source.class)", // line 8: the annotation value
            "public interface Target extends Decoder, Classifier {",
            "    @Recurrent(hidden = " + hidden + ", cell = Cell.LSTM) Layer lstm();",
            "}",
        };
    }

    public static void run(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("EncoderAndDecoder", settings);
            project.write("pair/Source.java", encoder(8));
            project.write("pair/Target.java", decoder(8));
            project.fullBuild();
            assertEquals(List.of(), project.problems());
            assertEquals(List.of("pair/UnfoldedSource.java", "pair/UnfoldedTarget.java"), project.generatedFiles());
            SameAsJavac.check(project, "Pair-8-8");

            // the encoder's file edited: the decoder no longer matches it
            project.write("pair/Source.java", encoder(6));
            project.incrementalBuild();
            assertMarkedOnTheAnnotationValue(project, "UnfoldEncoderHidden");
            SameAsJavac.check(project, "Pair-6-8");

            // the decoder's file edited to match again
            project.write("pair/Target.java", decoder(6));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            SameAsJavac.check(project, "Pair-6-6");

            // the decoder's file edited to break the constraint, then the encoder's to restore it
            project.write("pair/Target.java", decoder(4));
            project.incrementalBuild();
            assertMarkedOnTheAnnotationValue(project, "UnfoldEncoderHidden");
            SameAsJavac.check(project, "Pair-6-4");
            project.write("pair/Source.java", encoder(4));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            SameAsJavac.check(project, "Pair-4-4");

            // the encoder's file deleted: the decoder names a type that is gone; then it comes back
            project.delete("pair/Source.java");
            project.incrementalBuild();
            SameAsJavac.check(project, "Pair-none-4");
            project.write("pair/Source.java", encoder(4));
            project.incrementalBuild();
            assertEquals(List.of(), project.problems());
            SameAsJavac.check(project, "Pair-4-4-again");
        });
    }

    private static void assertMarkedOnTheAnnotationValue(WorkspaceProject project, String id) throws Exception {
        List<WorkspaceProject.Problem> errors = project.errors();
        assertEquals(1, errors.size(), errors::toString);
        WorkspaceProject.Problem error = errors.get(0);
        assertEquals("src/pair/Target.java", error.file(), error::toString);
        assertEquals(8, error.line(), error::toString);
        assertTrue(error.message().startsWith("[" + id + "] "), error::toString);
        String source = WorkspaceProject.text(project.project().getFile(error.file()));
        assertEquals("Source.class", source.substring(error.start(), error.end()), "the marked text");
    }
}
