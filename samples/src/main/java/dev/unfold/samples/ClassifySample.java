package dev.unfold.samples;

import dev.unfold.runtime.Clipping;
import dev.unfold.runtime.Sgd;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seed 002's many-to-one example: variable-length protein sequences, one amino acid per step as a
 * token, classified from the last hidden state h_Z. The synthetic task (positive iff the sequence
 * contains the motif KL) has a known answer, so held-out accuracy says whether the network learned.
 */
public final class ClassifySample {
    /** Seed 003's clipping bound C for g · min(1, C/‖g‖). */
    static final double CLIP_NORM = 1.0;

    /** Loss per training sequence in the last epoch, and accuracy on fresh sequences. */
    public record Result(double trainingLoss, double testAccuracy) {}

    private ClassifySample() {}

    public static Result run(int trainCount, int testCount, int minLength, int maxLength, int epochs,
                             double learningRate, long seed, PrintStream out) {
        Random random = new Random(seed);
        List<ProteinData.Example> train = ProteinData.generate(trainCount, minLength, maxLength, random);
        List<ProteinData.Example> test = ProteinData.generate(testCount, minLength, maxLength, random);
        ProteinClassifier net = new UnfoldedProteinClassifier(seed);
        out.printf("Seed 002's sequence classifier: %s%n", net);
        out.printf("Task: is the motif KL in the sequence? %d training and %d test sequences of %d to %d residues,%n"
                + "e.g. %s → %s%n", trainCount, testCount, minLength, maxLength, train.get(0).letters(),
                train.get(0).label() == 1 ? "positive" : "negative");
        out.printf(Locale.ROOT, "SGD at η = %s, one sequence per step, gradients clipped to norm %s (seed 003).%n%n",
                learningRate, CLIP_NORM);

        Sgd sgd = new Sgd(learningRate);
        int[] label = new int[1];
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Result result = new Result(Double.NaN, Double.NaN);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, random);
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
                sgd.step(net.parameters());
            }
            result = new Result(loss / train.size(), accuracy(net, test));
            out.printf(Locale.ROOT, "epoch %2d: training loss %.4f, clipped %4.1f%%, test accuracy %5.1f%%%n", epoch,
                    result.trainingLoss(), 100.0 * clipped / train.size(), 100 * result.testAccuracy());
        }
        return result;
    }

    /** Fraction of examples whose more probable class is their label. */
    static double accuracy(ProteinClassifier net, List<ProteinData.Example> examples) {
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

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
