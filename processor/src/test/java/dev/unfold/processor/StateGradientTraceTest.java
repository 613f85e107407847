package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.Traceable;
import dev.unfold.runtime.diagnostics.GradientReport;
import dev.unfold.runtime.diagnostics.SpectralCheck;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Gradient diagnostics (issue 8): the norms ‖∂L/∂h_k‖ a traced backward pass records equal central
 * differences of the loss with h_k itself perturbed, for every cell; an LSTM's recorded forget
 * gates are σ(W_if x_t + W_hf h_{t−1} + b_f) recomputed here; and a network whose W_hh has
 * λ1 < 1/γ shows the geometric decay of equations.md (11.2).
 *
 * <p>Two ways to perturb h_k and nothing else, neither of them through the code under test: for a
 * top layer, a stateful pass carries h_k in its state, so the test saves the state after step k,
 * perturbs h_k there and continues over steps k+1..T, adding the output's own loss at step k,
 * computed here from V and c. For a bottom layer with the identity activation and W_ih = I,
 * h_k = x_k + W_hh h_{k−1} + b, so ∂L/∂x_k = ∂L/∂h_k, whatever reads h_k above.
 */
class StateGradientTraceTest {
    private static final double EPSILON = 1e-6;

    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("TanhChain",
                    "@Network(input = 3, output = 2, loss = Loss.MSE)",
                    "public interface TanhChain extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 4) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("LstmSummary",
                    "@Network(input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE)",
                    "public interface LstmSummary extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 3, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("GruOverLstm",
                    "@Network(input = 3, output = 2, loss = Loss.MSE)",
                    "public interface GruOverLstm extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 3, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 4, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("LinearUnder",
                    "@Network(input = 3, output = 3, loss = Loss.CROSS_ENTROPY)",
                    "public interface LinearUnder extends Classifier, Traceable {",
                    "    @Recurrent(hidden = 3, activation = Activation.IDENTITY) Layer linear();",
                    "    @Recurrent(hidden = 2, cell = Cell.LSTM) @Bidirectional Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("LinearBoth",
                    "@Network(input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE)",
                    "public interface LinearBoth extends Traceable {",
                    "    @Recurrent(hidden = 3, activation = Activation.IDENTITY) @Bidirectional Layer linear();",
                    "    @Recurrent(hidden = 2, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("TanhSummary",
                    "@Network(input = 2, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE)",
                    "public interface TanhSummary extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 6) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("SigmoidSummary",
                    "@Network(input = 2, output = 1, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE)",
                    "public interface SigmoidSummary extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 6, activation = Activation.SIGMOID) Layer rnn();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name, long seed) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, seed);
    }

