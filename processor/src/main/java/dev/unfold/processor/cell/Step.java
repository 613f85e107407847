package dev.unfold.processor.cell;

import dev.unfold.Activation;

/**
 * What a cell's equations for one step depend on besides the cell: which way time runs (for the
 * comments), whether ∂L/∂h_t arrives from above at every step, and the declared activation.
 *
 * @param reverse whether the direction runs t = T..1, so that the step before is t + 1
 * @param gradientFromAbove whether ∂L/∂h_t comes from the layer or output above at every step
 *     (otherwise only through BPTT's carry, which a many-to-one summary seeds)
 * @param activation the declared activation (the simple cell's σ)
 * @param readsPreviousState whether h_t reads h_{t−1} through W_hh (not when the layer is fed by
 *     the network's previous output alone, equations.md (8.1))
 */
public record Step(boolean reverse, boolean gradientFromAbove, Activation activation, boolean readsPreviousState) {

    /** The step BPTT came from, as a subscript: "t+1", or "t−1" for the reverse direction. */
    public String later() {
        return reverse ? "t−1" : "t+1";
    }

    /** The step the recurrence came from, as a subscript: "t−1", or "t+1" for the reverse direction. */
    public String earlier() {
        return reverse ? "t+1" : "t−1";
    }

    /** The steps in the order the recurrence runs: "t = 1..T", or "t = T..1" for the reverse direction. */
    public String range() {
        return reverse ? "t = T..1" : "t = 1..T";
    }

    /** h_{t−1}, or h_{t+1} for the reverse direction: the state a step reads. */
    public String previousState() {
        return "h_{" + earlier() + "}";
    }
}
