package dev.unfold.processor.cell;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.processor.cell.Slot.Buffer;
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

    private static final List<Slot> SLOTS = List.of(
            Slot.of("u", Buffer.SUMS), Slot.of("h", Buffer.HIDDEN), Slot.of("output", Buffer.HIDDEN),
            Slot.of("du", Buffer.DELTAS),
            Slot.of("above", Buffer.HIDDEN_FROM_ABOVE), Slot.of("dhLater", Buffer.HIDDEN_CARRY));

    /** h_t = σ(u_t) (equations.md (1.1)). */
    @Override
    public Equations forward(Step step) {
        return new Equations(SLOTS).store("h", activation(step.activation(), "@u"));
    }

    /** δu_t = σ'(u_t) ⊙ δh_t, σ' written in terms of h_t (equations.md (3.1), (3.2)). */
    @Override
    public Equations backward(Step step) {
        Equations equations = new Equations(SLOTS)
                .comment(!step.readsPreviousState()
                        ? "δh_t = ∂L/∂h_t from above: with y_{t−1} given, h_t reaches no later state"
                        : step.gradientFromAbove()
                        ? "δh_t = (∂L/∂h_t from above) + W_hhᵀ δu_{" + step.later() + "}   (equations.md (3.1))"
                        : "δh_t = W_hhᵀ δu_{" + step.later() + "}, plus the output's gradient at the last step")
                .comment(derivativeEquation(step.activation()));
        if (derivativeReadsOutput(step.activation())) {
            equations.let("h", "@output");
        }
        return equations.store("du", derivativeTimes(step.activation(), "h", stateGradient(step)));
    }

    /** σ(u) for an expression {@code u}. */
    private static String activation(Activation activation, String u) {
        return switch (activation) {
            case TANH -> "tanh(" + u + ")";
            case RELU -> "Math.max(" + Statement.ZERO + ", " + u + ")";
            case SIGMOID -> "sigmoid(" + u + ")";
            case IDENTITY -> u;
        };
    }

    /** σ'(u) ⊙ dh, with h = σ(u) in a local {@code h}. */
    private static String derivativeTimes(Activation activation, String h, String dh) {
        return switch (activation) {
            case TANH -> "(1 - " + h + " * " + h + ") * (" + dh + ")";
            case RELU -> h + " > 0 ? " + dh + " : " + Statement.ZERO;
            case SIGMOID -> h + " * (1 - " + h + ") * (" + dh + ")";
            case IDENTITY -> dh;
        };
    }

    /** Whether σ' needs h (every activation but the identity). */
    public static boolean derivativeReadsOutput(Activation activation) {
        return activation != Activation.IDENTITY;
    }

    /** The derivative rule, for the comment above the δu line. */
    private static String derivativeEquation(Activation activation) {
        return switch (activation) {
            case TANH -> "δu_t = (1 − h_t²) ⊙ δh_t   (equations.md (3.2), (1.3))";
            case RELU -> "δu_t = [h_t > 0] ⊙ δh_t   (ReLU', equations.md (3.2), (1.5))";
            case SIGMOID -> "δu_t = h_t ⊙ (1 − h_t) ⊙ δh_t   (σ' = σ(1 − σ), equations.md (3.2), (1.4))";
            case IDENTITY -> "δu_t = δh_t   (identity: σ' = 1, equations.md (3.2), (1.6))";
        };
    }
}