    private static double[][] uniform(Random random, int rows, int columns) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = 2 * random.nextDouble() - 1;
            }
        }
        return values;
    }

    private static double[] traced(Traceable net, int layer, int direction, int steps) {
        double[] norms = new double[steps];
        net.stateGradientNorms(layer, direction, norms);
        return norms;
    }

    @EachCompiler
    void topLayerNormsMatchCentralDifferencesOfTheirState(TestCompiler compiler) {
        Random random = new Random(8);
        int steps = 5;
        double[][] xs = uniform(random, steps, 3);
        // many-to-many tanh: δh_k = Vᵀ δy_k + W_hhᵀ δu_{k+1}
        checkTopLayer(network(compiler, "TanhChain", 1), xs, uniform(random, steps, 2), 0, 4, false);
        // many-to-one LSTM: the loss reaches h_k < T only through later steps (c_k held fixed)
        checkTopLayer(network(compiler, "LstmSummary", 2), xs, uniform(random, 1, 2), 0, 3, true);
        // a GRU over an LSTM: the state holds [h, c] of the LSTM, then the GRU's h
        checkTopLayer(network(compiler, "GruOverLstm", 3), xs, uniform(random, steps, 2), 6, 4, false);
    }

    private static <N extends Traceable & Streaming> void checkTopLayer(N net, double[][] xs, double[][] targets, int offset, int hidden,
                                      boolean manyToOne) {
        int steps = xs.length;
        int top = net.layers().size() - 1;
        net.traceStateGradients(true);
        net.backward(xs, targets);
        double[] norms = traced(net, top, 0, steps);
        for (int k = 1; k <= steps; k++) {
            double[] numeric = topStateGradient(net, xs, targets, k, offset, hidden, manyToOne);
            double expected = length(numeric);
            assertEquals(expected, norms[k - 1], 1e-7 * Math.max(1, expected), net + ": ‖∂L/∂h_" + k + "‖");
        }
        assertTrue(length(norms) > 1e-3, "the norms are not all (near) zero: " + Arrays.toString(norms));
    }

    /** ∂L/∂h_k of the top layer: h_k perturbed in the carried state, the output's loss at k computed here. */
    private static <N extends Traceable & Streaming> double[] topStateGradient(N net, double[][] xs, double[][] targets, int k, int offset,
                                             int hidden, boolean manyToOne) {
        int steps = xs.length;
        net.setStateful(true);
        net.resetState();
        net.loss(Arrays.copyOfRange(xs, 0, k), manyToOne ? targets : Arrays.copyOfRange(targets, 0, k));
        double[] state = new double[net.stateSize()];
        net.saveState(state, 0);
        double[] gradient = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double[] sides = new double[2];
            for (int side = 0; side < 2; side++) {
                double[] perturbed = state.clone();
                perturbed[offset + j] += side == 0 ? EPSILON : -EPSILON;
                double loss = 0;
                if (!manyToOne || k == steps) {
                    double[] h = Arrays.copyOfRange(perturbed, offset, offset + hidden);
                    loss += squaredError(net, h, targets[manyToOne ? 0 : k - 1]);
                }
                if (k < steps) {
                    net.restoreState(perturbed, 0);
                    loss += net.loss(Arrays.copyOfRange(xs, k, steps),
                            manyToOne ? targets : Arrays.copyOfRange(targets, k, steps));
                }
                sides[side] = loss;
            }
            gradient[j] = (sides[0] - sides[1]) / (2 * EPSILON);
        }
        net.setStateful(false);
        return gradient;
    }

    /**
     * An LSTM's cell-state trace is ∂L/∂c_k along the cell state, with h_k held fixed: c_k perturbed
     * in the carried state, whose h stays as it was, and the rest of the sequence run from there.
     */
    @EachCompiler
    void cellStateNormsMatchCentralDifferencesAlongTheCellState(TestCompiler compiler) {
        Random random = new Random(10);
        int steps = 6;
        double[][] xs = uniform(random, steps, 3);
        double[][] targets = uniform(random, 1, 2);
        var net = (Encoder & Decoder & Traceable) network(compiler, "LstmSummary", 4);
        net.traceStateGradients(true);
        net.backward(xs, targets);
        double[] norms = new double[steps];
        net.cellStateGradientNorms(0, 0, norms);
        int hidden = 3;
        for (int k = 1; k <= steps; k++) {
            net.setStateful(true);
            net.resetState();
            net.loss(Arrays.copyOfRange(xs, 0, k), targets);
            double[] state = new double[net.stateSize()];
            net.saveState(state, 0);
            double[] gradient = new double[hidden];
            for (int j = 0; j < hidden && k < steps; j++) {
                double[] sides = new double[2];
                for (int side = 0; side < 2; side++) {
                    double[] perturbed = state.clone();
                    perturbed[hidden + j] += side == 0 ? EPSILON : -EPSILON;   // c_k; h_k unchanged
                    net.restoreState(perturbed, 0);
                    sides[side] = net.loss(Arrays.copyOfRange(xs, k, steps), targets);
                }
                gradient[j] = (sides[0] - sides[1]) / (2 * EPSILON);
            }
            net.setStateful(false);
            double expected = length(gradient);
            assertEquals(expected, norms[k - 1], 1e-7 * Math.max(1, expected), "‖∂L/∂c_" + k + "‖ along the cell");
        }
        assertTrue(length(norms) > 1e-3, "the norms are not all (near) zero: " + Arrays.toString(norms));
        assertEquals(0, norms[steps - 1], 0.0, "nothing reaches c_T along the cell state");
    }

    /** Σ (V h + c − y)²: the MSE output's loss at one step, from out.weight and out.bias. */
    private static double squaredError(Traceable net, double[] h, double[] y) {
        double[] weight = net.parameters().get("out.weight").value().data;
        double[] bias = net.parameters().get("out.bias").value().data;
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double output = bias[i];
            for (int j = 0; j < h.length; j++) {
                output += weight[i * h.length + j] * h[j];
            }
            sum += (output - y[i]) * (output - y[i]);
        }
        return sum;
    }

    @EachCompiler
    void bottomLayerNormsMatchCentralDifferencesThroughEveryLayerAbove(TestCompiler compiler) {
        Random random = new Random(9);
        int steps = 6;
        double[][] xs = uniform(random, steps, 3);
        var under = (Classifier & Traceable) network(compiler, "LinearUnder", 4);
        identity(under, "linear.weight_ih");
        int[] labels = {0, 2, 1, 1, 0, 2};
        checkBottomLayer(under, xs, 0, () -> under.backward(xs, labels), () -> under.loss(xs, labels));

        Traceable both = network(compiler, "LinearBoth", 5);
        double[][] target = uniform(random, 1, 2);
        // each direction alone reads x: the other's W_ih is zero
        identity(both, "linear.weight_ih");
        Arrays.fill(both.parameters().get("linear.weight_ih_reverse").value().data, 0);
        checkBottomLayer(both, xs, 0, () -> both.backward(xs, target), () -> both.loss(xs, target));
        identity(both, "linear.weight_ih_reverse");
        Arrays.fill(both.parameters().get("linear.weight_ih").value().data, 0);
        checkBottomLayer(both, xs, 1, () -> both.backward(xs, target), () -> both.loss(xs, target));
    }

    private static void identity(Traceable net, String name) {
        double[] weight = net.parameters().get(name).value().data;
        int size = (int) Math.round(Math.sqrt(weight.length));
        Arrays.fill(weight, 0);
        for (int i = 0; i < size; i++) {
            weight[i * size + i] = 1;
        }
    }

    private static void checkBottomLayer(Traceable net, double[][] xs, int direction, Runnable backward,
                                         java.util.function.DoubleSupplier loss) {
        net.traceStateGradients(true);
        backward.run();
        double[] norms = traced(net, 0, direction, xs.length);
        for (int k = 1; k <= xs.length; k++) {
            double[] numeric = new double[xs[k - 1].length];
            for (int j = 0; j < numeric.length; j++) {
                double kept = xs[k - 1][j];
                xs[k - 1][j] = kept + EPSILON;
                double plus = loss.getAsDouble();
                xs[k - 1][j] = kept - EPSILON;
                double minus = loss.getAsDouble();
                xs[k - 1][j] = kept;
                numeric[j] = (plus - minus) / (2 * EPSILON);
            }
            double expected = length(numeric);
            assertEquals(expected, norms[k - 1], 1e-7 * Math.max(1, expected),
                    net + ", direction " + direction + ": ‖∂L/∂h_" + k + "‖");
        }
    }

    @EachCompiler
    void forgetGatesAreTheGatesOfEachStep(TestCompiler compiler) {
        var net = (Encoder & Decoder & Traceable) network(compiler, "LstmSummary", 6);
        Random random = new Random(10);
        double[][] xs = uniform(random, 4, 3);
        net.traceStateGradients(true);
        net.backward(xs, uniform(random, 1, 2));
        double[][] gates = new double[4][3];
        net.forgetGates(0, 0, gates);

        // f_t = σ(W_if x_t + W_hf h_{t−1} + b_f), rows H..2H of the stacked gates, h_{t−1} from streaming
        double[] weightIh = net.parameters().get("lstm.weight_ih").value().data;
        double[] weightHh = net.parameters().get("lstm.weight_hh").value().data;
        double[] bias = net.parameters().get("lstm.bias").value().data;
        double[] state = new double[net.stateSize()];
        net.resetState();
        for (int t = 0; t < 4; t++) {
            net.saveState(state, 0);   // [h_{t−1} ; c_{t−1}]
            for (int k = 0; k < 3; k++) {
                int row = 3 + k;
                double a = bias[row];
                for (int j = 0; j < 3; j++) {
                    a += weightIh[row * 3 + j] * xs[t][j] + weightHh[row * 3 + j] * state[j];
                }
                assertEquals(1 / (1 + Math.exp(-a)), gates[t][k], 1e-15, "f_" + (t + 1) + "[" + k + "]");
            }
            net.step(xs[t], new double[2]);
        }
    }

    /**
     * equations.md (11.2): with λ1 < 1/γ every step shrinks ‖∂L/∂h‖ by at least λ1·γ, so with the loss at
     * the last step alone ‖∂L/∂h_k‖ ≤ (λ1·γ)^(T−k) ‖∂L/∂h_T‖.
     */
    @EachCompiler
    void belowOneOverGammaTheNormsDecayGeometrically(TestCompiler compiler) {
        assertDecays(network(compiler, "TanhSummary", 7), 0.9, 1.0);
        assertDecays(network(compiler, "SigmoidSummary", 7), 3.5, 0.25);   // λ1 = 3.5 < 1/γ = 4
    }

    private static void assertDecays(Traceable net, double lambda1, double gamma) {
        Parameter weightHh = net.parameters().get("rnn.weight_hh");
        double scale = lambda1 / SpectralCheck.largestSingularValue(weightHh.value());
        for (int i = 0; i < weightHh.size(); i++) {
            weightHh.value().data[i] *= scale;
        }
        SpectralCheck.Spectrum spectrum = SpectralCheck.of(net.layers().get(0), false);
        assertEquals(lambda1, spectrum.lambda1(), 1e-12);
        assertEquals(gamma, spectrum.gamma());
        assertTrue(spectrum.mustVanish(), spectrum.verdict());

        Random random = new Random(11);
        int steps = 40;
        double[][] xs = uniform(random, steps, 2);
        net.traceStateGradients(true);
        net.backward(xs, new double[][] {{3}});
        double[] norms = traced(net, 0, 0, steps);
        double factor = lambda1 * gamma;
        assertTrue(norms[steps - 1] > 0.1, "the last step's gradient is not small: " + norms[steps - 1]);
        for (int k = 1; k < steps; k++) {
            assertTrue(norms[k - 1] <= factor * norms[k] * (1 + 1e-12),
                    "‖∂L/∂h_" + k + "‖ = " + norms[k - 1] + " > λ1·γ · ‖∂L/∂h_" + (k + 1) + "‖ = " + factor * norms[k]);
        }
        assertTrue(norms[0] <= Math.pow(factor, steps - 1) * norms[steps - 1],
                "‖∂L/∂h_1‖ = " + norms[0] + " within (λ1·γ)^(T−1) ‖∂L/∂h_T‖");
    }

    @EachCompiler
    void aReportLeavesTheGradientsAsTheyWereAndReadsTheTrace(TestCompiler compiler) {
        var net = (Encoder & Decoder & Traceable) network(compiler, "TanhChain", 12);
        Random random = new Random(13);
        double[][] xs = uniform(random, 7, 3);
        double[][] targets = uniform(random, 7, 2);
        net.backward(uniform(random, 3, 3), uniform(random, 3, 2));   // some gradient to keep
        double[][] before = gradients(net);
        GradientReport report = GradientReport.of(net, xs, targets);
        assertArrayEquals(before, gradients(net));
        assertEquals(net.loss(xs, targets), report.loss());

        net.traceStateGradients(true);
        net.backward(xs, targets);
        double[] norms = traced(net, 0, 0, 7);
        for (int k = 1; k <= 7; k++) {
            assertEquals(norms[k - 1], report.directions().get(0).norm(7 - k), "distance T − k = " + (7 - k));
        }
        assertTrue(report.text().contains("‖∂L/∂h‖ at distance"), report.text());
    }

    private static double[][] gradients(SequenceModel net) {
        return net.parameters().names().stream().map(n -> net.parameters().get(n).gradient().data.clone())
                .toArray(double[][]::new);
    }

    @EachCompiler
    void misuseIsAClearError(TestCompiler compiler) {
        var net = (Encoder & Decoder & Traceable) network(compiler, "GruOverLstm", 14);
        assertEquals("no backward pass was traced yet: call traceStateGradients(true), then backward",
                assertThrows(IllegalStateException.class, () -> net.stateGradientNorms(0, 0, new double[2]))
                        .getMessage());
        net.traceStateGradients(true);
        double[][] xs = uniform(new Random(15), 2, 3);
        net.backward(xs, new double[2][2]);
        assertEquals("into has 3 values, expected 2 (the steps of the last traced backward pass)",
                assertThrows(IllegalArgumentException.class, () -> net.stateGradientNorms(0, 0, new double[3]))
                        .getMessage());
        assertEquals("layer is 2, expected one of [0, 2) (the network's layers, bottom first)",
                assertThrows(IllegalArgumentException.class, () -> net.stateGradientNorms(2, 0, new double[2]))
                        .getMessage());
        assertEquals("direction is 1, expected 0: gru runs forward only",
                assertThrows(IllegalArgumentException.class, () -> net.stateGradientNorms(1, 1, new double[2]))
                        .getMessage());
        assertEquals("layer 1 (gru) is a GRU layer: only an LSTM has forget gates",
                assertThrows(IllegalArgumentException.class, () -> net.forgetGates(1, 0, new double[2][4]))
                        .getMessage());
        assertEquals("state gradients are traced one sequence at a time: call traceStateGradients(false) before a"
                        + " batched backward, or run the sequences one by one",
                assertThrows(IllegalStateException.class,
                        () -> net.backward(new double[][][] {xs}, new double[][][] {new double[2][2]})).getMessage());
        net.traceStateGradients(false);
        net.backward(new double[][][] {xs}, new double[][][] {new double[2][2]});   // batches run again
    }

    private static double length(double[] vector) {
        double sum = 0;
        for (double value : vector) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
