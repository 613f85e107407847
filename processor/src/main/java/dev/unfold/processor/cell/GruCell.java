package dev.unfold.processor.cell;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.processor.cell.Slot.Buffer;
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

    /** b_hn is the n rows of PyTorch's bias_hh (equations.md (5.2)). */
    @Override
    public int hiddenBiasBlock(CellParameter parameter) {
        return parameter.equals(HIDDEN_BIAS) ? 2 : -1;
    }

    @Override
    public boolean keepsHiddenProducts() {
        return true;
    }

    @Override
    public boolean separatesHiddenDeltas() {
        return true;
    }

    /** r and z's rows onto the gates; n's apart, from b_hn, since r gates W_hn h_{t−1} + b_hn. */
    @Override
    public List<RecurrentRows> recurrentRows() {
        return List.of(new RecurrentRows(0, 2, Buffer.GATES),
                new RecurrentRows(2, 1, Buffer.HIDDEN_PRODUCTS, HIDDEN_BIAS));
    }

    @Override
    public String productComment(Step step, String buffer, boolean readsOutput) {
        String previous = step.previousState();
        return "r and z: W_ih x_t + b (already in " + buffer + ") + W_hr " + previous + " and W_hz " + previous
                + "; n: W_hn " + previous + " + b_hn,\n"
                + "kept apart, since r gates it. All three in one pass over " + previous + ".\n";
    }

    @Override
    public String batchProductComment(RecurrentRows rows, Step step, String buffer) {
        String previous = step.previousState();
        return rows.into() == Buffer.GATES
                ? "r and z: W_ih x_t + b (already in " + buffer + ") + W_hr " + previous + " and W_hz " + previous + "\n"
                : "n's hidden side W_hn " + previous + " + b_hn, kept apart, since r gates it\n";
    }

    @Override
    String citation() {
        return "PyTorch's nn.GRU; equations.md (5.1)–(5.4)";
    }

    /** ∂L/∂b_hn: b_hn sits where the hidden side's n block does, so it sums r ⊙ δn (equations.md (5.10)). */
    @Override
    public Slot gradientSource(CellParameter parameter) {
        return parameter.equals(HIDDEN_BIAS) ? new Slot("hiddenCandidate", Buffer.HIDDEN_DELTAS, 2) : null;
    }

    @Override
    public String gradientInWords(CellParameter parameter, boolean batch) {
        return batch ? "∂L/∂b_hn = Σ_t Σ_b r ⊙ δn_t, the hidden side's n block\n"
                : ",\nand ∂L/∂b_hn from the n block of the hidden-side deltas   (equations.md (5.10))";
    }

    private static final List<Slot> SLOTS = List.of(
            new Slot("reset", Buffer.GATES, 0), new Slot("update", Buffer.GATES, 1),
            new Slot("candidate", Buffer.GATES, 2),
            new Slot("dReset", Buffer.DELTAS, 0), new Slot("dUpdate", Buffer.DELTAS, 1),
            new Slot("dCandidate", Buffer.DELTAS, 2),
            new Slot("hiddenReset", Buffer.HIDDEN_DELTAS, 0), new Slot("hiddenUpdate", Buffer.HIDDEN_DELTAS, 1),
            new Slot("hiddenCandidate", Buffer.HIDDEN_DELTAS, 2),
            Slot.of("hiddenN", Buffer.HIDDEN_PRODUCTS), Slot.of("previousH", Buffer.PREVIOUS_HIDDEN),
            Slot.of("hiddenState", Buffer.HIDDEN),
            Slot.of("above", Buffer.HIDDEN_FROM_ABOVE), Slot.of("dhLater", Buffer.HIDDEN_CARRY));

    /** equations.md (5.1)–(5.4); the gates hold W_i x_t + b + W_h h_{t−1} for r and z, W_in x_t + b_in for n. */
    @Override
    public Equations forward(Step step) {
        return new Equations(SLOTS)
                .let("r", "sigmoid(@reset)")
                .let("z", "sigmoid(@update)")
                .let("n", "tanh(@candidate + r * @hiddenN)")
                .comment("keep the activations for BPTT")
                .store("reset", "r")
                .store("update", "z")
                .store("candidate", "n")
                .comment("h_t = (1 − z) ⊙ n + z ⊙ " + step.previousState())
                .store("hiddenState", "(1 - z) * n + z * @previousH");
    }

    /** equations.md (5.6)–(5.10), from the activations and W_hn h_{t−1} + b_hn the recurrence kept. */
    @Override
    public Equations backward(Step step) {
        String later = "step " + step.later();
        return new Equations(SLOTS)
                .let("r", "@reset")
                .let("z", "@update")
                .let("n", "@candidate")
                .comment(step.gradientFromAbove()
                        ? "δh_t = (∂L/∂h_t from above) + what " + later + " passed back"
                        : "δh_t = what " + later + " passed back, plus the output's gradient at the last step")
                .let("dh", stateGradient(step))
                .comment("through h_t = (1 − z) ⊙ n + z ⊙ h_prev, then each gate's non-linearity   (equations.md (5.6)–(5.8))")
                .let("dn", "dh * (1 - z) * (1 - n * n)")
                .let("dz", "dh * (@previousH - n) * z * (1 - z)")
                .let("dr", "dn * @hiddenN * r * (1 - r)")
                .comment("input side: W_ih and b see δa = [δr ; δz ; δn]")
                .store("dReset", "dr")
                .store("dUpdate", "dz")
                .store("dCandidate", "dn")
                .comment("hidden side: W_hh and b_hn see [δr ; δz ; r ⊙ δn], since r gates W_hn h_prev + b_hn"
                        + "   (equations.md (5.10))")
                .store("hiddenReset", "dr")
                .store("hiddenUpdate", "dz")
                .store("hiddenCandidate", "r * dn")
                .comment("the direct path: " + step.previousState() + " reaches h_t with weight z   (equations.md (5.9))")
                .store("dhLater", "dh * z");
    }
}
