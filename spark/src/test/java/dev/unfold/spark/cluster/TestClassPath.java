package dev.unfold.spark.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The test JVM's class path, split the way a real cluster splits it: the libraries (Spark and what
 * it needs), which a Spark installation has in {@code SPARK_HOME/jars} on every machine, and the
 * application (Unfold's modules, the generated networks, the test classes), which reaches the
 * executors only through {@code spark.jars}.
 *
 * <p>The application is every directory on the class path (a module's {@code target/classes} or
 * {@code target/test-classes}) and every jar named {@code unfold-*} (a module's packaged jar, in
 * {@code target/} or the local repository); every other jar is a library.
 */
final class TestClassPath {

    private final List<Path> application = new ArrayList<>();
    private final List<Path> libraries = new ArrayList<>();

    private TestClassPath(String classPath) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                continue;
            }
            if (isApplication(path)) {
                application.add(path);
            } else if (path.getFileName().toString().endsWith(".jar")) {
                libraries.add(path);
            }
        }
    }

    /**
     * This JVM's class path. Surefire and failsafe may start the test JVM from a jar whose manifest
     * holds the class path; they then give the real one in {@code surefire.test.class.path}.
     */
    static TestClassPath ofThisJvm() {
        String classPath = System.getProperty("surefire.test.class.path");
        return new TestClassPath(classPath != null ? classPath : System.getProperty("java.class.path"));
    }

    private static boolean isApplication(Path path) {
        return Files.isDirectory(path) || path.getFileName().toString().startsWith("unfold-");
    }

    /** The jars of Spark and its dependencies: what {@code SPARK_HOME/jars} holds. */
    List<Path> libraries() {
        return List.copyOf(libraries);
    }

    /**
     * The application as jars for {@code spark.jars}: its jars as they are, and each of its class
     * directories packed into a jar in {@code directory} (executors fetch files, not trees).
     */
    List<Path> applicationJars(Path directory) {
        List<Path> jars = new ArrayList<>();
        for (Path entry : application) {
            if (Files.isDirectory(entry)) {
                Path jar = directory.resolve(jarName(entry));
                pack(entry, jar);
                jars.add(jar);
            } else {
                jars.add(entry);
            }
        }
        return jars;
    }

    /** {@code runtime/target/classes} becomes {@code runtime-classes.jar}: unique per module. */
    private static String jarName(Path classDirectory) {
        Path target = classDirectory.getParent();
        Path module = target == null ? null : target.getParent();
        String moduleName = module == null || module.getFileName() == null ? "root" : module.getFileName().toString();
        return moduleName + "-" + classDirectory.getFileName() + ".jar";
    }

    private static void pack(Path classDirectory, Path jar) {
        try {
            Files.createDirectories(jar.getParent());
            Path partial = jar.resolveSibling(jar.getFileName() + ".partial");
            try (OutputStream file = Files.newOutputStream(partial);
                    JarOutputStream out = new JarOutputStream(file);
                    Stream<Path> files = Files.walk(classDirectory)) {
                for (Path path : (Iterable<Path>) files.sorted()::iterator) {
                    if (Files.isRegularFile(path)) {
                        out.putNextEntry(new JarEntry(classDirectory.relativize(path).toString().replace(File.separatorChar, '/')));
                        Files.copy(path, out);
                        out.closeEntry();
                    }
                }
            }
            Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not pack " + classDirectory + " into " + jar, e);
        }
    }
}
