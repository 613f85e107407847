package dev.unfold.processor.plan;

import dev.unfold.Cell;

/** The sizes a cell implies: how many gate blocks its weights stack (its parameters: {@link ParameterCount}). */
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
}
