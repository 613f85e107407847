package dev.unfold.processor.cell;

/**
 * Rows of W_hh whose product with the state a step reads goes to one of the step's buffers, as
 * the cell declares them ({@link CellKind#recurrentRows}); the layouts write the products. The
 * rows of all of a cell's {@code RecurrentRows} together are W_hh's G·H, in order.
 *
 * @param firstBlock the first gate block of the rows: 0, or the GRU's n block (2)
 * @param blocks how many blocks of H rows
 * @param into where the products go: {@link Slot.Buffer#GATES} (onto W_ih x_t + b, which the
 *     input projection left there), {@link Slot.Buffer#SUMS} (the simple cell's u_t, whose
 *     W_ih x_t + b the projection left in h_t's slot), {@link Slot.Buffer#HIDDEN_PRODUCTS}
 * @param startingFrom the cell's own parameter the products start from instead (the GRU's b_hn),
 *     or null when they add to what {@code into} holds
 */
public record RecurrentRows(int firstBlock, int blocks, Slot.Buffer into, CellParameter startingFrom) {

    /** Rows adding to what {@code into} holds. */
    public RecurrentRows(int firstBlock, int blocks, Slot.Buffer into) {
        this(firstBlock, blocks, into, null);
    }
}
