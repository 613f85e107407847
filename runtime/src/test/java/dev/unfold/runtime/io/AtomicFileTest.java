package dev.unfold.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails halfway leaves the previous file exactly as it was, and nothing beside it; a
 * new file gets the permissions any new file gets, a replaced one keeps its own; temporaries a
 * crash left behind are removed, and only those of the file written.
 */
class AtomicFileTest {
    @TempDir
    Path directory;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

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
        assertEquals(List.of("run.safetensors"), names(), "no partial file is left behind");
    }

    @Test
    void aWriteThatSucceedsReplacesTheFileWhole() throws IOException {
        Path checkpoint = directory.resolve("nested/run.safetensors");
        AtomicFile.write(checkpoint, out -> out.write(new byte[] {1, 2, 3}));
        AtomicFile.write(checkpoint, out -> out.write(new byte[] {4, 5}));
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(checkpoint));
    }

    private static void assumePosix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "file permissions are POSIX's");
    }

    @Test
    void aNewFileGetsThePermissionsOfAnyNewFile() throws IOException {
        assumePosix();
        Path ordinary = directory.resolve("ordinary");
        Files.newOutputStream(ordinary).close();   // what the umask gives a new file, 0644 under umask 0022
        Path written = directory.resolve("weights.safetensors");
        AtomicFile.write(written, out -> out.write(1));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(ordinary)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        assumePosix();
        Path written = directory.resolve("weights.safetensors");
        for (String mode : List.of("rw-r-----", "rw-rw-r--", "rw-------", "r--r--r--")) {
            AtomicFile.write(written, out -> out.write(1));
            Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
            Files.setPosixFilePermissions(written, permissions);
            AtomicFile.write(written, out -> out.write(2));
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
            assertArrayEquals(new byte[] {2}, Files.readAllBytes(written));
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void staleTemporariesOfTheTargetAreRemovedAndNothingElse() throws IOException {
        Path checkpoint = directory.resolve("run.safetensors");
        // what a kill -9 between creating the temporary file and renaming it leaves
        List<String> stale = List.of("run.safetensors.0123456789abcdef.partial",
                "run.safetensors.fedcba9876543210.partial");
        // other files that merely look alike: another target's temporaries, the user's own files
        List<String> others = List.of("run.safetensors.best.safetensors.0123456789abcdef.partial",
                "other.safetensors.0123456789abcdef.partial", "run.safetensors.partial",
                "run.safetensors.0123456789ABCDEF.partial", "run.safetensors.0123.partial",
                "xrun.safetensors.0123456789abcdef.partial", "run.safetensors.0123456789abcdef.partial.keep");
        for (String name : stale) {
            Files.write(directory.resolve(name), new byte[] {7});
        }
        for (String name : others) {
            Files.write(directory.resolve(name), new byte[] {7});
        }
        AtomicFile.write(checkpoint, out -> out.write(1));
        Set<String> expected = new TreeSet<>(others);
        expected.add("run.safetensors");
        assertEquals(List.copyOf(expected), names());
    }

    @Test
    void staleTemporariesCanBeRemovedWithoutWriting() throws IOException {
        Path checkpoint = directory.resolve("run.safetensors");
        Path stale = directory.resolve("run.safetensors.00000000ffffffff.partial");
        Files.write(stale, new byte[] {7});
        AtomicFile.deleteStaleTemporaries(checkpoint);
        assertFalse(Files.exists(stale));
        AtomicFile.deleteStaleTemporaries(directory.resolve("absent/run.safetensors"));   // no directory, nothing to do
        assertTrue(names().isEmpty());
    }
}
