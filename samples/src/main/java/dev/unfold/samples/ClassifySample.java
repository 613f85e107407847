package dev.unfold.samples;

import dev.unfold.runtime.Adam;
import dev.unfold.runtime.Clipping;
import dev.unfold.runtime.Optimizer;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Sgd;
import dev.unfold.runtime.Shuffle;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.LongFunction;

/**
 * Seed 002's many-to-one example: variable-length protein sequences, one amino acid per step as a
 * token, classified from the network's last state. The synthetic task (positive iff the sequence
 * contains the motif KL) has a known answer, so held-out accuracy says whether the network learned.
 */
public final class ClassifySample {
    /** Seed 003's clipping bound C for g · min(1, C/‖g‖). */
    static final double CLIP_NORM = 1.0;

    /** The two networks, each with the training that suits it and the sequence lengths it handles. */
    public enum Model {
        /** The seeds' tanh RNN, trained by seed 003's SGD; its gradient vanishes over long sequences. */
        SIMPLE("simple tanh RNN", UnfoldedProteinClassifier::new, Sgd::new, 0.05, 40, 25),
        /** A bidirectional LSTM trained with Adam: handles the seed's full lengths, 10 to 428. */
        BILSTM("bidirectional LSTM", UnfoldedBidirectionalProteinClassifier::new, Adam::new, 0.005, 428, 6);

        final String description;
        final LongFunction<SequenceModel> network;
        final BiFunction<Parameters, Double, Optimizer> optimizer;
        final double learningRate;
        final int maxLength;
        final int epochs;

        Model(String description, LongFunction<SequenceModel> network, BiFunction<Parameters, Double, Optimizer> optimizer,
              double learningRate, int maxLength, int epochs) {
            this.description = description;
            this.network = network;
            this.optimizer = optimizer;
            this.learningRate = learningRate;
            this.maxLength = maxLength;
            this.epochs = epochs;
        }
    }

    /** Loss per training sequence in the last epoch, and accuracy on fresh sequences. */
    public record Result(double trainingLoss, double testAccuracy) {}

    private ClassifySample() {}

    public static Result run(Model model, int trainCount, int testCount, int minLength, int maxLength, int epochs,
                             double learningRate, long seed, PrintStream out) {
        Random random = new Random(seed);
        List<ProteinData.Example> train = ProteinData.generate(trainCount, minLength, maxLength, random);
        List<ProteinData.Example> test = ProteinData.generate(testCount, minLength, maxLength, random);
        SequenceModel net = model.network.apply(seed);
        Optimizer optimizer = model.optimizer.apply(net.parameters(), learningRate);
        out.printf("Seed 002's sequence classifier, a %s: %s%n", model.description, net);
        out.printf("Task: is the motif KL in the sequence? %d training and %d test sequences of %d to %d residues,%n"
                + "e.g. %s → %s%n", trainCount, testCount, minLength, maxLength, train.get(0).letters(),
                train.get(0).label() == 1 ? "positive" : "negative");
        out.printf(Locale.ROOT, "%s at η = %s, one sequence per step, gradients clipped to norm %s (seed 003).%n%n",
                optimizer.getClass().getSimpleName(), learningRate, CLIP_NORM);

        int[] label = new int[1];
        int[] order = Shuffle.identity(train.size());
        Result result = new Result(Double.NaN, accuracy(net, test));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            Shuffle.inPlace(order, random);
            double loss = 0;
            int clipped = 0;
            for (int i : order) {
                ProteinData.Example example = train.get(i);
                label[0] = example.label();
                net.parameters().zeroGradients();
                loss += net.backward(example.residues(), label);
                if (Clipping.clipGlobalNorm(net.parameters(), CLIP_NORM) > CLIP_NORM) {
                    clipped++;
                }
                optimizer.step();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            result = new Result(loss / train.size(), accuracy(net, test));
            out.printf(Locale.ROOT, "epoch %2d: training loss %.4f, clipped %4.1f%%, test accuracy %5.1f%%  (%.1f s)%n",
                    epoch, result.trainingLoss(), 100.0 * clipped / train.size(), 100 * result.testAccuracy(), seconds);
        }
        return result;
    }

    /** Fraction of examples whose more probable class is their label. */
    static double accuracy(SequenceModel net, List<ProteinData.Example> examples) {
        double[][] probabilities = new double[1][2];
        int correct = 0;
        for (ProteinData.Example example : examples) {
            net.forward(example.residues(), probabilities);
            int predicted = probabilities[0][1] > probabilities[0][0] ? 1 : 0;
            if (predicted == example.label()) {
                correct++;
            }
        }
        return (double) correct / examples.size();
    }
}
