package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./unfold} wrapper as a user's terminal sees it: when a source changed, it runs Maven
 * before the program, and what it prints meanwhile is plain text, without escape codes. The
 * script runs from a copy of the repository's own, on a stand-in project whose build is instant
 * (a pom with nothing to build) and whose "samples jar" prints one line, so that the test sees
 * only what the script and Maven add.
 */
class UnfoldScriptTest {
    private static final Path SCRIPT = Path.of("..", "unfold");
    private static final char ESCAPE = 0x1b;

    @TempDir
    Path root;

    @Test
    void buildingPrintsNoEscapeCodes() throws Exception {
        Files.copy(SCRIPT, root.resolve("unfold"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(root.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.unfold.test</groupId>
                  <artifactId>stand-in</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                </project>
                """);
        Path jar = root.resolve("samples/target/unfold-samples.jar");
        writeProgramJar(jar);
        // older than pom.xml, so that the script builds first
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

        Process process = new ProcessBuilder("sh", root.resolve("unfold").toString(), "hello")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), printed);

        assertEquals(0, process.exitValue(), printed);
        assertTrue(printed.contains("Building Unfold's samples"), "the script built first:\n" + printed);
        assertTrue(printed.contains("stand-in program ran with hello"), "then ran the program:\n" + printed);
        assertFalse(printed.indexOf(ESCAPE) >= 0, "escape codes in:\n" + printed.replace(ESCAPE, '^'));
    }

    /** A runnable jar whose main class prints "stand-in program ran with" and its arguments. */
    private void writeProgramJar(Path jar) throws IOException {
        Path sources = Files.createDirectories(root.resolve("stand-in"));
        Path source = sources.resolve("StandIn.java");
        Files.writeString(source, """
                public class StandIn {
                    public static void main(String[] args) {
                        System.out.println("stand-in program ran with " + String.join(" ", args));
                    }
                }
                """);
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", sources.toString(),
                source.toString());
        assertEquals(0, compiled);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "StandIn");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("StandIn.class"));
            out.write(Files.readAllBytes(sources.resolve("StandIn.class")));
            out.closeEntry();
        }
        // the stand-in's own source must not look newer than the jar to the script's check
        for (Path path : List.of(source, sources.resolve("StandIn.class"))) {
            Files.delete(path);
        }
    }
}
