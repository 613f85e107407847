package dev.unfold;

/** The recurrent cell of a layer; LSTM and GRU follow PyTorch's equations, gate order and shapes. */
public enum Cell {
    /** h_t = σ(W_ih x_t + W_hh h_{t−1} + b): Elman's RNN, with a single bias (equations.md (1.1), (1.2)). */
    SIMPLE,
    /**
     * Long short-term memory, gates i, f, g, o: c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
     * Its cell state carries gradients through a product of forget gates (equations.md (4.8)).
     */
    LSTM,
    /**
     * Gated recurrent unit in PyTorch's variant, gates r, z, n:
     * n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn)), h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}.
     */
    GRU
}
