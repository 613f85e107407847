package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The character model learns the bundled sonnets' statistics, and a stopped run resumes where it stopped. */
class CharLmSampleTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path directory;

    private static CharLmSample.Settings settings(int epochs, Path checkpoint) {
        return new CharLmSample.Settings("lstm", 128, epochs, 50, 1, "adam", 0.002, 4000, 40, List.of(0.5, 1.0),
                checkpoint, 1);
    }

    @Test
    void predictsHeldOutTextFarBetterThanChance() throws IOException {
        CharLmSample.Result result = CharLmSample.run(Corpus.bundled(), "sonnets", settings(2, null), QUIET, QUIET);
        // 61 characters occur in the first 4,000: guessing uniformly costs ln 61 = 4.11 nats a character
        assertTrue(result.validationLoss() < Math.log(61) - 0.6, "held-out loss " + result.validationLoss());
        assertEquals(Math.exp(result.validationLoss()), result.validationPerplexity(), 1e-12);
        assertEquals(41, result.lastSample().length(), "the prompt and 40 characters");
    }

    /**
     * Many streams learn as one does: 32 streams of the first 16,000 characters (450 each, 9 updates
     * an epoch) for 10 epochs at η = 0.01 against one stream for 2 epochs at 0.002 (576 updates),
     * about the same seconds on this machine's batched pass: 2.31 nats held out against 2.43.
     */
    @Test
    void manyStreamsReachTheHeldOutLossOfOne() throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CharLmSample.Result many = CharLmSample.run(Corpus.bundled(), "sonnets", new CharLmSample.Settings("lstm", 128, 10,
                50, 32, "adam", 0.01, 16000, 20, List.of(1.0), null, 1),
                new PrintStream(printed, true, StandardCharsets.UTF_8), QUIET);
        CharLmSample.Result one = CharLmSample.run(Corpus.bundled(), "sonnets", new CharLmSample.Settings("lstm", 128, 2,
                50, 1, "adam", 0.002, 16000, 20, List.of(1.0), null, 1), QUIET, QUIET);
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("in 32 streams trained at once (9 updates an epoch)"), output);
        assertTrue(many.validationLoss() < one.validationLoss() + 0.1,
                "held-out loss: 32 streams " + many.validationLoss() + ", one stream " + one.validationLoss());
    }

    /**
     * Dropout lowers the held-out loss of a model that overfits: the LSTM of 128 on the first 4,000
     * characters of the sonnets (3,600 to train on, one stream, 20 epochs at η = 0.005) learns the
     * training text by heart and its held-out loss climbs after the ninth epoch (2.41 nats there, 2.72
     * after 20); the same network with dropout 0.1 on the input and 0.25 on h_{t−1} ends near 2.33.
     */
    @Test
    void dropoutLowersTheHeldOutLossOfAModelThatOverfits() throws IOException {
        CharLmSample.Result without = CharLmSample.run(Corpus.bundled(), "sonnets", new CharLmSample.Settings("lstm",
                128, 20, 50, 1, "adam", 0.005, 4000, 10, List.of(1.0), null, 1, false), QUIET, QUIET);
        CharLmSample.Result with = CharLmSample.run(Corpus.bundled(), "sonnets", new CharLmSample.Settings("lstm",
                128, 20, 50, 1, "adam", 0.005, 4000, 10, List.of(1.0), null, 1, true), QUIET, QUIET);
        assertTrue(with.validationLoss() < without.validationLoss() - 0.1, "held-out loss after 20 epochs: with"
                + " dropout " + with.validationLoss() + ", without " + without.validationLoss());
    }

    /** The trained model, exported for PyTorch, holds PyTorch's names and loads back to the same weights. */
    @Test
    void theTrainedModelExportsForPyTorch() throws IOException {
        CharLmSample.Settings settings = new CharLmSample.Settings("gru", 128, 1, 50, 1, "adam", 0.002, 1000, 10,
                List.of(1.0), null, 1);
        CharModels.CharModel net = CharModels.create("gru", 128, 1);
        CharLmSample.run(Corpus.bundled(), "sonnets", settings, net, QUIET, QUIET);
        Path file = directory.resolve("model.safetensors");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CharLmSample.exportPyTorch(net, Corpus.bundled(), "sonnets", settings, file,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertEquals(java.util.Set.of("gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0", "gru.bias_hh_l0",
                "out.weight", "out.bias"), dev.unfold.runtime.io.SafeTensors.read(file).keySet());
        CharModels.CharModel loaded = CharModels.create("gru", 128, 2);
        loaded.parameters().load(file);
        for (dev.unfold.runtime.Parameter parameter : net.parameters()) {
            for (int i = 0; i < parameter.size(); i++) {
                assertEquals(parameter.value(i), loaded.parameters().get(parameter.name()).value(i), parameter.name());
            }
        }
        assertEquals(dev.unfold.runtime.data.Vocabulary.ofCharacters(Corpus.bundled().substring(0, 1000)),
                dev.unfold.runtime.data.Vocabulary.load(CharLmSample.vocabularyFile(file)));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("self.gru = torch.nn.GRU(96, 128, batch_first=True); self.out = torch.nn.Linear(128, 96)"),
                output);
    }

    @Test
    void aSecondRunResumesFromTheCheckpoint() throws IOException {
        Path checkpoint = directory.resolve("charlm.safetensors");
        CharLmSample.run(Corpus.bundled(), "sonnets", settings(1, checkpoint), QUIET, QUIET);
        assertTrue(Files.exists(checkpoint));
        assertTrue(Files.exists(CharLmSample.vocabularyFile(checkpoint)));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // what the umask gives any new file (0644 under umask 0022), not a temporary file's 0600
            Path ordinary = Files.createFile(directory.resolve("ordinary"));
            for (Path written : List.of(checkpoint, Trainer.bestWeights(checkpoint),
                    CharLmSample.vocabularyFile(checkpoint))) {
                assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(written),
                        written.toString());
            }
        }

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CharLmSample.Result resumed = CharLmSample.run(Corpus.bundled(), "sonnets", settings(2, checkpoint),
                new PrintStream(printed, true, StandardCharsets.UTF_8), QUIET);
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(2, resumed.lastEpoch());
        assertTrue(output.contains("epoch 2/2: "), output);
        assertFalse(output.contains("epoch 1/2: "), "epoch 1 came from the checkpoint:\n" + output);

        // the same checkpoint with another alphabet is refused rather than misread
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> CharLmSample.run("abcabcabcabcabcabcabcabcabcabc", "abc", settings(3, checkpoint), QUIET, QUIET));
        assertTrue(thrown.getMessage().contains("was trained on a text with another alphabet"), thrown.getMessage());
    }

    /** As {@code ./unfold charlm} prints to a terminal: standard output and the progress stream together. */
    @Test
    void eachEpochsLineIsPrintedOnce() throws IOException {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        CharLmSample.run(Corpus.bundled(), "sonnets", settings(2, null), both, both);
        String printed = terminal.toString(StandardCharsets.UTF_8);
        for (int epoch = 1; epoch <= 2; epoch++) {
            assertEquals(1, EpochLines.count(printed, "epoch " + epoch + "/2: loss"), printed);
        }
    }

    @Test
    void tooManyCharactersIsAClearError() {
        StringBuilder text = new StringBuilder();
        for (char c = 0x100; c < 0x100 + 120; c++) {
            text.append(c);
        }
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> CharLmSample.run(text.toString(), "wide.txt", settings(1, null), QUIET, QUIET));
        assertEquals("wide.txt has 120 distinct characters, but the character models read at most 96: use plain"
                + " ASCII text", thrown.getMessage());
    }
}
