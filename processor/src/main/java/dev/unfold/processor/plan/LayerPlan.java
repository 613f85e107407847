package dev.unfold.processor.plan;

import dev.unfold.Activation;
import dev.unfold.Recurrence;
import dev.unfold.processor.cell.CellKind;
import java.util.List;

/**
 * One recurrent layer with the generated names of its constants, buffers and methods. A layer has
 * one direction, or two when bidirectional; its output at step t is h_t, or [h_t ; g_t].
 *
 * <p>The layer's states live in one flat buffer with a row per step, row t at offset t × width:
 * the forward direction writes h_t into columns [0, H) of row t and starts from h_0 in row 0; the
 * reverse direction writes g_t into columns [H, 2H) and starts from g_{T+1} in row T + 1. The
 * layer above reads row t whole, as its x_t.
 *
 * @param index position from the bottom, 0 for the layer reading the network's input
 * @param name the declaring method's name
 * @param cell what the declared cell is: its gates, states and parameters
 * @param inputWidth width of x_t for this layer
 * @param inputConstant the constant holding {@code inputWidth}
 * @param hidden H, the cell's units: the size of c_t, and of h_t unless the cell projects it
 * @param hiddenConstant the constant holding {@code hidden}
 * @param stateSize the size of h_t per direction: P when the cell projects, H otherwise
 * @param stateConstant the constant holding {@code stateSize} (the hidden constant without a projection)
 * @param gateRows rows of W_ih and W_hh: H, 4H (LSTM) or 3H (GRU)
 * @param gateRowsConstant the constant holding {@code gateRows} (the hidden constant for SIMPLE)
 * @param width the layer's output width, h_t's size or twice it
 * @param widthConstant the constant holding {@code width} (the state constant if unidirectional)
 * @param layerField the field holding the {@code Layer} view
 * @param states the buffer of outputs, rows 0..T+1
 * @param statesGradient ∂L/∂(row t of states) from the layer or output above
 * @param directions forward, then reverse if bidirectional
 * @param input x_t of one step in an array of its own, for the vectorised loops of its gradients
 * @param inputGradient ∂L/∂x_t of one step while the directions add to it
 * @param batch the batched pass's buffers and methods for this layer
 * @param recurrence whether h_t reads h_{t−1}, the network's previous output, or both
 * @param dropout the layer's dropout in training; null when it declares none
 */
public record LayerPlan(
        int index,
        String name,
        CellKind cell,
        Activation activation,
        int inputWidth,
        String inputConstant,
        int hidden,
        String hiddenConstant,
        int stateSize,
        String stateConstant,
        int gateRows,
        String gateRowsConstant,
        int width,
        String widthConstant,
        String layerField,
        String states,
        String statesGradient,
        List<DirectionPlan> directions,
        Methods methods,
        String input,
        String inputGradient,
        Batch batch,
        Recurrence recurrence,
        DropoutPlan dropout) {

    /** Whether the layer drops its input (dropout = p). */
    public boolean dropsInput() {
        return dropout != null && dropout.dropsInput();
    }

    /** Whether the layer drops h_{t−1} where it enters W_hh (recurrentDropout = p). */
    public boolean dropsRecurrent() {
        return dropout != null && dropout.dropsRecurrent();
    }

    /** Whether this layer reads the network's input (dense rows or tokens) rather than another layer. */
    public boolean readsNetworkInput() {
        return index == 0;
    }

    /**
     * The states this layer carries from one call to the next when streaming, and lays out in a
     * saved state, h first: its forward direction's (a layer that streams has no other).
     */
    public List<StatePlan> carriedStates() {
        return directions.get(0).states();
    }

    /** Whether h_t = W_hr m_t is a projection of P values rather than the cell's H (a projecting LSTM). */
    public boolean projects() {
        return cell.projects();
    }

    public boolean isBidirectional() {
        return directions.size() == 2;
    }

    /** Whether h_t reads the network's previous output ŷ_{t−1} (or, in training, y_{t−1}). */
    public boolean readsOutput() {
        return recurrence != Recurrence.HIDDEN;
    }

    /** Whether h_t reads h_{t−1} through W_hh: every layer but one fed by the output alone (equations.md (8.1)). */
    public boolean readsPreviousState() {
        return recurrence != Recurrence.OUTPUT;
    }

    /**
     * The batched pass's names for this layer: its states and their gradient from above as batch
     * rows, and the methods shared by both directions.
     */
    public record Batch(
            String states,
            String statesGradient,
            String projectInputs,
            String projectTokens,
            String gradients,
            String inputGradients,
            String inputGradientsFromTokens) {}

    /**
     * The generated methods shared by both directions: products with W_ih and the gradient sums;
     * with two biases, the sum b = b_ih + b_hh and the split of its gradient (null with one bias).
     */
    public record Methods(
            String projectInputs,
            String projectTokens,
            String recurrentGradients,
            String inputGradients,
            String inputGradientsFromTokens,
            String sumBiases,
            String splitBiasGradients) {}

    /** Whether the layer trains PyTorch's two biases b_ih and b_hh (equations.md (1.3)). */
    public boolean twoBiases() {
        return methods.sumBiases() != null;
    }
}
