package dev.unfold.processor.plan;

/**
 * The output projection o_t = V h_t + c over the top layer's hidden state, and where its logits
 * and their gradients δy_t live.
 *
 * @param size number of outputs
 * @param sizeConstant the constant holding {@code size}
 * @param summary for many-to-one, the buffer the output reads, [h_T ; g_1] of the top layer
 * @param summaryGradient for many-to-one, ∂L/∂summary
 * @param weightColumns V by columns, copied once per pass, for the logits (see Kernels.addMatrixVector)
 * @param weightRows V by rows, copied once per backward pass, for the input's gradient
 * @param weightGradientRows ∂L/∂V by rows while a backward pass sums it
 * @param input what the output reads at one step, in an array of its own
 * @param scratch sums at one step: the logits, then the input's gradient
 * @param weightCopied the values V's columns were last copied from, to copy only on change
 */
public record OutputPlan(
        int size,
        String sizeConstant,
        ParameterPlan weight,
        ParameterPlan bias,
        String logits,
        String delta,
        String summary,
        String summaryGradient,
        String weightColumns,
        String weightRows,
        String weightGradientRows,
        String input,
        String scratch,
        String weightCopied) {}
