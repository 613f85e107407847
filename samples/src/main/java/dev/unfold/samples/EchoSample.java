package dev.unfold.samples;

import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.Clipping;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;

/**
 * A deep GRU on a task with a known answer: read a stream of random symbols and, at every step,
 * name the symbol seen {@link #DELAY} steps before (before that, the blank symbol 0). The network
 * must carry the last six symbols in its state, in order.
 */
public final class EchoSample {
    static final int SYMBOLS = 10;
    static final int DELAY = 6;
    /** The clipping bound C of equations.md (12.1). */
    static final double CLIP_NORM = 1.0;

    /** Loss per step in the last epoch, and the fraction of held-out steps (after the first DELAY) named right. */
    public record Result(double lossPerStep, double accuracy) {}

    private EchoSample() {}

    public static Result run(int sequencesPerEpoch, int epochs, double learningRate, long seed, PrintStream out) {
        Echo net = new UnfoldedEcho(seed);
        Adam adam = new Adam(net.parameters(), learningRate);
        Random random = new Random(seed);
        out.printf("Deep GRU: %s%n", net);
        out.printf("Task: at every step, name the symbol seen %d steps before, over %d symbols (0 is blank).%n",
                DELAY, SYMBOLS - 1);
        int[] example = sequence(new Random(1), 16);
        out.printf("e.g. %s%n  →  %s%n", text(example), text(targets(example)));
        out.printf(Locale.ROOT, "Adam at η = %s, one sequence of 20 to 40 symbols per step.%n%n", learningRate);
        Result result = new Result(Double.NaN, accuracy(net, seed));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double loss = 0;
            int steps = 0;
            for (int s = 0; s < sequencesPerEpoch; s++) {
                int[] symbols = sequence(random, 20 + random.nextInt(21));
                net.parameters().zeroGradients();
                loss += net.backward(symbols, targets(symbols));
                steps += symbols.length;
                Clipping.clipGlobalNorm(net.parameters(), CLIP_NORM);
                adam.step();
            }
            result = new Result(loss / steps, accuracy(net, seed));
            out.printf(Locale.ROOT, "epoch %2d: loss per step %.4f, held-out accuracy %6.2f%%%n", epoch,
                    result.lossPerStep(), 100 * result.accuracy());
        }
        return result;
    }

    /** Symbols 1..SYMBOLS−1, drawn uniformly. */
    static int[] sequence(Random random, int length) {
        return random.ints(length, 1, SYMBOLS).toArray();
    }

    /** The answer: symbol t − DELAY at step t, blank before. */
    static int[] targets(int[] symbols) {
        int[] targets = new int[symbols.length];
        for (int t = DELAY; t < symbols.length; t++) {
            targets[t] = symbols[t - DELAY];
        }
        return targets;
    }

    /** Fraction of steps t ≥ DELAY of 200 fresh sequences of 30 where the most probable symbol is right. */
    static double accuracy(Echo net, long seed) {
        Random random = new Random(seed + 1_000_003);
        double[][] probabilities = new double[30][SYMBOLS];
        int correct = 0;
        int total = 0;
        for (int s = 0; s < 200; s++) {
            int[] symbols = sequence(random, 30);
            net.forward(symbols, probabilities);
            for (int t = DELAY; t < symbols.length; t++) {
                int best = 0;
                for (int k = 1; k < SYMBOLS; k++) {
                    if (probabilities[t][k] > probabilities[t][best]) {
                        best = k;
                    }
                }
                correct += best == symbols[t - DELAY] ? 1 : 0;
                total++;
            }
        }
        return (double) correct / total;
    }

    private static String text(int[] symbols) {
        StringBuilder text = new StringBuilder();
        for (int s : symbols) {
            text.append(s);
        }
        return text.toString();
    }
}
