package dev.unfold.runtime.diagnostics;

import dev.unfold.Cell;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Traceable;
import dev.unfold.runtime.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * What one sequence's backward pass does to the gradient, layer by layer (equations.md (11.2)): the norm
 * ‖∂L/∂h_k‖ at every step, against the distance from where that direction's BPTT starts (T − k,
 * or k − 1 for a reverse direction); the spectral check of each W_hh; and for an LSTM, the mean
 * product of forget gates over spans of every length, which is what carries its cell state's
 * gradient back.
 *
 * <p>Building a report runs one traced backward pass and then puts every parameter's accumulated
 * gradient back as it was, so it can be taken in the middle of training. It leaves tracing off.
 * A stateful network's carried state moves on as after any backward.
 */
public final class GradientReport {
    /**
     * One direction of one layer: its norms by distance, its spectrum, and for an LSTM its forget
     * gates' products over spans of n steps: the mean over units, and the largest unit's mean, which
     * shows the few cells that keep a memory when the mean over all of them hides them; and
     * ‖∂L/∂c‖ along the cell state by distance, as {@code norms} (null for other cells).
     */
    public record Direction(String layer, String direction, Cell cell, double[] norms,
                            SpectralCheck.Spectrum spectrum, double[] forgetGateProducts,
                            double[] largestForgetGateProducts, double[] cellNorms) {

        /** ‖∂L/∂h‖ at distance d = 0..T − 1 from where BPTT starts: {@code norms()[d]}. */
        public double norm(int distance) {
            return norms[distance];
        }

        /**
         * The mean factor a step multiplies the norm by over the whole span, (‖at T − 1‖ / ‖at 0‖)^(1/(T − 1)):
         * below 1, vanishing. NaN for one step or a zero norm at distance 0.
         */
        public double factorPerStep() {
            int last = norms.length - 1;
            if (last == 0 || norms[0] == 0) {
                return Double.NaN;
            }
            return Math.pow(norms[last] / norms[0], 1.0 / last);
        }

        /** The name and direction, as a legend would say it. */
        public String label() {
            return layer + (direction.isEmpty() ? "" : " (" + direction + ")");
        }
    }

    private final String network;
    private final double loss;
    private final List<Direction> directions;

    private GradientReport(String network, double loss, List<Direction> directions) {
        this.network = network;
        this.loss = loss;
        this.directions = directions;
    }

    /** The report of {@code model} on a dense sequence and its targets. */
    public static GradientReport of(Traceable model, double[][] xs, double[][] targets) {
        // checked before tracing is turned on: a refused call leaves the network as it was
        java.util.Objects.requireNonNull(model, "model");
        int steps = Checks.sequence(xs, model.inputSize());
        Checks.targets(targets, model.outputSteps(steps), model.outputSize());
        return of(model, steps, () -> model.backward(xs, targets));
    }

    /** The report of a float32 {@code model} on a dense sequence and its targets. */
    public static GradientReport of(Traceable model, float[][] xs, float[][] targets) {
        java.util.Objects.requireNonNull(model, "model");
        int steps = Checks.sequence(xs, model.inputSize());
        Checks.targets(targets, model.outputSteps(steps), model.outputSize());
        return of(model, steps, () -> model.backward(xs, targets));
    }

    /** The report of {@code model} on a token sequence and its class labels. */
    public static <M extends Traceable & Classifier> GradientReport of(M model, int[] tokens, int[] labels) {
        java.util.Objects.requireNonNull(model, "model");
        int steps = Checks.tokens(tokens, model.inputSize());
        Checks.labels(labels, model.outputSteps(steps), model.outputSize());
        return of(model, steps, () -> model.backward(tokens, labels));
    }

