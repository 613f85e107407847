package dev.unfold.processor.plan;

/**
 * Where one direction of a projecting LSTM keeps what its projection h_t = W_hr m_t needs
 * (equations.md (4.9)–(4.12)): m_t for ∂L/∂W_hr, and during BPTT δh_t, which W_hr turns into δm_t
 * for the cell's equations.
 *
 * @param weight W_hr, P × H
 * @param steps m_t = o_t ⊙ tanh(c_t), a row of H values per step, rows as the cell states'
 * @param gradient δm_t = W_hrᵀ δh_t of the step BPTT is at, H values
 * @param stateGradients δh_t of every step, a row of P values per step, which ∂L/∂W_hr = Σ_t δh_t m_tᵀ sums
 * @param batchSteps {@code steps} in the batched pass, as batch rows
 * @param batchGradient {@code gradient} in the batched pass, as batch rows
 * @param batchStateGradients {@code stateGradients} in the batched pass, as batch rows
 */
public record ProjectionPlan(
        ParameterPlan weight,
        String steps,
        String gradient,
        String stateGradients,
        String batchSteps,
        String batchGradient,
        String batchStateGradients) {}
