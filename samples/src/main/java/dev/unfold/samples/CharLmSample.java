package dev.unfold.samples;

import dev.unfold.runtime.Layer;
import dev.unfold.runtime.data.StreamChunks;
import dev.unfold.runtime.data.Vocabulary;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Adagrad;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.Optimizer;
import dev.unfold.runtime.seq2seq.Generator;
import dev.unfold.runtime.train.ConsoleProgress;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingListener;
import dev.unfold.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A character-level language model (Karpathy's char-rnn, on Unfold's cells): the text is one
 * long stream of characters; the network reads one and predicts the next, trained by truncated
 * BPTT over chunks of k characters with the state carried between chunks, one optimizer step
 * per chunk, gradients clipped by norm. The training text is cut into B contiguous streams trained
 * at once: chunk c of every stream is one stateful batch, so an update costs about as much time as
 * one stream's chunk but learns from B of them. The last tenth of the text is held out: its loss per
 * character (and perplexity, e to it) says how well the model predicts text it never saw. After
 * each epoch it writes samples at several temperatures, so the text can be seen to improve.
 */
public final class CharLmSample {
    /** The clipping bound C of equations.md (12.1), as char-rnn uses. */
    static final double CLIP_NORM = 5.0;

    /**
     * How to train.
     *
     * @param cell lstm, gru or rnn
     * @param size 128 or 256 units
     * @param epochs passes over the training text
     * @param chunk k: characters per chunk, the furthest BPTT reaches back
     * @param streams how many parts of the training text train at once, one stateful batch per chunk
     * @param optimizer adam, or adagrad (min-char-rnn's)
     * @param learningRate the optimizer's η
     * @param characters how much of the text to use (0: all of it)
     * @param sampleLength characters per sample
     * @param temperatures the temperatures to sample at after each epoch
     * @param checkpoint where to keep the run, resumed if it exists; null for none
     * @param seed seed for the weights, the held-out split's samples and sampling
     * @param dropout whether the model drops in training (the {@code CharModels} variants with dropout)
     */
    public record Settings(String cell, int size, int epochs, int chunk, int streams, String optimizer,
                           double learningRate,
                           int characters, int sampleLength, List<Double> temperatures, Path checkpoint, long seed,
                           boolean dropout) {

        /** Without dropout. */
        public Settings(String cell, int size, int epochs, int chunk, int streams, String optimizer,
                        double learningRate, int characters, int sampleLength, List<Double> temperatures,
                        Path checkpoint, long seed) {
            this(cell, size, epochs, chunk, streams, optimizer, learningRate, characters, sampleLength, temperatures,
                    checkpoint, seed, false);
        }
    }

    /** The held-out loss per character after the last epoch, its perplexity, and the last sample. */
    public record Result(double validationLoss, double validationPerplexity, String lastSample, int lastEpoch) {}

    private CharLmSample() {}

    public static Result run(String text, String source, Settings settings, PrintStream out, PrintStream progress)
            throws IOException {
        return run(text, source, settings,
                CharModels.create(settings.cell(), settings.size(), settings.dropout(), settings.seed()), out, progress);
    }

    /** {@link #run(String, String, Settings, PrintStream, PrintStream)} training {@code net}, which the settings describe. */
    static Result run(String text, String source, Settings settings, CharModels.CharModel net, PrintStream out,
                      PrintStream progress) throws IOException {
        text = usedText(text, settings);
        Vocabulary vocabulary = vocabulary(text, source);
        int split = text.length() - text.length() / 10;
        int[] training = vocabulary.encode(text.substring(0, split));
        int[] heldOut = vocabulary.encode(text.substring(split));
        if (training.length < 2 || heldOut.length < 2) {
            throw new IllegalArgumentException(source + " has " + text.length() + " characters: expected at least 20,"
                    + " a tenth of which is held out");
        }
        Optimizer optimizer = switch (settings.optimizer()) {
            case "adam" -> new Adam(net.parameters(), settings.learningRate());
            case "adagrad" -> new Adagrad(net.parameters(), settings.learningRate());
            default -> throw new IllegalArgumentException("the optimizers are adam and adagrad, got "
                    + settings.optimizer());
        };
        out.printf(Locale.ROOT, "A character-level language model in %s: %s%n",
                net.precision().name().toLowerCase(Locale.ROOT), net);
        out.printf(Locale.ROOT, "Text: %s, %,d characters, %d distinct; %,d to train on, %,d held out.%n", source,
                text.length(), vocabulary.size(), training.length, heldOut.length);
        StreamChunks streams = StreamChunks.nextToken(net, training, settings.chunk(), settings.streams());
        out.printf(Locale.ROOT, "Truncated BPTT over chunks of %d characters in %d %s trained at once (%,d updates an"
                        + " epoch), %s at η = %s, gradients clipped to norm %s.%n", settings.chunk(), settings.streams(),
                settings.streams() == 1 ? "stream" : "streams", streams.updates(), optimizer.getClass().getSimpleName(),
                settings.learningRate(), CLIP_NORM);
        Trainer trainer = new Trainer(net, optimizer)
                .epochs(settings.epochs())
                .seed(settings.seed())
                .clipNorm(CLIP_NORM)
                .validation(StreamChunks.nextToken(net, heldOut, settings.chunk()), 0)
                .validateOn(Metric.PERPLEXITY)   // equations.md (17.6): the best epoch is the least perplexed
                .listener(ConsoleProgress.barsOnly(progress));   // the epoch's line comes below, with the samples
        if (settings.checkpoint() != null) {
            keepVocabulary(settings.checkpoint(), vocabulary);
            trainer.checkpoint(settings.checkpoint());
            out.printf("Checkpoint: %s (run the same command again to continue; --fresh starts over).%n",
                    settings.checkpoint());
        }
        out.println();
        Generator generator = new Generator(net, vocabulary.size());   // the text's characters, not all 96
        Random random = new Random(settings.seed());
        int[] prompt = vocabulary.encode(vocabulary.contains("\n") ? "\n" : text.substring(0, 1));
        int[] generated = new int[settings.sampleLength()];
        String[] lastSample = {""};
        trainer.listener(new TrainingListener() {
            @Override
            public void epochEnded(EpochReport report) {
                out.println(ConsoleProgress.line(report, true));
                for (double temperature : settings.temperatures()) {
                    int count = generator.sample(prompt, generated.length, -1, temperature, 0, random, generated);
                    lastSample[0] = vocabulary.decode(prompt) + vocabulary.decode(Arrays.copyOf(generated, count));
                    out.printf(Locale.ROOT, "  T = %.1f: %s%n", temperature, indent(lastSample[0].strip()));
                }
                out.println();
            }
        });
        TrainingResult result = trainer.fit(streams);
        if (result.last() == null) {
            out.printf("Nothing to train: the checkpoint already holds all %d epochs.%n", result.lastEpoch());
            return new Result(Double.NaN, Double.NaN, "", result.lastEpoch());
        }
        EpochReport last = result.last();
        return new Result(last.validationLoss(), last.metricValue(), lastSample[0], last.epoch());
    }

