package dev.unfold.processor.cell;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.processor.cell.Slot.Buffer;
import java.util.List;

/**
 * PyTorch's LSTM (equations.md (4.1)–(4.4)): gates i, f, g, o; it carries [h, c], and keeps c_t
 * per step for BPTT, which carries δc back through the forget gates.
 *
 * <p>With a projection (PyTorch's {@code proj_size}, equations.md (4.9)–(4.12)) the element-wise
 * equations end at m_t = o_t ⊙ tanh(c_t), which the step keeps, and h_t = W_hr m_t has P values: a
 * matrix phase after the equations, which the emitters write around them, as they write W_hh's
 * product before them. BPTT's equations then start from δm_t = W_hrᵀ δh_t instead of δh_t: the
 * same equations, since m_t is what h_t is without the projection.
 */
public final class LstmCell extends CellKind {
    static final LstmCell INSTANCE = new LstmCell(0);

    /** W_hr, P × H, PyTorch's {@code weight_hr}: h_t = W_hr m_t. */
    public static final CellParameter PROJECTION_WEIGHT = new CellParameter("weight_hr", "W_hr", "WeightHr",
            CellParameter.Shape.PROJECTION_BY_HIDDEN);

    /** c_t, the cell state, carried after h. */
    public static final CarriedState CELL_STATE = new CarriedState("c", "the cell state",
            "f_t ⊙ δc_t, the gradient c_{t−1}");

    /** P, or 0 for PyTorch's plain LSTM. */
    private final int projection;

    private LstmCell(int projection) {
        this.projection = projection;
    }

    /** An LSTM whose h_t = W_hr (o_t ⊙ tanh(c_t)) has {@code projection} values. */
    static LstmCell projecting(int projection) {
        if (projection <= 0) {
            throw new IllegalArgumentException("projection " + projection + ", expected at least 1");
        }
        return new LstmCell(projection);
    }

    @Override
    public int projection() {
        return projection;
    }

    @Override
    public List<CellParameter> ownParameters() {
        return projects() ? List.of(PROJECTION_WEIGHT) : List.of();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LstmCell lstm && lstm.projection == projection;
    }

    @Override
    public int hashCode() {
        return projection;
    }

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

    @Override
    public List<RecurrentRows> recurrentRows() {
        return List.of(new RecurrentRows(0, gateCount(), Buffer.GATES));
    }

    @Override
    public String productComment(Step step, String buffer, boolean readsOutput) {
        return "a = W_ih x_t + b (already in " + buffer + ") + W_hh " + step.previousState() + ", for the four gates at once\n";
    }

    @Override
    public String batchProductComment(RecurrentRows rows, Step step, String buffer) {
        return "a = W_ih x_t + b (already in " + buffer + ") + W_hh " + step.previousState()
                + ": four gates, every sequence, one product\n";
    }

    @Override
    String citation() {
        return "PyTorch's nn.LSTM; equations.md (4.1)–(4.4)";
    }

    private static final List<Slot> SLOTS = List.of(
            new Slot("inputGate", Buffer.GATES, 0), new Slot("forgetGate", Buffer.GATES, 1),
            new Slot("candidate", Buffer.GATES, 2), new Slot("outputGate", Buffer.GATES, 3),
            new Slot("dInput", Buffer.DELTAS, 0), new Slot("dForget", Buffer.DELTAS, 1),
            new Slot("dCandidate", Buffer.DELTAS, 2), new Slot("dOutput", Buffer.DELTAS, 3),
            Slot.of("previousC", Buffer.PREVIOUS_CELL), Slot.of("cellState", Buffer.CELL),
            Slot.of("hiddenState", Buffer.HIDDEN),
            Slot.of("above", Buffer.HIDDEN_FROM_ABOVE), Slot.of("dhLater", Buffer.HIDDEN_CARRY),
            Slot.of("dcLater", Buffer.CELL_CARRY),
            Slot.of("projected", Buffer.PROJECTED), Slot.of("dProjected", Buffer.PROJECTED_GRADIENT));

    /** equations.md (4.1)–(4.4). */
    @Override
    public Equations forward(Step step) {
        return new Equations(SLOTS)
                .let("i", "sigmoid(@inputGate)")
                .let("f", "sigmoid(@forgetGate)")
                .let("g", "tanh(@candidate)")
                .let("o", "sigmoid(@outputGate)")
                .comment("keep the activations for BPTT")
                .store("inputGate", "i")
                .store("forgetGate", "f")
                .store("candidate", "g")
                .store("outputGate", "o")
                .comment(projects()
                        ? "c_t = f ⊙ c_{t−1} + i ⊙ g,  m_t = o ⊙ tanh(c_t), which W_hr projects to h_t   (equations.md (4.9))"
                        : "c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)")
                .let("c", "f * @previousC + i * g")
                .store("cellState", "c")
                .store(projects() ? "projected" : "hiddenState", "o * tanh(c)");
    }

    /** equations.md (4.5)–(4.8), from the activations and c_t the recurrence kept. */
    @Override
    public Equations backward(Step step) {
        String later = "{" + step.later() + "}";
        return new Equations(SLOTS)
                .let("i", "@inputGate")
                .let("f", "@forgetGate")
                .let("g", "@candidate")
                .let("o", "@outputGate")
                .let("tanhC", "tanh(@cellState)")
                .comment(projects()
                        ? "δm_t = W_hrᵀ δh_t, what o ⊙ tanh(c_t) receives: it stands for δh_t below   (equations.md (4.11))"
                        : step.gradientFromAbove()
                        ? "δh_t = (∂L/∂h_t from above) + W_hhᵀ δa_" + later + "   (equations.md (4.5))"
                        : "δh_t = W_hhᵀ δa_" + later + ", plus the output's gradient at the last step")
                .let("dh", projects() ? "@dProjected" : stateGradient(step))
                .comment("δc_t = δh_t ⊙ o ⊙ (1 − tanh² c_t) + f_" + later + " ⊙ δc_" + later + "   (equations.md (4.6))")
                .let("dc", "dh * o * (1 - tanhC * tanhC) + @dcLater")
                .comment("δa = δ(gate) ⊙ gate': σ' = σ(1 − σ), tanh' = 1 − tanh²   (equations.md (4.7))")
                .store("dInput", "dc * g * i * (1 - i)")
                .store("dForget", "dc * @previousC * f * (1 - f)")
                .store("dCandidate", "dc * i * (1 - g * g)")
                .store("dOutput", "dh * tanhC * o * (1 - o)")
                .comment("δc_{" + step.earlier() + "} = f_t ⊙ δc_t: over many steps, a product of forget gates,"
                        + " ∂c_t/∂c_k = diag(f_t ⊙ … ⊙ f_{k+1})   (equations.md (4.8))")
                .store("dcLater", "dc * f");
    }
}
