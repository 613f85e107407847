package dev.unfold.processor.cell;

/**
 * A vector of H values a cell adds to the shared W_ih, W_hh and b.
 *
 * @param name PyTorch's name without the layer and direction: {@code bias_hn}
 * @param symbol the symbol of equations.md, for comments: {@code b_hn}
 * @param field the stem of its generated fields: {@code BiasHn} in {@code gruBiasHn}
 */
public record CellParameter(String name, String symbol, String field) {}
