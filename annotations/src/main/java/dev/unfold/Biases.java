package dev.unfold;

/**
 * How many bias vectors a recurrent layer trains (equations.md (1.3)): one, b, or PyTorch's two,
 * b_ih and b_hh. The layer computes the same function either way, since only their sum b = b_ih +
 * b_hh enters the pre-activations (the GRU's n rows aside, where b_hn sits inside r's product); what
 * differs is training. A gradient step moves each of PyTorch's two biases by the same amount, so
 * their sum moves twice as far as one merged bias under SGD, and Adam keeps a state per bias: with
 * {@link #TWO} a training run follows a PyTorch run step by step.
 */
public enum Biases {
    /**
     * One bias b of G·H values ({@code <layer>.bias}) and, for a GRU, b_hn of H values
     * ({@code <layer>.bias_hn}): the fewest parameters. PyTorch's pair loads summed.
     */
    ONE,
    /**
     * PyTorch's two: {@code <layer>.bias_ih} and {@code <layer>.bias_hh}, G·H values each, with
     * PyTorch's names, shapes and initialisation; a GRU's b_hn is the n rows of {@code bias_hh}.
     */
    TWO
}
