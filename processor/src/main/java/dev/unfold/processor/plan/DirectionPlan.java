package dev.unfold.processor.plan;

import dev.unfold.processor.cell.CarriedState;
import dev.unfold.processor.cell.CellParameter;
import java.util.List;

/**
 * One direction of a layer: its parameters, the per-step buffers its BPTT needs, and its two
 * methods. Buffers a cell does not use are null.
 *
 * @param reverse whether this is the direction that runs from t = T down to 1
 * @param cellParameters the vectors the cell adds to W_ih, W_hh and b (a GRU's b_hn), in its order
 * @param preactivations per step, the cell's pre-activations then activations: G·H values (LSTM,
 *     GRU); null for SIMPLE, which works in place in the layer's states
 * @param hiddenProducts the GRU's W_hn h_{t−1} + b_hn, H per step; null otherwise
 * @param deltas δ of the input-side pre-activations, G·H per step: what W_ih and b see
 * @param hiddenDeltas δ of the hidden-side pre-activations, what W_hh sees: the GRU's differ from
 *     {@code deltas} in the n block; the same buffer for the other cells
 * @param dhNext the gradient this direction's previous state receives from the current step
 * @param states the states the cell carries, h first, and where they live (h's gradient is {@code dhNext})
 * @param weightHhColumns W_hh's columns, each an array of its own (H arrays of G), copied from the
 *     parameter at each forward pass: the recurrence adds whole columns, which the JIT vectorises
 * @param sums G values of scratch: the sums a step of the recurrence accumulates; during BPTT,
 *     the previous state the W_hh gradient is summed with
 * @param weightHhRows W_hh's rows, each an array of its own (G arrays of H), copied at each
 *     backward pass, for the same reason as the columns
 * @param weightHhGradientRows ∂L/∂W_hh's rows while BPTT sums them, added to the parameter's
 *     gradient at the end
 * @param weightIhColumns W_ih by columns (I arrays of G), for the input projection
 * @param weightIhRows W_ih by rows, for the gradient the layer below receives
 * @param weightIhGradientRows ∂L/∂W_ih's rows while they are summed
 * @param weightHhCopied the values W_hh's columns were last copied from, to copy only on change
 * @param weightIhCopied the values W_ih's columns were last copied from
 * @param recur the method running the recurrence
 * @param backward the method running BPTT
 * @param batch the same buffers and methods for the batched pass
 * @param weightContext R, through which the first layer reads the context vector; null without one
 * @param contextBias b + R x, the bias the projection adds when there is a context; null otherwise
 * @param weightOutput W_oh, through which the first layer reads the previous output; null unless
 *     its recurrence reads the output
 * @param projection a projecting LSTM's W_hr and the buffers of h_t = W_hr m_t; null otherwise
 * @param biasPair PyTorch's b_ih and b_hh, whose sum {@code bias} (and a GRU's b_hn) then is; null
 *     for a layer with one bias, whose {@code bias} is the parameter
 */
public record DirectionPlan(
        boolean reverse,
        ParameterPlan weightIh,
        ParameterPlan weightHh,
        ParameterPlan bias,
        List<ParameterPlan> cellParameters,
        String preactivations,
        String hiddenProducts,
        String deltas,
        String hiddenDeltas,
        String dhNext,
        List<StatePlan> states,
        String weightHhColumns,
        String sums,
        String weightHhRows,
        String weightHhGradientRows,
        String weightIhColumns,
        String weightIhRows,
        String weightIhGradientRows,
        String weightHhCopied,
        String weightIhCopied,
        String recur,
        String backward,
        Batch batch,
        ParameterPlan weightContext,
        String contextBias,
        ParameterPlan weightOutput,
        ProjectionPlan projection,
        BiasPair biasPair) {

    /** The trainable tensors of this direction, in PyTorch's order: W_ih, W_hh, the biases, W_hr, then R and W_oh. */
    public List<ParameterPlan> parameters() {
        List<ParameterPlan> parameters = new java.util.ArrayList<>();
        parameters.add(weightIh);
        if (weightHh != null) {
            parameters.add(weightHh);
        }
        if (biasPair == null) {
            parameters.add(bias);
            parameters.addAll(cellParameters);
        } else {
            parameters.add(biasPair.input());
            parameters.add(biasPair.hidden());
            parameters.addAll(cellParameters.stream().filter(p -> !biasPair.summed().contains(p)).toList());
        }
        if (weightContext != null) {
            parameters.add(weightContext);
        }
        if (weightOutput != null) {
            parameters.add(weightOutput);
        }
        return parameters;
    }

    /**
     * One direction's buffers and methods in the batched pass, as batch rows laid out as the
     * single-sequence buffers of the same meaning; null where the cell has no such buffer. With a
     * context, {@code contextBias} holds b + R x_b for every lane b (G·H rows of lanes).
     */
    public record Batch(
            String preactivations,
            String hiddenProducts,
            String deltas,
            String hiddenDeltas,
            String dhNext,
            String recur,
            String backward,
            String contextBias) {}

    /** Where this direction keeps one of its cell's states. */
    public StatePlan state(CarriedState state) {
        return states.stream().filter(plan -> plan.state().equals(state)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no state " + state.symbol() + " in this cell"));
    }

    /** The states after h (an LSTM's c): those kept in buffers of their own. */
    public List<StatePlan> innerStates() {
        return states.subList(1, states.size());
    }

    /** One of the vectors the cell adds to W_ih, W_hh and b. */
    public ParameterPlan cellParameter(CellParameter parameter) {
        return cellParameters.stream().filter(plan -> plan.symbol().equals(parameter.symbol())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + parameter.symbol() + " in this cell"));
    }

    /** Whether the hidden side has deltas of its own (a GRU's), apart from {@link #deltas}. */
    public boolean hasSeparateHiddenDeltas() {
        return !hiddenDeltas.equals(deltas);
    }

    /** "forward" or "reverse", for comments. */
    public String label() {
        return reverse ? "reverse" : "forward";
    }
}
