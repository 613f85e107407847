package dev.unfold.runtime.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes a file whole or not at all: the content goes to a temporary file beside the target, which
 * is then renamed over it, so a crash or an exception midway never leaves a half-written file.
 * Every file Unfold writes (weights, checkpoints, vocabularies, the samples' run files) goes
 * through here.
 *
 * <p>The temporary file is named {@code <target name>.<16 hex digits>.partial}. It is created as
 * any new file is, so a new target gets the permissions the umask gives (0644 under umask 0022),
 * not the 0600 of {@link Files#createTempFile}; a target that exists keeps its permissions. A
 * crash (a {@code kill -9}) between creating the temporary file and renaming it leaves the
 * temporary behind: the next write of the same target, or {@link #deleteStaleTemporaries}, removes
 * it. Only temporaries named for that target are touched. Two processes writing the same target at
 * once are not supported (one would remove the other's temporary).
 */
public final class AtomicFile {
    private static final String SUFFIX = ".partial";
    private static final int ATTEMPTS = 100;

    /** What goes into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    /** Writes {@code content} to {@code file}, creating its directory if needed, whole or not at all. */
    public static void write(Path file, Content content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        deleteStaleTemporaries(file);
        Path temporary = createTemporary(directory, file.getFileName().toString());
        try {
            try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            keepPermissions(file, temporary);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Deletes the temporary files an interrupted {@link #write} of {@code file} left beside it
     * (named {@code <file name>.<16 hex digits>.partial}); other files stay. Nothing happens when
     * the directory does not exist.
     */
    public static void deleteStaleTemporaries(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory)) {
            return;
        }
        Pattern own = temporaryName(file.getFileName().toString());
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(directory,
                candidate -> own.matcher(candidate.getFileName().toString()).matches())) {
            for (Path stale : candidates) {
                if (Files.isRegularFile(stale, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(stale);
                }
            }
        }
    }

    /** The names of {@code fileName}'s temporaries: no other target's temporaries match it. */
    static Pattern temporaryName(String fileName) {
        return Pattern.compile(Pattern.quote(fileName) + "\\.[0-9a-f]{16}" + Pattern.quote(SUFFIX));
    }

    /**
     * A new, empty temporary file beside the target, created as an ordinary file is (CREATE_NEW:
     * the umask decides its permissions; an existing name, even a link, is never reused).
     */
    private static Path createTemporary(Path directory, String fileName) throws IOException {
        HexFormat hex = HexFormat.of();
        for (int attempt = 0; ; attempt++) {
            Path temporary = directory.resolve(fileName + "." + hex.toHexDigits(
                    ThreadLocalRandom.current().nextLong()) + SUFFIX);
            try {
                Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temporary;
            } catch (FileAlreadyExistsException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Gives the temporary file the permissions of the file it replaces, where the file system has them. */
    private static void keepPermissions(Path file, Path temporary) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;   // not a POSIX file system: a new file's defaults are all there is
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            return;   // a new file: the permissions it was created with are the ones it keeps
        }
        Files.setPosixFilePermissions(temporary, permissions);
    }
}
