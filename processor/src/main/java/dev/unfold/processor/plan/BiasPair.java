package dev.unfold.processor.plan;

import java.util.List;

/**
 * PyTorch's two biases of one direction of a layer declared with {@code biases = Biases.TWO}
 * (equations.md (1.3)). They are the parameters; the direction's one bias b (and a GRU's b_hn),
 * which the emitters read and whose gradient they sum as for a layer with one bias, become arrays of
 * the generated class: summed from the pair before each projection, their gradients split back
 * onto the pair after BPTT.
 *
 * @param input b_ih, G·H values: every row of b
 * @param hidden b_hh, G·H values: the rows of b that merge, and the rows of the cell's biases
 *     inside the recurrence (the GRU's b_hn: the n rows)
 * @param summed b and such a cell bias, held by the class rather than by a parameter
 */
public record BiasPair(ParameterPlan input, ParameterPlan hidden, List<ParameterPlan> summed) {}
