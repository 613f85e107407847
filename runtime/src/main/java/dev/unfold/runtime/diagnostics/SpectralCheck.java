package dev.unfold.runtime.diagnostics;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Precision;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;

/**
 * The spectral check of equations.md (11.2), after Pascanu, Mikolov and Bengio (2013): for h_t = σ(W h_{t−1} + …)
 * the Jacobian ∂h_{t+1}/∂h_t = diag(σ'(u_{t+1})) W has norm at most λ1 γ, where λ1 is W's largest
 * singular value and γ bounds |σ'|. So λ1 &lt; 1/γ is sufficient for the gradient to vanish
 * geometrically, and λ1 > 1/γ is necessary (not sufficient) for it to explode.
 *
 * <p>For an LSTM or a GRU the theorem as stated does not apply: their state is not σ(W h), and
 * their gates can hold the gradient near 1 whatever W_hh is (the LSTM's cell state passes through
 * diag(f_t) alone). The check still reports λ1 of the whole W_hh and of each gate's block, which
 * bound the part of the gradient that goes through W_hh, and says so.
 */
public final class SpectralCheck {
    private SpectralCheck() {}

    /** One direction of one layer: λ1 of its W_hh (and of each gate's H × H block), γ and the verdict. */
    public record Spectrum(String layer, String direction, Cell cell, Activation activation, double lambda1,
                           double gamma, List<String> gates, double[] gateLambda1) {

        /** Whether the theorem's sufficient condition for vanishing gradients, λ1 &lt; 1/γ, holds (simple cells). */
        public boolean mustVanish() {
            return cell == Cell.SIMPLE && lambda1 * gamma < 1;
        }

        /** The verdict in plain words, e.g. "λ1 = 0.62 &lt; 1/γ = 1: gradients through this layer must vanish". */
        public String verdict() {
            String bound = "1/γ = " + number(1 / gamma);
            if (cell == Cell.SIMPLE) {
                if (lambda1 * gamma < 1) {
                    return "λ1 = " + number(lambda1) + " < " + bound + ": gradients through this layer must vanish,"
                            + " by at least a factor λ1·γ = " + number(lambda1 * gamma) + " a step";
                }
                return "λ1 = " + number(lambda1) + " ≥ " + bound + ": gradients may explode (this is necessary, not"
                        + " sufficient); they still vanish wherever the units saturate";
            }
            StringBuilder text = new StringBuilder("λ1 = ").append(number(lambda1)).append(" (");
            for (int g = 0; g < gates.size(); g++) {
                text.append(g == 0 ? "" : ", ").append(gates.get(g)).append(' ').append(number(gateLambda1[g]));
            }
            text.append("): the theorem does not cover a gated cell; ");
            text.append(cell == Cell.LSTM
                    ? "the cell state's gradient runs through the forget gates alone (∂c_t/∂c_k = diag(f_t ⊙ … ⊙"
                            + " f_{k+1})), whatever λ1 is"
                    : "h_t = (1 − z) ⊙ n + z ⊙ h_{t−1} passes the gradient on through z alone, whatever λ1 is");
            return text.toString();
        }

        @Override
        public String toString() {
            return layer + (direction.isEmpty() ? "" : " (" + direction + ")") + ": " + verdict();
        }
    }

    /** Every layer and direction of {@code model}, bottom first. */
    public static List<Spectrum> of(SequenceModel model) {
        java.util.Objects.requireNonNull(model, "model");
        List<Spectrum> spectra = new ArrayList<>();
        for (Layer layer : model.layers()) {
            spectra.add(of(layer, false));
            if (layer.bidirectional()) {
                spectra.add(of(layer, true));
            }
        }
        return spectra;
    }

    /** One direction of {@code layer}. */
    public static Spectrum of(Layer layer, boolean reverse) {
        java.util.Objects.requireNonNull(layer, "layer");
        if (reverse && !layer.bidirectional()) {
            throw new IllegalArgumentException("reverse is true, but " + layer.name() + " runs forward only: expected"
                    + " false for a layer that is not bidirectional");
        }
        DMatrixRMaj weight = inDouble(layer.parameters().get(layer.name() + ".weight_hh" + (reverse ? "_reverse" : "")));
        List<String> gates = gateNames(layer.cell());
        int hidden = layer.hiddenSize();
        double[] gateLambda1 = new double[gates.size()];
        for (int g = 0; g < gates.size(); g++) {
            // W_hh has a column per value of h_t: H, or P for a projecting LSTM
            gateLambda1[g] = largestSingularValue(CommonOps_DDRM.extract(weight, g * hidden, (g + 1) * hidden, 0,
                    weight.numCols));
        }
        String direction = layer.bidirectional() ? (reverse ? "reverse" : "forward") : "";
        return new Spectrum(layer.name(), direction, layer.cell(), layer.activation(), largestSingularValue(weight),
                derivativeBound(layer.cell() == Cell.SIMPLE ? layer.activation() : Activation.TANH), gates,
                gateLambda1);
    }

    /**
     * A float64 parameter's own matrix; a float32 one's widened into a new one (exactly), since the
     * SVD is EJML's double one and its singular values are reported in double either way.
     */
    private static DMatrixRMaj inDouble(Parameter parameter) {
        if (parameter.precision() == Precision.FLOAT64) {
            return parameter.value();
        }
        DMatrixRMaj widened = new DMatrixRMaj(parameter.rows(), parameter.columns());
        for (int i = 0; i < widened.data.length; i++) {
            widened.data[i] = parameter.value(i);
        }
        return widened;
    }

    /** λ1: the largest singular value, by EJML's SVD (of a copy: the decomposition may work in place). */
    public static double largestSingularValue(DMatrixRMaj matrix) {
        java.util.Objects.requireNonNull(matrix, "matrix");
        double largest = 0;
        for (double value : SingularOps_DDRM.singularValues(matrix.copy())) {
            largest = Math.max(largest, value);
        }
        return largest;
    }

    /** γ = sup |σ'|: 1 for tanh (at 0), 1/4 for the sigmoid (at 0), 1 for ReLU and the identity. */
    public static double derivativeBound(Activation activation) {
        java.util.Objects.requireNonNull(activation, "activation");
        return switch (activation) {
            case TANH, RELU, IDENTITY -> 1;
            case SIGMOID -> 0.25;
        };
    }

    private static List<String> gateNames(Cell cell) {
        return switch (cell) {
            case SIMPLE -> List.of("W_hh");
            case LSTM -> List.of("W_hi", "W_hf", "W_hg", "W_ho");
            case GRU -> List.of("W_hr", "W_hz", "W_hn");
        };
    }

    /** Three significant digits without trailing zeros: 0.62, 1, 4, 1.23e-05. */
    static String number(double value) {
        String text = String.format(Locale.ROOT, "%.3g", value);
        if (text.contains("e") || !text.contains(".")) {
            return text;
        }
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
