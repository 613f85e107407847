package dev.unfold.processor.cell;

/**
 * A value the element-wise equations of a step read or write for unit k: block {@code block} of
 * a per-step buffer, at the current step or the one before. A layout says where that is: for one
 * sequence {@code lstmGates[gate + 2 * LSTM_HIDDEN + k]}; for a batch the row
 * {@code lstmBatchGates[gate + 2 * LSTM_HIDDEN + k]}, bound once per unit as {@code name}, and
 * its lane {@code name[b]}.
 *
 * @param name what it holds, the name a batch binds its row to: {@code candidate}, {@code dcLater}
 * @param buffer the buffer it lives in
 * @param block which block of H values of a step's row: the gate's index in the cell's order, 0
 *     for buffers one state wide
 */
public record Slot(String name, Buffer buffer, int block) {

    /** The per-step buffers (and BPTT's carried gradients) of one direction of a layer. */
    public enum Buffer {
        /** The gates' pre-activations, overwritten by their activations for BPTT: G·H per step. */
        GATES,
        /** δ of the pre-activations as W_ih and b see them: G·H per step (H for the simple cell, δu). */
        DELTAS,
        /** δ of the pre-activations as W_hh sees them, where they differ from {@link #DELTAS} (the GRU's). */
        HIDDEN_DELTAS,
        /** h_t, this direction's part of the layer's states. */
        HIDDEN,
        /** h_{t∓1}, the state the step read. */
        PREVIOUS_HIDDEN,
        /** ∂L/∂h_t from the layer or output above. */
        HIDDEN_FROM_ABOVE,
        /** What h_{t∓1} receives from the step: carried from one BPTT step to the next, no row per step. */
        HIDDEN_CARRY,
        /** The state the cell carries after h, kept in a buffer of its own (an LSTM's c_t). */
        CELL,
        /** An LSTM's c_{t∓1}. */
        PREVIOUS_CELL,
        /** What c_{t∓1} receives from the step, carried like {@link #HIDDEN_CARRY}. */
        CELL_CARRY,
        /**
         * A projecting LSTM's m_t = o_t ⊙ tanh(c_t), which W_hr projects to h_t: H per step, kept
         * for ∂L/∂W_hr.
         */
        PROJECTED,
        /** δm_t = W_hrᵀ δh_t, what a projecting LSTM's m_t receives: no row per step. */
        PROJECTED_GRADIENT,
        /** The GRU's W_hn h_{t−1} + b_hn, H per step. */
        HIDDEN_PRODUCTS,
        /**
         * The simple cell's u_t where the recurrence summed it: for one sequence a scratch row of
         * the step's sums; for a batch h_t's own row, which σ then overwrites in place.
         */
        SUMS
    }

    /** A state wide buffer's slot, block 0. */
    public static Slot of(String name, Buffer buffer) {
        return new Slot(name, buffer, 0);
    }
}
