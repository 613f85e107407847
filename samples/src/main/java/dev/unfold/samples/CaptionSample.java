package dev.unfold.samples;

import dev.unfold.runtime.Adam;
import dev.unfold.runtime.ConsoleProgress;
import dev.unfold.runtime.EncoderDecoder;
import dev.unfold.runtime.EpochReport;
import dev.unfold.runtime.LearningRateSchedule;
import dev.unfold.runtime.SequencePairs;
import dev.unfold.runtime.Shuffle;
import dev.unfold.runtime.Trainer;
import dev.unfold.runtime.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * A sequence from a vector, as image captioning makes one (seed 002; seed 004's one-to-many): the
 * vector of a number's three digits in, the number's English name out, word by word, e.g.
 * 412 → "four hundred twelve". A one-step encoder turns the vector into the state the describing
 * LSTM starts from; the describer is trained with teacher forcing and then speaks greedily until
 * it says the end token. A fifth of the numbers are held out, so a right caption for one of them
 * means the network composed words it learned elsewhere (which teens follow a hundred, which tens
 * take a units word).
 *
 * <p>This is the "vector starts the state" form of one-to-many. Seed 002's other form, the vector
 * fed through its own weights R at every step (h_t = σ(W h_{t−1} + U y_{t−1} + R x + b)), needs a
 * declaration of its own, which is not built yet.
 */
public final class CaptionSample {
    /**
     * How to train.
     *
     * @param epochs passes over the training numbers
     * @param batchSize numbers per update
     * @param learningRate Adam's η
     * @param seed seed for the split and the weights
     */
    public record Settings(int epochs, int batchSize, double learningRate, long seed) {}

    /** Exact captions on the numbers trained on and on the held-out ones. */
    public record Result(double trainingAccuracy, double heldOutAccuracy) {}

    private CaptionSample() {}

    public static Result run(Settings settings, PrintStream out, PrintStream progress) {
        int[] order = Shuffle.identity(1000);
        Shuffle.inPlace(order, new Random(settings.seed()));
        int[] training = Arrays.copyOf(order, 800);
        int[] heldOut = Arrays.copyOfRange(order, 800, 1000);
        EncoderDecoder model = new EncoderDecoder(new UnfoldedCaptionModels_Reader(settings.seed()),
                new UnfoldedCaptionModels_Describer(settings.seed() + 1));
        double[][][] vectors = new double[training.length][][];
        int[][] captions = new int[training.length][];
        for (int i = 0; i < training.length; i++) {
            vectors[i] = new double[][] {NumberWords.vector(training[i])};
            captions[i] = NumberWords.caption(training[i]);
        }
        SequencePairs pairs = SequencePairs.of(model, vectors, new int[training.length], captions, NumberWords.START,
                NumberWords.END, settings.batchSize());
        out.printf("Captions from a vector: the digits of a number in (%d values, one-hot), its English name out, e.g."
                + " 412 → %s.%n", CaptionModels.VECTOR, NumberWords.text(NumberWords.caption(412)));
        out.printf(Locale.ROOT, "%d numbers to learn from, %d held out; LSTMs of 64 units, %,d parameters; Adam from"
                        + " η = %s down a cosine, batches of %d, teacher forcing.%n%n", training.length, heldOut.length,
                model.parameters().count(), settings.learningRate(), settings.batchSize());
        Result[] result = {new Result(accuracy(model, training), accuracy(model, heldOut))};
        try {
            new Trainer(model.parameters(), new Adam(model.parameters(), settings.learningRate()))
                    .epochs(settings.epochs())
                    .seed(settings.seed())
                    .clipNorm(5)
                    .schedule(LearningRateSchedule.cosine(settings.learningRate(), settings.learningRate() / 20,
                            (long) settings.epochs() * pairs.updates()))
                    .listener(new ConsoleProgress(progress, true))
                    .listener(new TrainingListener() {
                        @Override
                        public void epochEnded(EpochReport report) {
                            if (report.epoch() % 5 == 0 || report.epoch() == report.epochs() || report.epoch() == 1) {
                                result[0] = new Result(accuracy(model, training), accuracy(model, heldOut));
                                out.printf(Locale.ROOT, "epoch %3d: loss %.4f a word, captions right: trained on"
                                                + " %5.1f%%, held out %5.1f%%%n", report.epoch(), report.trainingLoss(),
                                        100 * result[0].trainingAccuracy(), 100 * result[0].heldOutAccuracy());
                            }
                        }
                    })
                    .fit(pairs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // no checkpoint was asked for, so nothing is read or written
        }
        out.println();
        for (int i = 0; i < 4; i++) {
            int n = heldOut[i];
            out.printf("  %3d → %s%n", n, NumberWords.text(describe(model, n)));
        }
        for (int n : heldOut) {
            int[] said = describe(model, n);
            if (!Arrays.equals(said, NumberWords.caption(n))) {
                out.printf("  wrong: %3d → %s%n", n, NumberWords.text(said));
            }
        }
        return result[0];
    }

    /** The describer's greedy caption of {@code n}. */
    static int[] describe(EncoderDecoder model, int n) {
        int[] words = new int[8];
        int count = model.encodeFor(new double[][] {NumberWords.vector(n)}, 0)
                .greedy(new int[] {NumberWords.START}, words.length, NumberWords.END, words);
        return Arrays.copyOf(words, count);
    }

    /** Fraction of {@code numbers} captioned exactly right. */
    static double accuracy(EncoderDecoder model, int[] numbers) {
        int right = 0;
        for (int n : numbers) {
            right += Arrays.equals(describe(model, n), NumberWords.caption(n)) ? 1 : 0;
        }
        return (double) right / numbers.length;
    }
}