    private static GradientReport of(Traceable model, int steps, DoubleSupplier backward) {
        // the gradients as they were, widened (exactly, for float32) to be put back as they were
        List<double[]> kept = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            double[] gradient = new double[parameter.size()];
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] = parameter.gradient(i);
            }
            kept.add(gradient);
        }
        double loss;
        model.traceStateGradients(true);
        try {
            loss = backward.getAsDouble();
        } finally {
            model.traceStateGradients(false);
            for (int p = 0; p < kept.size(); p++) {
                Parameter parameter = model.parameters().get(p);
                double[] gradient = kept.get(p);
                for (int i = 0; i < gradient.length; i++) {
                    parameter.setGradient(i, gradient[i]);
                }
            }
        }
        List<Direction> directions = new ArrayList<>();
        List<SpectralCheck.Spectrum> spectra = SpectralCheck.of(model);
        int s = 0;
        for (int l = 0; l < model.layers().size(); l++) {
            Layer layer = model.layers().get(l);
            for (int d = 0; d < (layer.bidirectional() ? 2 : 1); d++) {
                directions.add(direction(model, l, d, steps, spectra.get(s++)));
            }
        }
        return new GradientReport(model.toString(), loss, List.copyOf(directions));
    }

    private static Direction direction(Traceable model, int l, int d, int steps, SpectralCheck.Spectrum spectrum) {
        Layer layer = model.layers().get(l);
        boolean reverse = d == 1;
        double[] byStep = new double[steps];
        model.stateGradientNorms(l, d, byStep);
        double[] byDistance = byDistance(byStep, reverse);
        double[] products = null;
        double[] largest = null;
        double[] cellByDistance = null;
        if (layer.cell() == Cell.LSTM) {
            double[][] gates = new double[steps][layer.hiddenSize()];
            model.forgetGates(l, d, gates);
            products = forgetGateProducts(gates, reverse);
            largest = largestForgetGateProducts(gates, reverse);
            double[] cellByStep = new double[steps];
            model.cellStateGradientNorms(l, d, cellByStep);
            cellByDistance = byDistance(cellByStep, reverse);
        }
        return new Direction(layer.name(), layer.bidirectional() ? (reverse ? "reverse" : "forward") : "",
                layer.cell(), byDistance, spectrum, products, largest, cellByDistance);
    }

    /** Values by step k = 1..T, rearranged by distance from where BPTT starts (T, or 1 in reverse). */
    private static double[] byDistance(double[] byStep, boolean reverse) {
        int steps = byStep.length;
        double[] byDistance = new double[steps];
        for (int k = 1; k <= steps; k++) {
            byDistance[reverse ? k - 1 : steps - k] = byStep[k - 1];
        }
        return byDistance;
    }

    /**
     * Entry n − 1 (n = 1..T − 1): the mean, over units and over every start, of a product of n
     * consecutive forget gates, as ∂c_{k+n}/∂c_k = diag(f_{k+n} ⊙ … ⊙ f_{k+1}) multiplies them
     * (for the reverse direction, ∂c_k/∂c_{k+n} = diag(f_k ⊙ … ⊙ f_{k+n−1})).
     */
    static double[] forgetGateProducts(double[][] gates, boolean reverse) {
        double[][] byUnit = unitForgetGateProducts(gates, reverse);
        double[] means = new double[byUnit.length];
        for (int n = 0; n < byUnit.length; n++) {
            means[n] = java.util.Arrays.stream(byUnit[n]).average().orElse(Double.NaN);
        }
        return means;
    }

    /** Entry n − 1: the largest, over units, of a unit's mean product of n consecutive forget gates. */
    static double[] largestForgetGateProducts(double[][] gates, boolean reverse) {
        double[][] byUnit = unitForgetGateProducts(gates, reverse);
        double[] largest = new double[byUnit.length];
        for (int n = 0; n < byUnit.length; n++) {
            largest[n] = java.util.Arrays.stream(byUnit[n]).max().orElse(Double.NaN);
        }
        return largest;
    }

    /** [n − 1][unit]: the unit's mean, over every start, of a product of n consecutive forget gates. */
    private static double[][] unitForgetGateProducts(double[][] gates, boolean reverse) {
        int steps = gates.length;
        int hidden = steps == 0 ? 0 : gates[0].length;
        double[][] means = new double[Math.max(0, steps - 1)][hidden];
        for (int start = 0; start < steps; start++) {
            // from state k = start + 1 to k + n: the forward direction multiplies f_{k+1}.., the reverse f_k..
            int first = reverse ? start : start + 1;
            for (int unit = 0; unit < hidden; unit++) {
                double product = 1;
                for (int n = 1; start + n <= steps - 1; n++) {
                    product *= gates[first + n - 1][unit];
                    means[n - 1][unit] += product;
                }
            }
        }
        for (int n = 1; n <= means.length; n++) {
            int starts = steps - n;   // spans of n steps between states 1..T
            for (int unit = 0; unit < hidden; unit++) {
                means[n - 1][unit] /= starts;
            }
        }
        return means;
    }

    public String network() {
        return network;
    }

    /** The loss of the traced pass. */
    public double loss() {
        return loss;
    }

    /** Every direction of every layer, bottom first. */
    public List<Direction> directions() {
        return directions;
    }

    /** The report in words and numbers. */
    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(network).append('\n');
        text.append(String.format(Locale.ROOT, "loss %.4g over one sequence of %d steps%n", loss,
                directions.get(0).norms().length));
        for (Direction direction : directions) {
            double[] norms = direction.norms();
            text.append("  ").append(direction.label()).append('\n');
            text.append("    ").append(direction.spectrum().verdict()).append('\n');
            text.append("    ‖∂L/∂h‖ at distance");
            for (int d : distances(norms.length)) {
                text.append(String.format(Locale.ROOT, "  %d: %.2e", d, norms[d]));
            }
            text.append('\n');
            text.append(String.format(Locale.ROOT, "    over %d steps the norm changes by %.2e, a factor %.3f a step%n",
                    norms.length - 1, norms[norms.length - 1] / norms[0], direction.factorPerStep()));
            double[] products = direction.forgetGateProducts();
            if (products != null && products.length > 0) {
                text.append("    mean product of forget gates over n steps");
                for (int d : distances(products.length + 1)) {
                    if (d > 0) {
                        text.append(String.format(Locale.ROOT, "  %d: %.2e", d, products[d - 1]));
                    }
                }
                text.append('\n');
                double[] cells = direction.cellNorms();
                text.append("    ‖∂L/∂c‖ along the cell state at distance");
                for (int d : distances(cells.length)) {
                    text.append(String.format(Locale.ROOT, "  %d: %.2e", d, cells[d]));
                }
                text.append('\n');
                double[] largest = direction.largestForgetGateProducts();
                text.append("    the largest unit's mean product");
                for (int d : distances(largest.length + 1)) {
                    if (d > 0) {
                        text.append(String.format(Locale.ROOT, "  %d: %.2e", d, largest[d - 1]));
                    }
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    /** 0, 1, 2, 5, 10, 20, 50, ... below {@code length}, and the last. */
    private static int[] distances(int length) {
        List<Integer> chosen = new ArrayList<>();
        for (int scale = 1; scale < length; scale *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                if (m * scale < length - 1) {
                    chosen.add(m * scale);
                }
            }
        }
        chosen.add(0, 0);
        if (length > 1) {
            chosen.add(length - 1);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }
}
