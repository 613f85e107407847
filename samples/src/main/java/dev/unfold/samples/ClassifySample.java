package dev.unfold.samples;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.metrics.Classification;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.optim.Optimizer;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingListener;
import dev.unfold.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.LongFunction;

/**
 * Many-to-one classification: variable-length protein sequences, one amino acid per step as a
 * token, classified from the network's last state. The synthetic task (positive iff the sequence
 * contains the motif KL) has a known answer, so held-out accuracy says whether the network learned.
 */
public final class ClassifySample {
    /** The clipping bound C for g · min(1, C/‖g‖), equations.md (12.1). */
    static final double CLIP_NORM = 1.0;

    /** The two networks, each with the training that suits it and the sequence lengths it handles. */
    public enum Model {
        /** A simple tanh RNN trained by plain SGD; its gradient vanishes over long sequences. */
        SIMPLE("simple tanh RNN", UnfoldedProteinClassifier::new, Sgd::new, 0.05, 40, 60),
        /** A bidirectional LSTM trained with Adam, in float32: handles the full lengths, 10 to 428. */
        BILSTM("bidirectional LSTM", UnfoldedBidirectionalProteinClassifier::new, Adam::new, 0.005, 428, 6);

        final String description;
        final LongFunction<Classifier> network;
        final BiFunction<Parameters, Double, Optimizer> optimizer;
        final double learningRate;
        final int maxLength;
        final int epochs;

        Model(String description, LongFunction<Classifier> network, BiFunction<Parameters, Double, Optimizer> optimizer,
              double learningRate, int maxLength, int epochs) {
            this.description = description;
            this.network = network;
            this.optimizer = optimizer;
            this.learningRate = learningRate;
            this.maxLength = maxLength;
            this.epochs = epochs;
        }
    }

    /** Mean loss per training sequence in the last epoch, and accuracy and F1 on fresh sequences. */
    public record Result(double trainingLoss, double testAccuracy, Classification test) {}

    /** Sequences per masked batch when measuring the test set: its metrics do not depend on it. */
    private static final int TEST_BATCH = 64;

    private ClassifySample() {}

    public static Result run(Model model, int trainCount, int testCount, int minLength, int maxLength, int epochs,
                             double learningRate, long seed, PrintStream out) {
        return run(model, trainCount, testCount, minLength, maxLength, epochs, learningRate, 1, seed, out);
    }

    /**
     * Trains on {@code trainCount} generated sequences in minibatches of {@code batchSize} (1: one
     * sequence per step, plain stochastic gradient descent; more: one masked batched pass per step, the gradient the
     * batch's mean) and reports held-out accuracy after every epoch.
     */
    public static Result run(Model model, int trainCount, int testCount, int minLength, int maxLength, int epochs,
                             double learningRate, int batchSize, long seed, PrintStream out) {
        Random random = new Random(seed);
        List<ProteinData.Example> train = ProteinData.generate(trainCount, minLength, maxLength, random);
        List<ProteinData.Example> test = ProteinData.generate(testCount, minLength, maxLength, random);
        Classifier net = model.network.apply(seed);
        Optimizer optimizer = model.optimizer.apply(net.parameters(), learningRate);
        out.printf("Sequence classifier, a %s in %s: %s%n", model.description,
                net.precision().name().toLowerCase(Locale.ROOT), net);
        out.printf("Task: is the motif KL in the sequence? %d training and %d test sequences of %d to %d residues,%n"
                + "e.g. %s → %s%n", trainCount, testCount, minLength, maxLength, train.get(0).letters(),
                train.get(0).label() == 1 ? "positive" : "negative");
        out.printf(Locale.ROOT, "%s from η = %s down a cosine to η/20, %s per step, gradients clipped to norm %s"
                        + " (equations.md (12.1)).%n%n",
                optimizer.getClass().getSimpleName(), learningRate,
                batchSize == 1 ? "one sequence" : "batches of " + batchSize, CLIP_NORM);

        Minibatches batches = Minibatches.of(net, residues(train), labels(train), batchSize);
        Minibatches held = Minibatches.of(net, residues(test), labels(test), TEST_BATCH);
        TrainingResult trained;
        try {
            trained = new Trainer(net, optimizer)
                    .epochs(epochs)
                    .seed(seed)
                    .clipNorm(CLIP_NORM)
                    // half a cosine from η down to η/20 over the run: big steps to learn, small ones to settle
                    .schedule(LearningRateSchedule.cosine(learningRate, learningRate / 20,
                            (long) epochs * batches.updates()))
                    .validation(held, 0)
                    .validateOn(Metric.ACCURACY)   // the best epoch is the most accurate one
                    .listener(new TrainingListener() {
                        @Override
                        public void epochEnded(EpochReport report) {
                            out.printf(Locale.ROOT, "epoch %2d: training loss %.4f, clipped %4.1f%%, test loss %.4f,"
                                            + " test accuracy %5.1f%%  (%.1f s)%n", report.epoch(),
                                    report.trainingLoss(), 100.0 * report.clippedUpdates() / report.updates(),
                                    report.validationLoss(), 100 * report.metricValue(), report.seconds());
                        }
                    })
                    .fit(batches);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // no checkpoint was asked for, so nothing is read or written
        }
        Classification measured = Classification.of(held);
        out.printf(Locale.ROOT, "%nTest set after the last epoch: accuracy %.1f%%; the positive class (motif present):"
                        + " precision %.3f, recall %.3f, F1 %.3f; macro F1 %.3f.%n", 100 * measured.accuracy(),
                measured.precision(1), measured.recall(1), measured.f1(1), measured.macroF1());
        return new Result(trained.last() == null ? Double.NaN : trained.last().trainingLoss(), measured.accuracy(),
                measured);
    }

    private static int[][] residues(List<ProteinData.Example> examples) {
        return examples.stream().map(ProteinData.Example::residues).toArray(int[][]::new);
    }

    private static int[][] labels(List<ProteinData.Example> examples) {
        return examples.stream().map(example -> new int[] {example.label()}).toArray(int[][]::new);
    }

    /** Fraction of examples whose more probable class is their label (equations.md (17.2)). */
    static double accuracy(Classifier net, List<ProteinData.Example> examples) {
        return Metric.ACCURACY.measure(Minibatches.of(net, residues(examples), labels(examples), TEST_BATCH));
    }
}
