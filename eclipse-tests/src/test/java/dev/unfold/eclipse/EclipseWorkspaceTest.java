package dev.unfold.eclipse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.eclipse.scenarios.DeclarationMistake;
import dev.unfold.eclipse.scenarios.EdgeCases;
import dev.unfold.eclipse.scenarios.EncoderAndDecoder;
import dev.unfold.eclipse.scenarios.FullBuild;
import dev.unfold.eclipse.scenarios.IncrementalBuilds;
import dev.unfold.eclipse.scenarios.NameClash;
import dev.unfold.eclipse.scenarios.PlugIn;
import dev.unfold.eclipse.scenarios.Reconcile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unfold's processor in a real, headless Eclipse: each test is a scenario (the six of issue 21,
 * and more), run inside Eclipse on projects of its own in one shared workspace (see
 * {@link HeadlessEclipse}). Needs the packaged processor jar, as fresh as the processor's classes:
 * run through the reactor to {@code verify}, {@code mvn -Peclipse verify -pl eclipse-tests -am}.
 */
class EclipseWorkspaceTest {
    private static final Path PROCESSOR_JAR = Path.of(System.getProperty("unfold.processorJar",
            "../processor/target/unfold-processor-0.1.0-SNAPSHOT.jar")).toAbsolutePath().normalize();
    private static final Path PROCESSOR_CLASSES = Path.of(System.getProperty("unfold.processorClasses",
            "../processor/target/classes")).toAbsolutePath().normalize();
    private static HeadlessEclipse eclipse;

    @BeforeAll
    static void startEclipse() throws Exception {
        assertTrue(Files.isRegularFile(PROCESSOR_JAR), PROCESSOR_JAR + " is missing: build it through the reactor,"
                + " mvn -Peclipse verify -pl eclipse-tests -am");
        // `mvn test` compiles the processor without packaging it: the jar would be an older processor
        try (Stream<Path> classes = Files.walk(PROCESSOR_CLASSES)) {
            FileTime jar = Files.getLastModifiedTime(PROCESSOR_JAR);
            List<Path> newer = classes.filter(Files::isRegularFile)
                    .filter(file -> isNewer(file, jar)).limit(3).toList();
            assertTrue(newer.isEmpty(), PROCESSOR_JAR + " is older than " + newer + ": package it, run"
                    + " mvn -Peclipse verify -pl eclipse-tests -am");
        }
        eclipse = HeadlessEclipse.start(PROCESSOR_JAR);
    }

    private static boolean isNewer(Path file, FileTime than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(than) > 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopEclipse() throws Exception {
        if (eclipse != null) {
            eclipse.close();
        }
    }

    @Test
    void fullBuildGeneratesAClassThatCompilesAndRuns() throws Throwable {
        run(FullBuild.class);
    }

    @Test
    void aProjectInAnotherEncodingBuildsTheSameClass() throws Throwable {
        run(FullBuild.class, "runInLatin1");
    }

    @Test
    void aDeclarationMistakeIsAMarkerUntilFixed() throws Throwable {
        run(DeclarationMistake.class);
    }

    @Test
    void incrementalBuildsRegenerateKeepAndDelete() throws Throwable {
        run(IncrementalBuilds.class);
    }

    @Test
    void incrementalBuildsFollowWhatTheInterfaceDependsOn() throws Throwable {
        run(IncrementalBuilds.class, "runDependencies");
    }

    @Test
    void encoderAndDecoderInTwoFilesStayConsistent() throws Throwable {
        run(EncoderAndDecoder.class);
    }

    @Test
    void twoInterfacesClaimingOneGeneratedName() throws Throwable {
        run(NameClash.class);
    }

    @Test
    void aDefaultPackageAndAMissingRuntime() throws Throwable {
        run(EdgeCases.class);
    }

    @Test
    void aNetworkInTestSources() throws Throwable {
        run(EdgeCases.class, "runInTestSources");
    }

    @Test
    void thePlugInContributesTheProcessor() throws Throwable {
        run(PlugIn.class);
    }

    @Test
    void reconcileReportsWithoutWriting() throws Throwable {
        run(Reconcile.class);
    }

    @Test
    void reconcileFollowsTheProjectsSettings() throws Throwable {
        run(Reconcile.class, "runSettings");
    }

    @Test
    void reconcileChecksADecoderAgainstItsEncodersClasses() throws Throwable {
        run(Reconcile.class, "runAcrossFiles");
    }

    @Test
    void reconcileReportsWithThePlugInAlone() throws Throwable {
        run(Reconcile.class, "runPlugInOnly");
    }

    private static void run(Class<?> scenario) throws Throwable {
        run(scenario, "run");
    }

    private static void run(Class<?> scenario, String method) throws Throwable {
        eclipse.run(scenario.getName(), method, Map.of(
                "processorJar", PROCESSOR_JAR.toString(),
                "libraries", libraries(),
                "scratch", Files.createDirectories(eclipse.directory().resolve("scratch")).toString()));
    }

    /** What the workspace projects build against: Unfold's runtime and annotations, and EJML (the runtime's). */
    private static String libraries() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.matches(".*(unfold-runtime|unfold-annotations|runtime[/\\\\]target[/\\\\]classes"
                        + "|annotations[/\\\\]target[/\\\\]classes|ejml-).*"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
