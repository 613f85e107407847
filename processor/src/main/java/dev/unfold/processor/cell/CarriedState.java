package dev.unfold.processor.cell;

/**
 * A vector a cell carries from step to step: h_t, the layer's output, and an LSTM's c_t.
 *
 * @param symbol the symbol of equations.md, "h" or "c"; also the stem of the generated names of
 *     the buffers holding it ("C" in {@code lstmC}, {@code lstmDcNext}, {@code lstmCarriedC})
 * @param meaning what it is, for generated comments: "the cell state"
 * @param gradientInWords what BPTT carries back to the state of the step before, for generated
 *     comments: "f_t ⊙ δc_t, the gradient c_{t−1}"
 */
public record CarriedState(String symbol, String meaning, String gradientInWords) {
    /** h_t, which every cell carries first: the layer's output. */
    public static final CarriedState HIDDEN = new CarriedState("h", "the hidden state",
            "the gradient the previous state");
}
