package dev.unfold.samples;

import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.data.ContextSequences;
import dev.unfold.runtime.data.Shuffle;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import dev.unfold.runtime.seq2seq.Generator;
import dev.unfold.runtime.seq2seq.SequencePairs;
import dev.unfold.runtime.train.ConsoleProgress;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * A sequence from a vector, as image captioning makes one (one-to-many): the
 * vector of a number's three digits in, the number's English name out, word by word, e.g.
 * 412 → "four hundred twelve". The network is trained with teacher forcing and then speaks
 * greedily until it says the end token. A fifth of the numbers are held out, so a right caption for one of them
 * means the network composed words it learned elsewhere (which teens follow a hundred, which tens
 * take a units word).
 *
 * <p>Two forms of one-to-many: by default the vector becomes the state the describer starts
 * from; with {@code everyStep}, the other form (equations.md (7.1)), it enters every step of the speaker through
 * weights of its own, R (h_t = σ(W h_{t−1} + U y_{t−1} + R x + b), {@code @Network(context = 30)}).
 */
public final class CaptionSample {
    /**
     * How to train.
     *
     * @param epochs passes over the training numbers
     * @param batchSize numbers per update
     * @param learningRate Adam's η
     * @param everyStep whether the vector enters every step through R (a context), not the initial state
     * @param seed seed for the split and the weights
     */
    public record Settings(int epochs, int batchSize, double learningRate, boolean everyStep, long seed) {}

    /** Exact captions on the numbers trained on and on the held-out ones. */
    public record Result(double trainingAccuracy, double heldOutAccuracy) {}

    private CaptionSample() {}

    public static Result run(Settings settings, PrintStream out, PrintStream progress) {
        int[] order = Shuffle.identity(1000);
        Shuffle.inPlace(order, new Random(settings.seed()));
        int[] training = Arrays.copyOf(order, 800);
        int[] heldOut = Arrays.copyOfRange(order, 800, 1000);
        Captioner captioner = settings.everyStep() ? new ContextCaptioner(settings.seed())
                : new StateCaptioner(settings.seed());
        double[][] vectors = new double[training.length][];
        int[][] captions = new int[training.length][];
        for (int i = 0; i < training.length; i++) {
            vectors[i] = NumberWords.vector(training[i]);
            captions[i] = NumberWords.caption(training[i]);
        }
        TrainingData data = captioner.data(vectors, captions, settings.batchSize());
        out.printf("Captions from a vector: the digits of a number in (%d values, one-hot), its English name out, e.g."
                + " 412 → %s.%n", CaptionModels.VECTOR, NumberWords.text(NumberWords.caption(412)));
        out.printf(Locale.ROOT, "%s; %d numbers to learn from, %d held out; %,d parameters; Adam from η = %s down a"
                        + " cosine, batches of %d, teacher forcing.%n%n", captioner.description(), training.length,
                heldOut.length, captioner.parameters().count(), settings.learningRate(), settings.batchSize());
        Result[] result = {new Result(accuracy(captioner, training), accuracy(captioner, heldOut))};
        try {
            new Trainer(captioner.parameters(), new Adam(captioner.parameters(), settings.learningRate()))
                    .epochs(settings.epochs())
                    .seed(settings.seed())
                    .clipNorm(5)
                    .schedule(LearningRateSchedule.cosine(settings.learningRate(), settings.learningRate() / 20,
                            (long) settings.epochs() * data.updates()))
                    .listener(ConsoleProgress.barsOnly(progress))   // each epoch's line comes below, once
                    .listener(new TrainingListener() {
                        @Override
                        public void epochEnded(EpochReport report) {
                            if (report.epoch() % 5 == 0 || report.epoch() == report.epochs() || report.epoch() == 1) {
                                result[0] = new Result(accuracy(captioner, training), accuracy(captioner, heldOut));
                                out.printf(Locale.ROOT, "epoch %3d: loss %.4f a word, captions right: trained on"
                                                + " %5.1f%%, held out %5.1f%%%n", report.epoch(), report.trainingLoss(),
                                        100 * result[0].trainingAccuracy(), 100 * result[0].heldOutAccuracy());
                            } else {
                                out.println(ConsoleProgress.line(report, true));
                            }
                        }
                    })
                    .fit(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // no checkpoint was asked for, so nothing is read or written
        }
        out.println();
        for (int i = 0; i < 4; i++) {
            int n = heldOut[i];
            out.printf("  %3d → %s%n", n, NumberWords.text(captioner.describe(n)));
        }
        for (int n : heldOut) {
            int[] said = captioner.describe(n);
            if (!Arrays.equals(said, NumberWords.caption(n))) {
                out.printf("  wrong: %3d → %s%n", n, NumberWords.text(said));
            }
        }
        return result[0];
    }

    /** The two ways to caption a vector: the networks, their training data, and their greedy captions. */
    interface Captioner {
        String description();

        Parameters parameters();

        TrainingData data(double[][] vectors, int[][] captions, int batchSize);

        /** The greedy caption of {@code n}. */
        int[] describe(int n);
    }

    /** The vector becomes the state the describer starts from, through a one-step encoder. */
    static final class StateCaptioner implements Captioner {
        private final EncoderDecoder model;

        StateCaptioner(long seed) {
            model = new EncoderDecoder(new UnfoldedCaptionModels_Reader(seed), new UnfoldedCaptionModels_Describer(seed + 1));
        }

        @Override
        public String description() {
            return "a one-step encoder's state starts a describing LSTM of 64 units";
        }

        @Override
        public Parameters parameters() {
            return model.parameters();
        }

        @Override
        public TrainingData data(double[][] vectors, int[][] captions, int batchSize) {
            double[][][] sources = new double[vectors.length][][];
            for (int i = 0; i < vectors.length; i++) {
                sources[i] = new double[][] {vectors[i]};
            }
            return SequencePairs.of(model, sources, new int[vectors.length], captions, NumberWords.START,
                    NumberWords.END, batchSize);
        }

        @Override
        public int[] describe(int n) {
            int[] words = new int[8];
            int count = model.encodeFor(new double[][] {NumberWords.vector(n)}, 0)
                    .greedy(new int[] {NumberWords.START}, words.length, NumberWords.END, words);
            return Arrays.copyOf(words, count);
        }
    }

    /** The vector enters every step of the speaking LSTM as its context, through R. */
    static final class ContextCaptioner implements Captioner {
        private final CaptionModels.Speaker speaker;
        private final Generator generator;

        ContextCaptioner(long seed) {
            speaker = new UnfoldedCaptionModels_Speaker(seed);
            generator = new Generator(speaker);
        }

        @Override
        public String description() {
            return "the vector enters every step of a speaking LSTM of 64 units (R x + b)";
        }

        @Override
        public Parameters parameters() {
            return speaker.parameters();
        }

        @Override
        public TrainingData data(double[][] vectors, int[][] captions, int batchSize) {
            return ContextSequences.teacherForced(speaker, vectors, captions, NumberWords.START, NumberWords.END,
                    batchSize);
        }

        @Override
        public int[] describe(int n) {
            speaker.setContext(NumberWords.vector(n));
            int[] words = new int[8];
            int count = generator.greedy(new int[] {NumberWords.START}, words.length, NumberWords.END, words);
            return Arrays.copyOf(words, count);
        }
    }

    /** Fraction of {@code numbers} captioned exactly right. */
    static double accuracy(Captioner captioner, int[] numbers) {
        int right = 0;
        for (int n : numbers) {
            right += Arrays.equals(captioner.describe(n), NumberWords.caption(n)) ? 1 : 0;
        }
        return (double) right / numbers.length;
    }
}
