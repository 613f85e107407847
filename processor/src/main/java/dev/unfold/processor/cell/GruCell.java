package dev.unfold.processor.cell;

import dev.unfold.Activation;
import dev.unfold.Cell;
import java.util.List;

/**
 * PyTorch's GRU (equations.md (5.1)–(5.4)): gates r, z, n; state [h]; its own bias b_hn inside
 * r's product, whose W_hn h_{t−1} + b_hn it keeps per step, and hidden-side deltas of its own.
 */
public final class GruCell extends CellKind {
    static final GruCell INSTANCE = new GruCell();

    /** b_hn, the n block's hidden-side bias: r multiplies it, so it cannot merge into b. */
    public static final CellParameter HIDDEN_BIAS = new CellParameter("bias_hn", "b_hn", "BiasHn");

    private GruCell() {}

    @Override
    public Cell declared() {
        return Cell.GRU;
    }

    @Override
    public List<Gate> gates() {
        return List.of(new Gate("r", Activation.SIGMOID), new Gate("z", Activation.SIGMOID),
                new Gate("n", Activation.TANH));
    }

    @Override
    public String fixedActivationsInWords() {
        return "PyTorch's sigmoid gates and tanh candidate";
    }

    @Override
    public List<CarriedState> carriedStates() {
        return List.of(CarriedState.HIDDEN);
    }

    @Override
    public List<CellParameter> ownParameters() {
        return List.of(HIDDEN_BIAS);
    }

    @Override
    public boolean keepsHiddenProducts() {
        return true;
    }

    @Override
    public boolean separatesHiddenDeltas() {
        return true;
    }
}
