package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.jdt.apt.core.util.AptConfig;
import org.eclipse.jdt.core.IClasspathAttribute;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.JavaCore;

/**
 * Projects set up otherwise than the other scenarios': a network in the default package, a build
 * path with Unfold's annotations but not its runtime, a network among the test sources. Each ends
 * as javac's build of the same sources does.
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

    /**
     * A network declared in a test source folder (Eclipse's "Contains test sources"): APT generates
     * into the test generated folder, and the builder compiles it with the tests.
     */
    public static void runInTestSources(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withProcessorJar("TestSources", settings);
            IFolder test = project.project().getFolder("test");
            test.create(true, true, null);
            IFolder testClasses = project.project().getFolder("test-bin");
            List<IClasspathEntry> entries = new ArrayList<>(List.of(project.java().getRawClasspath()));
            entries.add(JavaCore.newSourceEntry(test.getFullPath(), null, null, testClasses.getFullPath(),
                    new IClasspathAttribute[] {JavaCore.newClasspathAttribute(IClasspathAttribute.TEST, "true")}));
            project.java().setRawClasspath(entries.toArray(IClasspathEntry[]::new), null);
            String[] net = {
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "",
                "@Network(input = 2, output = 2)",
                "public interface Net extends SequenceModel {",
                "    @Recurrent(hidden = 3) Layer rnn();",
                "}",
            };
            String text = String.join("\n", net) + "\n";
            test.getFile("Net.java").create(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), true, null);
            project.fullBuild();

            assertEquals(List.of(), project.problems());
            assertEquals(List.of(), project.generatedFiles(), "nothing in the main generated folder");
            IFile generated = project.project().getFolder(AptConfig.getGenTestSrcDir(project.java())).getFile("UnfoldedNet.java");
            assertTrue(generated.exists(), "not generated into the test generated folder");
            assertTrue(testClasses.getFile("UnfoldedNet.class").exists(), "not compiled with the tests");
            Reference.Output javac = Reference.javac(settings.scratch().resolve("TestSources"), settings,
                    Map.of("Net.java", text));
            assertEquals(javac.generatedSource("UnfoldedNet"), WorkspaceProject.text(generated));
        });
    }
}
