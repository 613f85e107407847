package dev.unfold.processor.plan;

import dev.unfold.Activation;

/**
 * One simple recurrent layer, h_t = σ(W_ih x_t + W_hh h_{t−1} + b), with the generated names of
 * its constant, parameter arrays, per-step buffers and methods.
 *
 * @param index position from the bottom, 0 for the layer reading the network's input
 * @param name the declaring method's name
 * @param inputWidth width of x_t for this layer
 * @param inputConstant the constant holding {@code inputWidth}
 * @param hidden size of h_t
 * @param hiddenConstant the constant holding {@code hidden}
 */
public record LayerPlan(
        int index,
        String name,
        int inputWidth,
        String inputConstant,
        int hidden,
        String hiddenConstant,
        Activation activation,
        ParameterPlan weightIh,
        ParameterPlan weightHh,
        ParameterPlan bias,
        Buffers buffers,
        Methods methods) {

    /** Whether this layer reads the network's input (dense rows or tokens) rather than another layer. */
    public boolean readsNetworkInput() {
        return index == 0;
    }

    /**
     * Per-step state the forward pass keeps for BPTT, flat with row t at offset t × hidden.
     *
     * @param h h_t, row 0 the initial state
     * @param du δu_t = ∂L/∂u_t
     * @param dhAbove ∂L/∂h_t arriving from the layer above or the output
     * @param dhNext W_hhᵀ δu_{t+1}, one row: what h_t receives from step t + 1
     */
    public record Buffers(String layerField, String h, String du, String dhAbove, String dhNext) {}

    /** The generated methods of this layer. */
    public record Methods(
            String projectInputs,
            String projectTokens,
            String recur,
            String backward,
            String recurrentGradients,
            String inputGradients,
            String inputGradientsFromTokens) {}
}
