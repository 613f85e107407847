package dev.unfold.samples;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.data.Windows;
import dev.unfold.runtime.metrics.Regression;
import dev.unfold.runtime.optim.Sgd;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The README's worked example, end to end: the series 8, 10, 12, 10, 8, 12, 10, 12, ?; windows of
 * four values as the inputs x_t and the value after each window as the target y_t; a 4 → 20 → 1
 * tanh RNN (521 parameters) trained on the four known windows, then run over all five to answer
 * the "?".
 *
 * <p>Four examples do not pin a 521-parameter function down: one network answers anywhere between
 * about 7.3 and 9.4 depending on its initial weights. So the sample trains several networks from
 * different seeds and reports their mean, the usual cure for that variance.
 */
public final class ForecastSample {
    /** The worked example's series; its next value is the question. */
    static final double[] SERIES = {8, 10, 12, 10, 8, 12, 10, 12};
    static final int WINDOW = 4;

    /**
     * What one run produced.
     *
     * @param parameterCount each network's parameters
     * @param finalLosses each network's training loss after its last epoch (scaled values)
     * @param meanAbsoluteErrors each network's MAE over the known windows, in the series' units
     * @param answers each network's answer to the "?"
     */
    public record Result(int parameterCount, double[] finalLosses, double[] meanAbsoluteErrors, double[] answers) {

        /** The ensemble's answer: the mean of the networks' answers. */
        public double meanAnswer() {
            return Arrays.stream(answers).average().orElseThrow();
        }

        /** The value the series takes that lies nearest the mean answer. */
        public double nextValue() {
            return nearestSeriesValue(meanAnswer());
        }
    }

    private ForecastSample() {}

    public static Result run(int networks, int epochs, double learningRate, PrintStream out) {
        return run(networks, epochs, learningRate, false, out);
    }

    /**
     * With {@code folded}, the folded version instead (equations.md (8.1)) ({@link FoldedForecaster}): trained
     * with teacher forcing, and forecasting from its own previous predictions.
     */
    public static Result run(int networks, int epochs, double learningRate, boolean folded, PrintStream out) {
        IntFunction<SequenceModel> network = folded ? UnfoldedFoldedForecaster::new : UnfoldedForecaster::new;
        double center = (max(SERIES) + min(SERIES)) / 2;
        double scale = (max(SERIES) - min(SERIES)) / 2;
        double[] scaled = scaled(SERIES, center, scale);
        double[][] known = Windows.all(scaled, WINDOW);                      // x_1..x_5
        double[][] training = Windows.inputs(scaled, WINDOW);                // x_1..x_4 have targets
        double[][] targets = Windows.targets(scaled, WINDOW);                // y_1..y_4

        SequenceModel first = network.apply(1);
        out.printf("Network: %s%n", first);
        out.printf("Parameters: %d%n", first.parameterCount());
        out.printf("Series: %s, ?%n", format(SERIES));
        for (int t = 0; t < training.length; t++) {
            out.printf("  x%d = %s → y%d = %s%n", t + 1, format(Arrays.copyOfRange(SERIES, t, t + WINDOW)), t + 1,
                    format(new double[] {SERIES[t + WINDOW]}));
        }
        out.printf("  x5 = %s → ?%n", format(Arrays.copyOfRange(SERIES, known.length - 1, known.length - 1 + WINDOW)));
        out.printf("Values are scaled to [−1, 1] as (v − %s) / %s; %d epochs of SGD at η = %s per network.%n%n",
                format(new double[] {center}), format(new double[] {scale}), epochs, learningRate);

        double[] losses = new double[networks];
        double[] errors = new double[networks];
        double[] answers = new double[networks];
        double[][] predictions = new double[known.length][1];
        for (int n = 0; n < networks; n++) {
            SequenceModel net = n == 0 ? first : network.apply(n + 1);
            Sgd sgd = new Sgd(net.parameters(), learningRate);
            double loss = Double.NaN;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                net.parameters().zeroGradients();
                loss = net.backward(training, targets);
                sgd.step();
                if (n == 0 && (epoch == 1 || epoch == 10 || epoch == 100 || epoch == epochs)) {
                    out.printf("network 1, epoch %4d: training loss %.3e%n", epoch, loss);
                }
            }
            net.forward(known, predictions);
            losses[n] = loss;
            // MSE and MAE over the four known windows (equations.md (17.7)), back in the series' units
            Regression fit = Regression.of(Minibatches.of(net, new double[][][] {training},
                    new double[][][] {targets}, 1));
            errors[n] = fit.mae() * scale;
            answers[n] = predictions[known.length - 1][0] * scale + center;
            out.printf(Locale.ROOT, "network %2d (seed %2d): final loss %.1e (MSE %.1e, MAE %.1e), answers %.2f%n",
                    n + 1, n + 1, loss, fit.mse() * scale * scale, errors[n], answers[n]);
        }
        Result result = new Result(first.parameterCount(), losses, errors, answers);
        if (folded) {
            // four windows do not pin the folded network down either, and its answer need not fall near the series
            out.printf(Locale.ROOT, "%nMean answer of %d networks: %.2f, reading their own prediction of the last"
                    + " known value (%.2f).%n", networks, result.meanAnswer(), predictions[known.length - 2][0] * scale
                    + center);
        } else {
            out.printf(Locale.ROOT, "%nMean answer of %d networks: %.2f. The next value of the series is %s.%n",
                    networks, result.meanAnswer(), format(new double[] {result.nextValue()}));
        }
        return result;
    }

    /** Every value scaled as (v − center) / scale. */
    static double[] scaled(double[] series, double center, double scale) {
        double[] scaled = new double[series.length];
        for (int i = 0; i < series.length; i++) {
            scaled[i] = (series[i] - center) / scale;
        }
        return scaled;
    }

    static double nearestSeriesValue(double value) {
        double nearest = SERIES[0];
        for (double v : SERIES) {
            if (Math.abs(v - value) < Math.abs(nearest - value)) {
                nearest = v;
            }
        }
        return nearest;
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static String format(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double v : values) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
        }
        return text.toString();
    }
}
