package dev.unfold.runtime;

/**
 * A network that can record, on request, the gradient each step's state receives and an LSTM's
 * forget gates, for {@link dev.unfold.runtime.diagnostics.GradientReport}. Any network may extend it.
 */
public interface Traceable extends SequenceModel {

    /**
     * Gradient diagnostics (equations.md (11.1), (11.2)): while on, every single-sequence {@code backward} and
     * {@code backwardFromState} records ‖∂L/∂h_k‖ at every step k of every layer and direction, and
     * an LSTM's forget gates, for {@link #stateGradientNorms} and {@link #forgetGates}. Off for a
     * new network; off, it costs one branch a step and allocates nothing. Batched {@code backward}
     * calls refuse to run while it is on.
     */
    void traceStateGradients(boolean on);

    /**
     * After a traced backward pass of T steps, writes ‖∂L/∂h_k‖ for k = 1..T into {@code into[k − 1]}
     * ({@code into} has T values): the complete gradient the state of layer {@code layer} (bottom
     * first) receives, from above and through the recurrence. {@code direction} is 0, or 1 for the
     * reverse direction of a bidirectional layer, whose state g_k is still indexed by its step k.
     */
    void stateGradientNorms(int layer, int direction, double[] into);

    /**
     * After a traced backward pass of T steps, writes for an LSTM layer's direction the norm of the
     * gradient its cell state c_k receives from c_{k+1} (k = 1..T, into {@code into[k − 1]}): f_{k+1} ⊙
     * δc_{k+1}, the memory path, on which the gradient is a product of forget gates (equations.md (4.8));
     * what reaches c_k through h_k is not part of it. Zero at k = T unless a decoder's gradient
     * seeded the pass ({@code backwardFromState}).
     */
    void cellStateGradientNorms(int layer, int direction, double[] into);

    /**
     * After a traced backward pass of T steps, writes the forget gates f_k (k = 1..T) of an LSTM layer's
     * direction into the rows of {@code into} (T × hidden): ∂c_t/∂c_k = diag(f_t ⊙ … ⊙ f_{k+1}).
     */
    void forgetGates(int layer, int direction, double[][] into);
}
