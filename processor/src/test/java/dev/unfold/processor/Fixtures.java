package dev.unfold.processor;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;

/** The fixture directories tools/pytorch-fixtures.py writes: where they are and the networks they declare. */
final class Fixtures {
    private Fixtures() {}

    /** The test resource directory {@code /name}. */
    static Path directory(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every {@code .java} declaration in {@code directory}, sorted by name. */
    static List<JavaFileObject> declarations(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().map(Fixtures::source).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JavaFileObject source(Path path) {
        try {
            return JavaFileObjects.forResource(path.toUri().toURL());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
