package dev.unfold;

/**
 * What a layer's state is computed from besides its input (equations.md (8.1), (8.2)): its own previous state, the
 * network's previous output, or both.
 *
 * <p>A layer that reads the previous output is trained with teacher forcing: {@code backward} and
 * {@code loss} feed it the previous target y_{t−1}, so the steps decouple and the true sequence
 * steers every step. {@code forward} and {@code step} run free and feed it the network's own
 * prediction ŷ_{t−1} (for cross-entropy the one-hot of its most probable class, for binary
 * cross-entropy each output rounded to 0 or 1: what the targets look like). Before the first step
 * it reads zero.
 */
public enum Recurrence {
    /** h_t = σ(W_hh h_{t−1} + W_ih x_t + b): the ordinary recurrence. */
    HIDDEN,
    /**
     * h_t = σ(W_oh y_{t−1} + W_ih x_t + b): the "folded" recurrence, where W_oh is H × output
     * instead of H × H. Only the simple cell: LSTM and GRU gates read h_{t−1}, so use
     * {@link #HIDDEN_AND_OUTPUT} for them.
     */
    OUTPUT,
    /** h_t = σ(W_hh h_{t−1} + W_oh y_{t−1} + W_ih x_t + b): both. */
    HIDDEN_AND_OUTPUT
}
