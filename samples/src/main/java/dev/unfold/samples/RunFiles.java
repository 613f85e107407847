package dev.unfold.samples;

import dev.unfold.runtime.io.AtomicFile;
import dev.unfold.runtime.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where one run of the memory sample keeps what lets it resume: the trainer's checkpoint (and the
 * best epoch's weights it writes beside it), the {@link RunLog}, and, if training diverged, a note
 * of the step, so that a rerun reports the divergence instead of diverging again.
 */
final class RunFiles {
    private final Path checkpoint;
    private final Path log;
    private final Path divergence;

    RunFiles(Path directory, MemoryTask task, Contender contender, int length) {
        String name = task.name() + "-T" + length + "-" + contender.fileName;
        this.checkpoint = directory.resolve(name + ".safetensors");
        this.log = directory.resolve(name + ".log.tsv");
        this.divergence = directory.resolve(name + ".diverged");
    }

    Path checkpoint() {
        return checkpoint;
    }

    Path log() {
        return log;
    }

    /** The step at which this run diverged before, or 0 if it has not. */
    long divergedAtStep() throws IOException {
        if (!Files.exists(divergence)) {
            return 0;
        }
        String firstLine = Files.readAllLines(divergence, StandardCharsets.UTF_8).get(0);
        return Long.parseLong(firstLine.trim());
    }

    /** Notes that training diverged at {@code step}, with the trainer's explanation under it. */
    void recordDivergence(long step, String message) throws IOException {
        byte[] note = (step + "\n" + message + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(divergence, out -> out.write(note));
    }

    /** Deletes this run's files, so that it starts again; other files in the directory stay. */
    void delete() throws IOException {
        for (Path file : List.of(checkpoint, Trainer.bestWeights(checkpoint), log, divergence)) {
            Files.deleteIfExists(file);
        }
    }
}
