package dev.unfold.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmarks' jars, plain and runnable, name their module as the library's jars do. */
class BenchmarksJarIT {
    private static final String VERSION = System.getProperty("unfold.version", "0.1.0-SNAPSHOT");

    @ParameterizedTest
    @ValueSource(strings = {"unfold-benchmarks", "unfold-benchmarks-%s"})
    void hasAnAutomaticModuleName(String name) throws IOException {
        Path jar = Path.of("target", name.formatted(VERSION) + ".jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals("dev.unfold.benchmarks", file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
    }
}
