package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jars the build leaves for {@code mvn install}: each has a stable module name on the module
 * path, and the library's three come with their sources and their javadoc, for IDEs.
 */
class PublishedJarsIT {
    private static final Path ROOT = Path.of(System.getProperty("unfold.root", ".."));
    private static final String VERSION = System.getProperty("unfold.version", "0.1.0-SNAPSHOT");

    @ParameterizedTest
    @CsvSource({
            "annotations, dev.unfold.annotations",
            "runtime, dev.unfold.runtime",
            "processor, dev.unfold.processor",
            "samples, dev.unfold.samples"})
    void everyJarHasAnAutomaticModuleName(String module, String name) throws IOException {
        assertEquals(name, moduleName(jar(module, "")));
    }

    @ParameterizedTest
    @CsvSource({"annotations", "runtime", "processor"})
    void theLibraryComesWithSourcesAndJavadoc(String module) throws IOException {
        String someClass = switch (module) {
            case "annotations" -> "dev/unfold/Network";
            case "runtime" -> "dev/unfold/runtime/train/Trainer";
            default -> "dev/unfold/processor/UnfoldProcessor";
        };
        try (JarFile sources = new JarFile(jar(module, "-sources").toFile())) {
            assertNotNull(sources.getEntry(someClass + ".java"), module + "'s sources jar lacks " + someClass);
        }
        try (JarFile javadoc = new JarFile(jar(module, "-javadoc").toFile())) {
            assertNotNull(javadoc.getEntry("index.html"), module + "'s javadoc jar has no index.html");
            // under the module's name when javadoc documents the jar as the module it names
            assertTrue(javadoc.stream().anyMatch(entry -> entry.getName().endsWith(someClass + ".html")),
                    module + "'s javadoc lacks " + someClass);
        }
    }

    /** The runnable jar {@code ./unfold} starts, shaded from everything the samples use. */
    @ParameterizedTest
    @CsvSource({"unfold-samples.jar"})
    void theRunnableSamplesJarHasOneToo(String file) throws IOException {
        assertEquals("dev.unfold.samples", moduleName(ROOT.resolve("samples/target").resolve(file)));
    }

    private static Path jar(String module, String classifier) {
        Path jar = ROOT.resolve(module).resolve("target").resolve("unfold-" + module + "-" + VERSION + classifier + ".jar");
        assertTrue(Files.exists(jar), jar + " was not built");
        return jar;
    }

    private static String moduleName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
        }
    }
}