    /** The part of {@code text} the settings train on: all of it, or its first {@code characters}. */
    private static String usedText(String text, Settings settings) {
        return settings.characters() > 0 && text.length() > settings.characters()
                ? text.substring(0, settings.characters()) : text;
    }

    /** The alphabet of {@code text}, token i its i-th character; refused if the models cannot read it all. */
    private static Vocabulary vocabulary(String text, String source) {
        Vocabulary vocabulary = Vocabulary.ofCharacters(text);
        if (vocabulary.size() > CharModels.CHARACTERS) {
            throw new IllegalArgumentException(source + " has " + vocabulary.size() + " distinct characters, but the"
                    + " character models read at most " + CharModels.CHARACTERS + ": use plain ASCII text");
        }
        return vocabulary;
    }

    /**
     * Writes {@code net}, trained by {@link #run} on {@code text} with {@code settings}, for PyTorch:
     * its weights as the state_dict of the module docs/weights-and-pytorch.md shows
     * ({@code parameters().savePyTorch}), and beside them the alphabet its tokens index
     * ({@code <name>.vocabulary.json}, the characters in token order). Prints how to load it.
     */
    static void exportPyTorch(CharModels.CharModel net, String text, String source, Settings settings, Path file,
                              PrintStream out) throws IOException {
        Vocabulary vocabulary = vocabulary(usedText(text, settings), source);
        net.parameters().savePyTorch(file);
        Path alphabet = vocabularyFile(file);
        vocabulary.save(alphabet);
        Layer layer = net.layers().get(0);
        out.printf(Locale.ROOT, "Exported for PyTorch: %s (its alphabet: %s). Load it with strict=True into%n", file,
                alphabet);
        out.printf(Locale.ROOT, "  self.%s = torch.nn.%s(%d, %d, batch_first=True); self.out = torch.nn.Linear(%d, %d)%n",
                layer.name(), switch (layer.cell()) {
                    case LSTM -> "LSTM";
                    case GRU -> "GRU";
                    case SIMPLE -> "RNN";
                }, net.inputSize(), layer.hiddenSize(), layer.stateSize(), net.outputSize());
        out.printf("  reading one-hot characters (docs/weights-and-pytorch.md shows the whole module).%n");
    }

    /**
     * Keeps the alphabet next to the checkpoint: token indices mean nothing without it, and a
     * checkpoint trained on another text must not be resumed on this one.
     */
    private static void keepVocabulary(Path checkpoint, Vocabulary vocabulary) throws IOException {
        Path file = vocabularyFile(checkpoint);
        if (Files.exists(checkpoint) && Files.exists(file) && !Vocabulary.load(file).equals(vocabulary)) {
            throw new IllegalArgumentException(checkpoint + " was trained on a text with another alphabet: use --fresh"
                    + " to start over, or another --checkpoint");
        }
        vocabulary.save(file);
    }

    /** Where a checkpoint's (or an exported model's) alphabet is kept. */
    static Path vocabularyFile(Path checkpoint) {
        String name = checkpoint.getFileName().toString().replaceFirst("\\.safetensors$", "");
        return checkpoint.resolveSibling(name + ".vocabulary.json");
    }

    private static String indent(String sample) {
        return sample.replace("\n", "\n           ");
    }
}
