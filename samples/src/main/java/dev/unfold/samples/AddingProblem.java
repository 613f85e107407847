package dev.unfold.samples;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Traceable;
import java.util.Locale;
import java.util.Random;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997; one of the tasks of Pascanu, Mikolov and
 * Bengio 2013). Each step x_t is a pair: a value drawn from U[0, 1] and a marker, 0 or 1. Exactly
 * two steps are marked, and the target is the sum of their two values, read from h_T.
 *
 * <p>Protocol: the first marked step is drawn uniformly from the first half of the sequence, the
 * second from the second half, and every sequence has exactly T steps. This is the protocol of Le,
 * Jaitly and Hinton (2015) and the papers after them, under which always answering 1, the mean
 * sum, scores the variance of a sum of two U[0, 1] values, 1/6 ≈ 0.167. Hochreiter and
 * Schmidhuber's original draws the values from [−1, 1], puts the first marker among the first ten
 * steps and lets lengths vary, so its numbers do not carry over. Success is Pascanu et al.'s
 * criterion: a test MSE below 0.04, a quarter of the trivial score. The first marker can be as far
 * as T − 1 steps from the end, the second as near as 1: the network must hold the first value
 * across at least half the sequence.
 */
final class AddingProblem implements MemoryTask {
    static final double SUCCESS_MSE = 0.04;

    @Override
    public String name() {
        return "adding";
    }

    @Override
    public String title() {
        return "adding problem";
    }

    @Override
    public String metricName() {
        return "test MSE";
    }

    @Override
    public double trivialMetric() {
        return 1.0 / 6;
    }

    @Override
    public String successCriterion() {
        return "test MSE below " + SUCCESS_MSE + " (always answering 1 scores 0.167)";
    }

    @Override
    public boolean succeeded(double metric) {
        return metric < SUCCESS_MSE;
    }

    @Override
    public String format(double metric) {
        return String.format(Locale.ROOT, "%.4f", metric);
    }

    @Override
    public int minimumLength() {
        return 2;
    }

    @Override
    public Examples allocate(int count, int length) {
        return Examples.withTargets(count, length, 2, 1);
    }

    @Override
    public void draw(Examples examples, Random random) {
        int length = examples.length();
        int half = length / 2;
        for (int b = 0; b < examples.size(); b++) {
            double[][] xs = examples.xs[b];
            for (double[] x : xs) {
                x[0] = random.nextDouble();
                x[1] = 0;
            }
            int first = random.nextInt(half);
            int second = half + random.nextInt(length - half);
            xs[first][1] = 1;
            xs[second][1] = 1;
            examples.targets[b][0][0] = xs[first][0] + xs[second][0];
        }
    }

    @Override
    public Traceable simpleRnn(long seed) {
        return new UnfoldedAddingRnn(seed);
    }

    @Override
    public Traceable lstm(long seed) {
        return new UnfoldedAddingLstm(seed);
    }

    /** Mean squared error of the predicted sums. */
    @Override
    public double metric(SequenceModel net, Examples test) {
        double[][][] predictions = new double[test.size()][1][1];
        net.forward(test.xs, predictions);
        double sum = 0;
        for (int b = 0; b < test.size(); b++) {
            double error = predictions[b][0][0] - test.targets[b][0][0];
            sum += error * error;
        }
        return sum / test.size();
    }
}
