package dev.unfold.processor.cell;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.processor.cell.Slot.Buffer;
import java.util.List;
import java.util.Locale;

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

    /** u_t, completed where the recurrence sums it (see {@link Slot.Buffer#SUMS}). */
    @Override
    public List<RecurrentRows> recurrentRows() {
        return List.of(new RecurrentRows(0, 1, Buffer.SUMS));
    }

    @Override
    public String productComment(Step step, String buffer, boolean readsOutput) {
        String projected = readsOutput ? "W_ih x_t + b + W_oh y_{t−1}" : "W_ih x_t + b";
        return step.readsPreviousState()
                ? "u = " + projected + " (already in " + buffer + ") + W_hh " + step.previousState() + "\n"
                : "u = " + projected + ", already in " + buffer + ": no W_hh\n";
    }

    @Override
    public String batchProductComment(RecurrentRows rows, Step step, String buffer) {
        return "u = W_ih x_t + b (already in " + buffer + ") + W_hh " + step.previousState()
                + ", for every sequence at once\n";
    }

    @Override
    public String recurrenceInWords(Step step, String which, String layer, boolean readsOutput, boolean batch) {
        String activation = step.activation().name().toLowerCase(Locale.ROOT);
        if (batch) {
            return "The " + which + "recurrence of " + layer + " for " + step.range() + " over a batch: h_t = "
                    + activation + "(W_hh " + step.previousState() + " + W_ih x_t + b), from a zero state.\n";
        }
        return step.reverse()
                ? "g_t = " + activation + "(W_hh g_{t+1} + W_ih x_t + b) for t = T..1, from g_{T+1} = 0: the\n"
                        + "reverse direction of " + layer + " (equations.md (6.1)).\n"
                : !step.readsPreviousState()
                ? "h_t = " + activation + "(W_oh y_{t−1} + W_ih x_t + b) for t = 1..T, from y_0 = 0: the output-fed\n"
                        + "recurrence of equations.md (8.1), where W_oh (H × output) takes the place of W_hh (H × H).\n"
                : "h_t = " + activation + "(W_hh h_{t−1} + " + (readsOutput ? "W_oh y_{t−1} + " : "")
                        + "W_ih x_t + b) for t = 1..T, from h_0 = 0\n"
                        + "(equations.md (1.1), (1.2)" + (readsOutput ? ", (8.2)" : "") + ").\n";
    }

    @Override
    String citation() {
        return "equations.md (1.1), (1.2)";
    }

    @Override
    public String backwardCitation() {
        return " (equations.md (3.1), (3.2))";
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
