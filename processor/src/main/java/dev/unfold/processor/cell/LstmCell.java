package dev.unfold.processor.cell;

import dev.unfold.Activation;
import dev.unfold.Cell;
import java.util.List;

/**
 * PyTorch's LSTM (equations.md (4.1)–(4.4)): gates i, f, g, o; it carries [h, c], and keeps c_t
 * per step for BPTT, which carries δc back through the forget gates.
 */
public final class LstmCell extends CellKind {
    static final LstmCell INSTANCE = new LstmCell();

    /** c_t, the cell state, carried after h. */
    public static final CarriedState CELL_STATE = new CarriedState("c", "the cell state",
            "f_t ⊙ δc_t, the gradient c_{t−1}");

    private LstmCell() {}

    @Override
    public Cell declared() {
        return Cell.LSTM;
    }

    @Override
    public List<Gate> gates() {
        return List.of(new Gate("i", Activation.SIGMOID), new Gate("f", Activation.SIGMOID),
                new Gate("g", Activation.TANH), new Gate("o", Activation.SIGMOID));
    }

    @Override
    public String fixedActivationsInWords() {
        return "PyTorch's sigmoid gates and tanh cell";
    }

    @Override
    public List<CarriedState> carriedStates() {
        return List.of(CarriedState.HIDDEN, CELL_STATE);
    }
}
