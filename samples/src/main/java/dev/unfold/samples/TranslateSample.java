package dev.unfold.samples;

import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import dev.unfold.runtime.seq2seq.Generator;
import dev.unfold.runtime.seq2seq.SequencePairs;
import dev.unfold.runtime.train.ConsoleProgress;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Sequence to sequence with one encoder and two decoders (an encoder–decoder, equations.md
 * (10.1), (10.2)): strings of digits in, the same digits reversed out of one decoder and sorted out of the
 * other. The encoder's final state is all a decoder knows of the source, so both tasks rest on what
 * the shared encoder learns from both decoders' gradients. Decoders are trained with teacher
 * forcing and answer greedily, token by token, until they say the end token; a held-out string
 * counts as right only if the whole answer is.
 */
public final class TranslateSample {
    /** The two tasks, one per decoder. */
    static final String[] TASKS = {"reversed", "sorted"};

    /**
     * How to train.
     *
     * @param pairs training pairs (each a random string and one of the tasks)
     * @param minLength shortest string
     * @param maxLength longest string
     * @param epochs passes over the pairs
     * @param batchSize pairs per update
     * @param learningRate Adam's η
     * @param ownPredictions scheduled sampling: how often a decoder reads its own prediction instead of
     *                       the target (0: teacher forcing)
     * @param seed seed for the data and the weights
     */
    public record Settings(int pairs, int minLength, int maxLength, int epochs, int batchSize, double learningRate,
                           double ownPredictions, long seed) {}

    /** Held-out exact-match accuracy of each decoder. */
    public record Result(double reversedAccuracy, double sortedAccuracy) {}

    private TranslateSample() {}

    public static Result run(Settings settings, PrintStream out, PrintStream progress) {
        Random random = new Random(settings.seed());
        EncoderDecoder model = new EncoderDecoder(new UnfoldedDigitModels_Encoder(settings.seed()),
                new UnfoldedDigitModels_Reverser(settings.seed() + 1), new UnfoldedDigitModels_Sorter(settings.seed() + 2));
        int[][] sources = new int[settings.pairs()][];
        int[] decoders = new int[settings.pairs()];
        int[][] targets = new int[settings.pairs()][];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = digits(random, settings.minLength(), settings.maxLength());
            decoders[i] = i % 2;
            targets[i] = answer(sources[i], decoders[i]);
        }
        int[][] heldOut = new int[500][];
        for (int i = 0; i < heldOut.length; i++) {
            heldOut[i] = digits(random, settings.minLength(), settings.maxLength());
        }
        out.printf("Sequence to sequence: one encoder, two decoders, %,d parameters in all, computing in %s.%n",
                model.parameters().count(), model.encoder().precision().name().toLowerCase(Locale.ROOT));
        int[] example = {3, 1, 4, 1, 5, 9, 2};
        out.printf("Task: strings of %d to %d digits in, the same digits reversed (decoder 0) or sorted (decoder 1)"
                        + " out, e.g. %s → %s and %s.%n", settings.minLength(), settings.maxLength(), text(example),
                text(answer(example, 0)), text(answer(example, 1)));
        out.printf(Locale.ROOT, "%,d training pairs, half per decoder; Adam from η = %s down a cosine to η/20, batches"
                + " of %d, %s, gradients clipped to norm 5.%n%n", settings.pairs(), settings.learningRate(),
                settings.batchSize(), settings.ownPredictions() == 0 ? "teacher forcing"
                        : String.format(Locale.ROOT, "scheduled sampling (own predictions %.0f%% of the time)",
                                100 * settings.ownPredictions()));
        SequencePairs training = SequencePairs.of(model, sources, decoders, targets, DigitModels.START, DigitModels.END,
                settings.batchSize()).scheduledSampling(settings.ownPredictions());
        Result[] result = {accuracy(model, heldOut)};
        try {
            new Trainer(model.parameters(), new Adam(model.parameters(), settings.learningRate()))
                    .epochs(settings.epochs())
                    .seed(settings.seed())
                    .clipNorm(5)
                    .schedule(LearningRateSchedule.cosine(settings.learningRate(), settings.learningRate() / 20,
                            (long) settings.epochs() * training.updates()))
                    .listener(ConsoleProgress.barsOnly(progress))   // the epoch's line comes below, with its accuracy
                    .listener(new TrainingListener() {
                        @Override
                        public void epochEnded(EpochReport report) {
                            result[0] = accuracy(model, heldOut);
                            out.printf(Locale.ROOT, "epoch %d: loss %.4f a token, held-out strings right: reversed"
                                            + " %5.1f%%, sorted %5.1f%%  (%.1f s)%n", report.epoch(),
                                    report.trainingLoss(), 100 * result[0].reversedAccuracy(),
                                    100 * result[0].sortedAccuracy(), report.seconds());
                        }
                    })
                    .fit(training);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // no checkpoint was asked for, so nothing is read or written
        }
        out.println();
        for (int i = 0; i < 3; i++) {
            out.printf("  %s → reversed %s, sorted %s%n", text(heldOut[i]), text(decode(model, heldOut[i], 0)),
                    text(decode(model, heldOut[i], 1)));
        }
        return result[0];
    }

    /** Fraction of strings each decoder answers exactly. */
    static Result accuracy(EncoderDecoder model, int[][] strings) {
        int[] right = new int[2];
        for (int[] source : strings) {
            for (int task = 0; task < 2; task++) {
                right[task] += Arrays.equals(decode(model, source, task), answer(source, task)) ? 1 : 0;
            }
        }
        return new Result((double) right[0] / strings.length, (double) right[1] / strings.length);
    }

    /** Decoder {@code task}'s greedy answer to {@code source}, until it says the end token. */
    static int[] decode(EncoderDecoder model, int[] source, int task) {
        int[] answer = new int[source.length + 4];
        Generator generator = model.encodeFor(source, task);
        int count = generator.greedy(new int[] {DigitModels.START}, answer.length, DigitModels.END, answer);
        return Arrays.copyOf(answer, count);
    }

    static int[] answer(int[] source, int task) {
        int[] answer = source.clone();
        if (task == 0) {
            for (int i = 0; i < answer.length / 2; i++) {
                int kept = answer[i];
                answer[i] = answer[answer.length - 1 - i];
                answer[answer.length - 1 - i] = kept;
            }
        } else {
            Arrays.sort(answer);
        }
        return answer;
    }

    private static int[] digits(Random random, int minLength, int maxLength) {
        return random.ints(minLength + random.nextInt(maxLength - minLength + 1), 0, 10).toArray();
    }

    private static String text(int[] digits) {
        StringBuilder text = new StringBuilder();
        for (int digit : digits) {
            text.append(digit < 10 ? Character.forDigit(digit, 10) : digit == DigitModels.START ? '^' : '$');
        }
        return text.toString();
    }
}
