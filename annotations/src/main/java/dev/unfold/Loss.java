package dev.unfold;

/**
 * The training loss, summed over steps and outputs (PyTorch's {@code reduction='sum'}). The loss
 * also fixes what the network outputs.
 */
public enum Loss {
    /** Squared error Σ (ŷ − y)², without the ½; the output is the identity of the projection. */
    MSE,
    /**
     * Cross-entropy −Σ y log ŷ over a softmax output; the output is a probability distribution over
     * {@code output} classes, and the gradient at the logits is the fused ŷ − y (equations.md (2.7)).
     */
    CROSS_ENTROPY,
    /**
     * Binary cross-entropy on logits, −Σ [y log ŷ + (1 − y) log(1 − ŷ)] with ŷ = sigmoid(o); each
     * output is an independent probability.
     */
    BINARY_CROSS_ENTROPY
}
