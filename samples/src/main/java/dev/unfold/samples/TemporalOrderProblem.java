package dev.unfold.samples;

import dev.unfold.runtime.SequenceModel;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The temporal order problem (Hochreiter and Schmidhuber 1997, experiment 6a; one of the tasks of
 * Pascanu, Mikolov and Bengio 2013). Every step is one of six symbols, one-hot: most are
 * distractors drawn from a, b, c, d; two steps hold a relevant symbol, X or Y, the first at a step
 * drawn from [0.1 T, 0.2 T], the second from [0.5 T, 0.6 T] (from 0, rounded down). The class, read
 * from h_T, is their order: XX, XY, YX or YY. Guessing scores an error of 75%; success is an error
 * below 1% on held-out sequences, as in Pascanu et al. The original's start and end symbols are
 * left out: the network reads exactly T steps and always answers after the last.
 */
final class TemporalOrderProblem implements MemoryTask {
    /** a, b, c, d, X, Y. */
    static final int SYMBOLS = 6;
    /** XX, XY, YX, YY. */
    static final int CLASSES = 4;
    static final int DISTRACTORS = 4;
    static final int X = 4;
    static final int Y = 5;
    static final double SUCCESS_ERROR = 0.01;

    @Override
    public String name() {
        return "order";
    }

    @Override
    public String title() {
        return "temporal order problem";
    }

    @Override
    public String metricName() {
        return "test error";
    }

    @Override
    public double trivialMetric() {
        return 0.75;
    }

    @Override
    public String successCriterion() {
        return "test error below 1% (guessing errs 75% of the time)";
    }

    @Override
    public boolean succeeded(double metric) {
        return metric < SUCCESS_ERROR;
    }

    @Override
    public String format(double metric) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * metric);
    }

    @Override
    public int minimumLength() {
        return 4;   // the two windows [0.1 T, 0.2 T] and [0.5 T, 0.6 T] are apart from T = 4
    }

    @Override
    public Examples allocate(int count, int length) {
        return Examples.withLabels(count, length, SYMBOLS);
    }

    @Override
    public void draw(Examples examples, Random random) {
        int length = examples.length();
        for (int b = 0; b < examples.size(); b++) {
            double[][] xs = examples.xs[b];
            int[] symbols = new int[length];
            for (int t = 0; t < length; t++) {
                symbols[t] = random.nextInt(DISTRACTORS);
            }
            int first = between(random, length / 10, length / 5);
            int second = between(random, length / 2, length * 6 / 10);
            boolean firstIsY = random.nextBoolean();
            boolean secondIsY = random.nextBoolean();
            symbols[first] = firstIsY ? Y : X;
            symbols[second] = secondIsY ? Y : X;
            for (int t = 0; t < length; t++) {
                Arrays.fill(xs[t], 0);
                xs[t][symbols[t]] = 1;
            }
            examples.labels[b][0] = (firstIsY ? 2 : 0) + (secondIsY ? 1 : 0);
        }
    }

    private static int between(Random random, int first, int last) {
        return first + random.nextInt(last - first + 1);
    }

    @Override
    public SequenceModel simpleRnn(long seed) {
        return new UnfoldedOrderRnn(seed);
    }

    @Override
    public SequenceModel lstm(long seed) {
        return new UnfoldedOrderLstm(seed);
    }

    /** The fraction of sequences whose most probable class is not their label. */
    @Override
    public double metric(SequenceModel net, Examples test) {
        double[][][] probabilities = new double[test.size()][1][CLASSES];
        net.forward(test.xs, probabilities);
        int wrong = 0;
        for (int b = 0; b < test.size(); b++) {
            double[] p = probabilities[b][0];
            int best = 0;
            for (int k = 1; k < CLASSES; k++) {
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            wrong += best == test.labels[b][0] ? 0 : 1;
        }
        return (double) wrong / test.size();
    }
}
