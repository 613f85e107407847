package dev.unfold.processor.cell;

/**
 * A tensor a cell adds to the shared W_ih, W_hh and b: a vector of H values (the GRU's b_hn), or
 * the projecting LSTM's W_hr of P × H.
 *
 * @param name PyTorch's name without the layer and direction: {@code bias_hn}
 * @param symbol the symbol of equations.md, for comments: {@code b_hn}
 * @param field the stem of its generated fields: {@code BiasHn} in {@code gruBiasHn}
 * @param shape its rows and columns in terms of the layer's sizes
 */
public record CellParameter(String name, String symbol, String field, Shape shape) {

    /** A vector of H values. */
    public CellParameter(String name, String symbol, String field) {
        this(name, symbol, field, Shape.HIDDEN_VECTOR);
    }

    /** A cell parameter's shape, in PyTorch's layout, from the layer's sizes. */
    public enum Shape {
        /** [H]: one value per unit. */
        HIDDEN_VECTOR,
        /** P × H: from the H units to the P values of the projected state h_t. */
        PROJECTION_BY_HIDDEN;

        /** Its rows for a layer of {@code hidden} units projecting to {@code projection} values. */
        public long rows(long hidden, long projection) {
            return this == HIDDEN_VECTOR ? hidden : projection;
        }

        /** Its columns: 1 for a vector, H for W_hr. */
        public long columns(long hidden) {
            return this == HIDDEN_VECTOR ? 1 : hidden;
        }

        /** Whether it is one-dimensional, as PyTorch stores a bias. */
        public boolean vector() {
            return this == HIDDEN_VECTOR;
        }
    }
}
