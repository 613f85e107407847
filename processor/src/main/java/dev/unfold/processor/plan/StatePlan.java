package dev.unfold.processor.plan;

import dev.unfold.processor.cell.CarriedState;

/**
 * Where one direction of a layer keeps a state its cell carries from step to step (h_t, an LSTM's
 * c_t), in both passes and between calls. Code that hands states on (streaming, saveState, an
 * encoder's final state, the batch's per-sequence states) loops over a direction's states instead
 * of knowing which cell has which.
 *
 * @param state which state, as the cell declares it
 * @param size the values of the state
 * @param sizeConstant the constant holding {@code size}
 * @param steps the buffer with a row per step holding it: the layer's states for h (this
 *     direction's half of each row), a buffer of its own otherwise
 * @param rowWidth the constant holding the width of a row of {@code steps} (and of {@code batchSteps})
 * @param gradient during BPTT, what the state of the step before receives from the current one
 * @param batchSteps {@code steps} in the batched pass, as batch rows
 * @param batchGradient {@code gradient} in the batched pass, as batch rows
 * @param carried when streaming, the field carrying the state to the next call (the forward
 *     direction's; a layer with two directions does not stream)
 */
public record StatePlan(
        CarriedState state,
        int size,
        String sizeConstant,
        String steps,
        String rowWidth,
        String gradient,
        String batchSteps,
        String batchGradient,
        String carried) {

    /** The state's symbol: "h", "c". */
    public String symbol() {
        return state.symbol();
    }
}
