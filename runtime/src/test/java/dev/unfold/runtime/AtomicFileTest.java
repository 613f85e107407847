package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails halfway leaves the previous file exactly as it was, and nothing beside it. */
class AtomicFileTest {
    @TempDir
    Path directory;

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFile() throws IOException {
        Path checkpoint = directory.resolve("run.safetensors");
        AtomicFile.write(checkpoint, out -> out.write(new byte[] {1, 2, 3}));
        IOException thrown = assertThrows(IOException.class, () -> AtomicFile.write(checkpoint, out -> {
            out.write(new byte[] {9, 9, 9, 9, 9});
            throw new IOException("disk full");   // as a crash or a full disk would, midway
        }));
        assertEquals("disk full", thrown.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(checkpoint));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(checkpoint), files.toList(), "no partial file is left behind");
        }
    }

    @Test
    void aWriteThatSucceedsReplacesTheFileWhole() throws IOException {
        Path checkpoint = directory.resolve("nested/run.safetensors");
        AtomicFile.write(checkpoint, out -> out.write(new byte[] {1, 2, 3}));
        AtomicFile.write(checkpoint, out -> out.write(new byte[] {4, 5}));
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(checkpoint));
    }
}
