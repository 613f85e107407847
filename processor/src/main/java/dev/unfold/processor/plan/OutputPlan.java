package dev.unfold.processor.plan;

/**
 * The output projection o_t = V h_t + c over the top layer's hidden state, and where its logits
 * and their gradients δy_t live.
 *
 * @param size number of outputs
 * @param sizeConstant the constant holding {@code size}
 */
public record OutputPlan(
        int size,
        String sizeConstant,
        ParameterPlan weight,
        ParameterPlan bias,
        String logits,
        String delta) {}
