package dev.unfold.processor.plan;

import dev.unfold.Cell;

/** The sizes a cell implies: how many gate blocks its weights stack, and its parameter count. */
public final class CellShape {
    private CellShape() {}

    /** Gate blocks stacked in W_ih and W_hh: 1 (simple), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n). */
    public static int gates(Cell cell) {
        return switch (cell) {
            case SIMPLE -> 1;
            case LSTM -> 4;
            case GRU -> 3;
        };
    }

    /**
     * Parameters of one direction reading {@code input} values: G·H(n + H) + G·H, plus b_hn (H)
     * for a GRU, whose hidden-side n bias cannot merge with the input side's.
     */
    public static long parametersPerDirection(Cell cell, long input, long hidden) {
        long rows = gates(cell) * hidden;
        return rows * (input + hidden) + rows + (cell == Cell.GRU ? hidden : 0);
    }
}
