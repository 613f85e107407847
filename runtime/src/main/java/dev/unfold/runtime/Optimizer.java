package dev.unfold.runtime;

/**
 * Updates the parameters it was built over from their accumulated gradients. Like PyTorch's
 * optimizers, each is bound to its parameters at construction, where it also allocates whatever
 * state it keeps; {@link #step()} allocates nothing.
 */
public interface Optimizer {

    /** One update from the current gradients. Gradients are left as they are. */
    void step();

    /** The parameters this optimizer updates. */
    Parameters parameters();
}
