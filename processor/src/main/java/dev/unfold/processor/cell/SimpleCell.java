package dev.unfold.processor.cell;

import dev.unfold.Cell;
import java.util.List;

/**
 * The simple (Elman) cell h_t = σ(W_ih x_t + W_hh h_{t−1} + b), σ the declared activation
 * (equations.md (1.1), (1.2)): one block u, state [h], no parameter of its own.
 */
public final class SimpleCell extends CellKind {
    static final SimpleCell INSTANCE = new SimpleCell();

    private SimpleCell() {}

    @Override
    public Cell declared() {
        return Cell.SIMPLE;
    }

    @Override
    public List<Gate> gates() {
        return List.of(new Gate("u", null));
    }

    @Override
    public String fixedActivationsInWords() {
        return "the declared activation";
    }

    @Override
    public List<CarriedState> carriedStates() {
        return List.of(CarriedState.HIDDEN);
    }
}
