package dev.unfold;

/** The non-linearity σ of a recurrent layer, h_t = σ(u_t). */
public enum Activation {
    /** tanh(u); derivative 1 − h² (equations.md (1.3)). The default. */
    TANH,
    /** max(0, u); derivative 1 where h &gt; 0, else 0. */
    RELU,
    /** 1 / (1 + e^−u); derivative h (1 − h). */
    SIGMOID,
    /** u itself; derivative 1. A linear recurrence, mostly for experiments. */
    IDENTITY
}
