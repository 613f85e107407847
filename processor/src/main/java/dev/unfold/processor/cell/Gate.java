package dev.unfold.processor.cell;

import dev.unfold.Activation;

/**
 * One block of H rows stacked in W_ih and W_hh.
 *
 * @param name the gate's symbol in PyTorch's documentation: i, f, g, o; r, z, n
 * @param activation what PyTorch applies to it; null where the declaration chooses (the simple cell's u)
 */
public record Gate(String name, Activation activation) {}
