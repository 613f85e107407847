package dev.unfold.runtime.diagnostics;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link TrainingListener} that watches the gradient during training: per epoch, each
 * parameter's gradient norm ‖∂L/∂θ‖ (its mean and largest over the epoch's updates, taken after
 * the trainer's averaging and before clipping) and the clipping rate, the share of updates that
 * clipping by norm rescaled. An update allocates nothing; an epoch's end copies its row out.
 *
 * <pre>
 * GradientMonitor gradients = new GradientMonitor(net.parameters());
 * new Trainer(net, sgd).clipNorm(1).listener(gradients).fit(data);
 * gradients.meanNorms(0);          // ‖∂L/∂rnn.weight_ih‖ per epoch
 * </pre>
 */
public final class GradientMonitor implements TrainingListener {
    private final List<String> names;
    private final double[] sums;
    private final double[] largest;
    private int updates;
    private final List<Integer> epochs = new ArrayList<>();
    private final List<double[]> means = new ArrayList<>();
    private final List<double[]> maxima = new ArrayList<>();
    private final List<Double> clippingRates = new ArrayList<>();

    /** Watches {@code parameters}, the ones the trainer trains. */
    public GradientMonitor(Parameters parameters) {
        this.names = java.util.Objects.requireNonNull(parameters, "parameters").names();
        this.sums = new double[names.size()];
        this.largest = new double[names.size()];
    }

    @Override
    public void epochStarted(int epoch, int updates) {
        java.util.Arrays.fill(sums, 0);
        java.util.Arrays.fill(largest, 0);
        this.updates = 0;
    }

    @Override
    public void gradientsComputed(int epoch, int update, Parameters parameters) {
        if (parameters.size() != sums.length) {
            throw new IllegalArgumentException("the trainer trains " + parameters.size() + " parameters, but this"
                    + " monitor was built over " + sums.length + ": build it over the trainer's Parameters");
        }
        for (int p = 0; p < sums.length; p++) {
            double norm = norm(parameters.get(p));
            sums[p] += norm;
            largest[p] = Math.max(largest[p], norm);
        }
        updates++;
    }

    @Override
    public void epochEnded(EpochReport report) {
        double[] mean = sums.clone();
        for (int p = 0; p < mean.length; p++) {
            mean[p] /= Math.max(1, updates);
        }
        epochs.add(report.epoch());
        means.add(mean);
        maxima.add(largest.clone());
        clippingRates.add(report.updates() == 0 ? 0 : (double) report.clippedUpdates() / report.updates());
    }

    private static double norm(Parameter parameter) {
        double sum = 0;
        for (int i = 0, n = parameter.size(); i < n; i++) {
            double g = parameter.gradient(i); // widened: the sum is in double in either precision
            sum += g * g;
        }
        return Math.sqrt(sum);
    }

    /** The parameters' names, in the order of their index here. */
    public List<String> names() {
        return names;
    }

    /** The epochs recorded so far (from 1; a resumed run starts later). */
    public int[] epochs() {
        return epochs.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parameter {@code index}'s mean gradient norm over each recorded epoch's updates. */
    public double[] meanNorms(int index) {
        return column(means, index);
    }

    /** Parameter {@code index}'s largest gradient norm in each recorded epoch. */
    public double[] maxNorms(int index) {
        return column(maxima, index);
    }

    /** Per recorded epoch, the share of updates clipping by norm rescaled (0 without clipping). */
    public double[] clippingRates() {
        return clippingRates.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private double[] column(List<double[]> rows, int index) {
        if (index < 0 || index >= names.size()) {
            throw new IllegalArgumentException("index is " + index + ", expected one of [0, " + names.size()
                    + ") (the parameters watched)");
        }
        return rows.stream().mapToDouble(row -> row[index]).toArray();
    }

    /** A table: one row per epoch, the clipping rate and each parameter's mean gradient norm. */
    public String text() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%5s %8s", "epoch", "clipped"));
        for (String name : names) {
            text.append(String.format(Locale.ROOT, " %16s", name));
        }
        text.append('\n');
        for (int e = 0; e < epochs.size(); e++) {
            text.append(String.format(Locale.ROOT, "%5d %7.1f%%", epochs.get(e), 100 * clippingRates.get(e)));
            for (double mean : means.get(e)) {
                text.append(String.format(Locale.ROOT, " %16.3e", mean));
            }
            text.append('\n');
        }
        return text.toString();
    }
}
