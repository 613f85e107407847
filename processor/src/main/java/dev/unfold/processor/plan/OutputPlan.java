package dev.unfold.processor.plan;

/**
 * The output projection o_t = V h_t + c over the top layer's hidden state, and where its logits
 * and their gradients δy_t live.
 *
 * @param size number of outputs
 * @param sizeConstant the constant holding {@code size}
 * @param summary for many-to-one, the buffer the output reads, [h_T ; g_1] of the top layer
 * @param summaryGradient for many-to-one, ∂L/∂summary
 */
public record OutputPlan(
        int size,
        String sizeConstant,
        ParameterPlan weight,
        ParameterPlan bias,
        String logits,
        String delta,
        String summary,
        String summaryGradient) {}
