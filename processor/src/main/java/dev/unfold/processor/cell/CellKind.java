package dev.unfold.processor.cell;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Recurrence;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a recurrent cell is: its gates in PyTorch's order, the states it
 * carries from step to step, the parameters it adds to the shared W_ih, W_hh and b, the per-step
 * buffers its BPTT reads back, and what a declaration of it may choose. The planner, the
 * validators and the emitters ask a {@code CellKind} instead of testing which {@link Cell} a layer
 * declares. A cell's element-wise equations are here too ({@link #forward}, {@link #backward}),
 * written once for both layouts, and so are the matrix phases around them, as declarations the
 * layouts write: which rows of W_hh go where ({@link #recurrentRows}), what the cell's own
 * parameters' gradients sum ({@link #gradientSource}), and the words of the generated comments.
 *
 * <p>Every cell stacks its gate blocks as the rows of W_ih and W_hh, G·H rows in all, and has one
 * bias b of G·H values; its first carried state is h_t, the layer's output.
 */
public abstract class CellKind {
    CellKind() {}

    /**
     * The kind of a declared cell with a declared projection: an LSTM projecting its state to
     * {@code projection} values when that is positive, the plain kind otherwise (a projection on
     * another cell is the validator's to refuse); null for null.
     */
    public static CellKind of(Cell cell, int projection) {
        return cell == Cell.LSTM && projection > 0 ? LstmCell.projecting(projection) : of(cell);
    }

    /** The kind of a declared cell; null for null (a value the compiler could not resolve). */
    public static CellKind of(Cell cell) {
        if (cell == null) {
            return null;
        }
        return switch (cell) {
            case SIMPLE -> SimpleCell.INSTANCE;
            case LSTM -> LstmCell.INSTANCE;
            case GRU -> GruCell.INSTANCE;
        };
    }

    /** The annotation's value that declares this cell, as the runtime's {@code Layer} reports it. */
    public abstract Cell declared();

    /** The cell's name in messages and comments: SIMPLE, LSTM, GRU. */
    public final String name() {
        return declared().name();
    }

    /** The gate blocks stacked in W_ih and W_hh, in PyTorch's order. */
    public abstract List<Gate> gates();

    /** G, the number of gate blocks: W_ih, W_hh and b have G·H rows. */
    public final int gateCount() {
        return gates().size();
    }

    /** The gate names in PyTorch's order, for comments: "i, f, g, o". */
    public final String gateNames() {
        return String.join(", ", gates().stream().map(Gate::name).toList());
    }

    /**
     * Whether the cell has gates of fixed activations (LSTM, GRU) rather than one block through
     * the declared activation. A gated cell keeps its gate activations per step in a buffer of its
     * own (G·H per step) and has a constant for G·H; the simple cell works in place in the layer's
     * states, u_t in the slot of h_t.
     */
    public final boolean isGated() {
        return gates().stream().allMatch(gate -> gate.activation() != null);
    }

    /** The pre-activation the input projection fills: u (simple cell) or a (stacked gates), for comments. */
    public final String preactivation() {
        return isGated() ? "a" : "u";
    }

    /**
     * Whether {@code @Recurrent(activation = ...)} applies: only where a block's activation is not
     * fixed by PyTorch's equations.
     */
    public final boolean takesActivation() {
        return !isGated();
    }

    /** The fixed activations in words, for the error refusing an activation: "PyTorch's sigmoid gates and tanh cell". */
    public abstract String fixedActivationsInWords();

    /**
     * Whether the layer may drop W_hh h_{t−1} and read only the previous output
     * ({@code recurrence = OUTPUT}, equations.md (8.1)): not where gates read h_{t−1}.
     */
    public boolean allows(Recurrence recurrence) {
        return recurrence != Recurrence.OUTPUT || !isGated();
    }

    /**
     * The states the cell carries from one step to the next, h first: what streaming carries
     * between calls, what {@code saveState} and the batch's per-sequence states lay out one after
     * another, and what a decoder takes over from its encoder.
     */
    public abstract List<CarriedState> carriedStates();

    /**
     * P, the size the cell projects h_t to (h_t = W_hr m_t, PyTorch's {@code proj_size}); 0 when
     * h_t is not projected and so has H values like every other state.
     */
    public int projection() {
        return 0;
    }

    /** Whether h_t is projected: then it has {@link #projection} values and c_t keeps H. */
    public final boolean projects() {
        return projection() > 0;
    }

    /** The values of {@code state} in a layer of {@code hidden} units: H, or P for a projected h_t. */
    public final long stateSize(CarriedState state, long hidden) {
        return projects() && state.equals(CarriedState.HIDDEN) ? projection() : hidden;
    }

    /** The values of h_t, the layer's output per direction: H, or P when the cell projects. */
    public final long outputSize(long hidden) {
        return stateSize(CarriedState.HIDDEN, hidden);
    }

    /** The values of a carried state of a layer of {@code hidden} units: every state after the other. */
    public final long stateLength(long hidden) {
        long length = 0;
        for (CarriedState state : carriedStates()) {
            length += stateSize(state, hidden);
        }
        return length;
    }

    /** "an LSTM's state is h and c", for the error that pairs cells carrying different states. */
    public final String stateInWords() {
        String states = String.join(" and ", carriedStates().stream().map(CarriedState::symbol).toList());
        String article = "AEFHILMNORSX".indexOf(name().charAt(0)) >= 0 ? "an " : "a ";
        return article + name() + "'s state is " + states;
    }

    /**
     * Tensors this cell adds to W_ih, W_hh and b, in PyTorch's order after b: the GRU's b_hn
     * (which r multiplies and which so cannot merge into b), the projecting LSTM's W_hr.
     * Initialised as every recurrent parameter is, from U(−1/√H, 1/√H).
     */
    public List<CellParameter> ownParameters() {
        return List.of();
    }

    /**
     * The gate block of PyTorch's second bias b_hh that {@code parameter} is, when it is one (the
     * GRU's b_hn: the n block); -1 for every other. A layer declared with two biases keeps b_hh
     * whole and has no such parameter (equations.md (1.3)).
     */
    public int hiddenBiasBlock(CellParameter parameter) {
        return -1;
    }

    /**
     * The tensors this cell adds to W_ih, W_hh and the biases of a layer with one bias or two:
     * {@link #ownParameters}, less those PyTorch's b_hh holds when the layer has two biases.
     */
    public final List<CellParameter> ownParameters(boolean twoBiases) {
        return ownParameters().stream().filter(parameter -> !twoBiases || hiddenBiasBlock(parameter) < 0).toList();
    }

    /**
     * Trainable scalars of one direction of a layer of {@code hidden} units whose stacked weights
     * have {@code columns} columns in all (W_ih, W_hh, R and W_oh side by side; W_hh has as many
     * as h_t has values): G·H rows of them, b's G·H (b_ih's and b_hh's with two biases), and the
     * cell's own tensors.
     */
    public final long parameterCount(long hidden, long columns, boolean twoBiases) {
        long rows = gateCount() * hidden;
        long count = rows * columns + (twoBiases ? 2 : 1) * rows;
        for (CellParameter parameter : ownParameters(twoBiases)) {
            count += parameter.shape().rows(hidden, projection()) * parameter.shape().columns(hidden);
        }
        return count;
    }

    /**
     * Whether the recurrence keeps a per-step product of its own, H values per step: the GRU's
     * W_hn h_{t−1} + b_hn, which BPTT reads for δr.
     */
    public boolean keepsHiddenProducts() {
        return false;
    }

    /**
     * Whether W_hh sees other deltas than W_ih and b (the GRU's, whose n block on the hidden side
     * is r ⊙ δn), so that BPTT keeps a second buffer of G·H deltas per step.
     */
    public boolean separatesHiddenDeltas() {
        return false;
    }

    /**
     * W_hh's rows by where their product with the state a step reads goes, in order: one
     * {@code RecurrentRows} for all G·H rows unless the cell keeps some apart (the GRU's n block,
     * which r gates, into the hidden products from b_hn).
     */
    public abstract List<RecurrentRows> recurrentRows();

    /**
     * The comment above one sequence's recurrent product: what is added to what, {@code buffer}
     * being the generated buffer that holds the input projection's part; each line ends in a newline.
     */
    public abstract String productComment(Step step, String buffer, boolean readsOutput);

    /** The comment above a batch's product of {@code rows}, {@code buffer} where they go; ends in a newline. */
    public abstract String batchProductComment(RecurrentRows rows, Step step, String buffer);

    /**
     * The javadoc of the recurrence of a direction: the {@code which} ("" or "reverse ") recurrence
     * of {@code layer}, for one sequence or a batch; ends in a newline.
     */
    public String recurrenceInWords(Step step, String which, String layer, boolean readsOutput, boolean batch) {
        String initial = String.join(" = ", carriedStates().stream().map(CarriedState::symbol).toList()) + " = 0";
        return "The " + which + name() + " recurrence of " + layer + " for " + step.range()
                + (batch ? " over a batch, from " + initial : ", from " + initial + " (" + citation() + ")") + ".\n";
    }

    /** What the recurrence's javadoc cites for one sequence: "PyTorch's nn.LSTM; equations.md (4.1)–(4.4)". */
    abstract String citation();

    /** What the javadoc of one sequence's BPTT cites after "against the recurrence": "" or " (equations.md (3.1), (3.2))". */
    public String backwardCitation() {
        return "";
    }

    /**
     * The slot of the deltas whose sum over the steps is ∂L/∂{@code parameter}, one of the cell's
     * own vectors (the GRU's b_hn: the n block of the hidden side's deltas); null for a parameter
     * whose gradient is a matrix phase of its own (the projecting LSTM's W_hr).
     */
    public Slot gradientSource(CellParameter parameter) {
        return null;
    }

    /**
     * What {@link #gradientSource} sums, in words: for a batch the comment above the sum, for one
     * sequence the end of the javadoc of the weights' gradients (",\\nand ∂L/∂b_hn from ...").
     */
    public String gradientInWords(CellParameter parameter, boolean batch) {
        return "";
    }

    /**
     * The element-wise forward equations of unit k of a step, after the matrix products have
     * left the pre-activations (W_ih x_t + b + W_hh h_{t−1}) in the gates: the activations, kept
     * for BPTT, and the states of step t.
     */
    public abstract Equations forward(Step step);

    /**
     * The element-wise BPTT equations of unit k of a step: from δh_t (what came from above plus
     * what the later step carried back) to the deltas the weights' gradients sum, and what the
     * carried states of the step before receive apart from W_hhᵀ δ.
     */
    public abstract Equations backward(Step step);

    /**
     * The names the cell's equations give locals of the generated code, for every step they can be
     * written for: their scalar locals ({@code f}, {@code tanhC}) and the slots a batch binds a row
     * to ({@code forgetGate}). The planner keeps every field named after a layer off them; a cell
     * declares its locals here by writing its equations, not in a list it must keep in step.
     */
    public final Set<String> locals() {
        Set<String> names = new TreeSet<>();
        for (boolean reverse : new boolean[] {false, true}) {
            for (boolean gradientFromAbove : new boolean[] {false, true}) {
                for (boolean readsPreviousState : new boolean[] {false, true}) {
                    for (Activation activation : Activation.values()) {
                        Step step = new Step(reverse, gradientFromAbove, activation, readsPreviousState);
                        names.addAll(forward(step).locals());
                        names.addAll(backward(step).locals());
                    }
                }
            }
        }
        return names;
    }

    /** Every cell's {@link #locals}: what the planner reserves, whichever cells a network has. */
    public static Set<String> allLocals() {
        Set<String> names = new TreeSet<>();
        for (Cell cell : Cell.values()) {
            names.addAll(of(cell).locals());
        }
        names.addAll(LstmCell.projecting(1).locals());   // its equations read and write m_t and δm_t
        return names;
    }

    /** δh_t for unit k: ∂L/∂h_t from above, if it comes at every step, plus what BPTT carried back. */
    static String stateGradient(Step step) {
        return step.gradientFromAbove() ? "@above + @dhLater" : "@dhLater";
    }

    @Override
    public String toString() {
        return name();
    }
}
