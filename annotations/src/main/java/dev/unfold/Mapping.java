package dev.unfold;

/** How a network's outputs line up with its input sequence (equations.md sections 2 and 6). */
public enum Mapping {
    /** One output per input step: ŷ_t for t = 1..T. */
    MANY_TO_MANY,
    /** One output after the last step, read from h_T: sequence classification (equations.md (6.3)). */
    MANY_TO_ONE
}
