package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.KERNELS;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.Step;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.SavedState;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.Arrays;
import java.util.List;

/**
 * Emits one direction of one layer: its recurrence and its BPTT. Subclasses write the cell's own
 * equations; this class knows what depends on the direction alone: which way time runs, where the
 * initial state sits, where a step's state and its predecessor are, and how BPTT is seeded.
 *
 * <p>The forward direction runs t = 1..T from row 0; the reverse runs t = T..1 from row T + 1 and
 * writes the upper half of each row of the layer's states. BPTT runs each the other way.
 */
abstract class CellEmitter {
    final LayerPlan layer;
    final DirectionPlan direction;
    /** The type the network computes in. */
    final Scalar scalar;
    /** Whether ∂L/∂h_t arrives from above at every step, or only through the many-to-one summary. */
    final boolean gradientAtEveryStep;
    /** For the top layer of a many-to-one network: ∂L/∂[h_T ; g_1]; null otherwise. */
    final String summaryGradient;
    /** Whether the network is {@code Traceable}: only then does BPTT record what diagnostics read. */
    private final boolean traced;

    CellEmitter(LayerPlan layer, DirectionPlan direction, Scalar scalar, boolean gradientAtEveryStep,
                String summaryGradient, boolean traced) {
        this.layer = layer;
        this.direction = direction;
        this.scalar = scalar;
        this.gradientAtEveryStep = gradientAtEveryStep;
        this.summaryGradient = summaryGradient;
        this.traced = traced;
    }

    /** The emitter of the layer's cell: the one place that pairs a cell with its equations for one sequence. */
    static CellEmitter of(LayerPlan layer, DirectionPlan direction, Scalar scalar, boolean gradientAtEveryStep,
                          String summaryGradient, boolean traced) {
        return switch (layer.cell().declared()) {
            case SIMPLE -> new SimpleCellEmitter(layer, direction, scalar, gradientAtEveryStep, summaryGradient, traced);
            case LSTM -> new LstmCellEmitter(layer, direction, scalar, gradientAtEveryStep, summaryGradient, traced);
            case GRU -> new GruCellEmitter(layer, direction, scalar, gradientAtEveryStep, summaryGradient, traced);
        };
    }

    abstract MethodSpec recur();

    /** How the cell's equations become code here: one sequence. */
    ElementwiseLayout layout() {
        return new SequenceLayout(layer, direction, scalar);
    }

    /** What the cell's equations of a step depend on besides the cell. */
    final Step step() {
        return new Step(direction.reverse(), gradientAtEveryStep, layer.activation(), layer.readsPreviousState());
    }

    /** The loop over units computing the cell's forward equations of step t (equations.md's recurrence). */
    final CodeBlock forwardEquations() {
        return layout().render(layer.cell().forward(step()));
    }

    /** The loop over units computing the cell's BPTT equations of step t. */
    final CodeBlock backwardEquations() {
        return layout().render(layer.cell().backward(step()));
    }

    /**
     * Sets the states the recurrence starts from to zero: h_0 (and c_0) in row 0, or h_{T+1} in
     * row T + 1 for the reverse direction. The caller runs it before {@link #recur}, except when
     * streaming, where row 0 holds the state carried from the previous step.
     */
    CodeBlock zeroInitialStates() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (StatePlan state : direction.states()) {
            code.add(zeroInitialState(state));
        }
        return code.build();
    }

    abstract MethodSpec backward();

    /** The loop over steps in the order the recurrence runs. */
    final String recurrenceLoop() {
        return direction.reverse() ? "for (int t = steps; t >= 1; t--)" : "for (int t = 1; t <= steps; t++)";
    }

    /** The loop over steps in the order BPTT runs: against the recurrence. */
    final String bpttLoop() {
        return direction.reverse() ? "for (int t = 1; t <= steps; t++)" : "for (int t = steps; t >= 1; t--)";
    }

    /** Binds {@code state}, this direction's h_t in the layer's states. */
    final CodeBlock bindState() {
        return CodeBlock.builder().addStatement("int $N = $L", ElementwiseLayout.STATE, stateOffset()).build();
    }

    /**
     * Binds {@code state} only where the code reads it: Eclipse's compiler warns about an unused
     * local, and the warning would show in every project that declares such a network.
     */
    final CodeBlock bindStateIf(boolean read) {
        return read ? bindState() : CodeBlock.of("");
    }

    private CodeBlock stateOffset() {
        return direction.reverse()
                ? CodeBlock.of("t * $N + $N", layer.widthConstant(), layer.stateConstant())
                : CodeBlock.of("t * $N", layer.widthConstant());
    }

    /** Binds {@code state} (this direction's h_t in the layer's states) and {@code previous} (its predecessor). */
    final CodeBlock bindStates() {
        return CodeBlock.builder()
                .add(bindState())
                .addStatement("int $N = $N $L $N", ElementwiseLayout.PREVIOUS, ElementwiseLayout.STATE,
                        direction.reverse() ? "+" : "-", layer.widthConstant())
                .build();
    }

    /**
     * Binds the offsets of step t's rows in the cell's buffers, which its equations index from:
     * {@code gate} (the gates and their deltas, G·H a row; {@code row} for the simple cell's δu, H
     * a row), an LSTM's {@code cell} and
     * {@code previousCell} (c_t and c_{t∓1}), a GRU's {@code product} (W_hn h_{t−1} + b_hn). The same
     * offsets count batch rows in the batched pass.
     */
    final CodeBlock bindRows() {
        CodeBlock.Builder code = CodeBlock.builder();
        if (layer.cell().isGated()) {
            code.addStatement("int $N = t * $N", ElementwiseLayout.GATE, layer.gateRowsConstant());
        } else {
            code.addStatement("int $N = t * $N", ElementwiseLayout.ROW, layer.hiddenConstant());
        }
        if (!direction.innerStates().isEmpty()) {
            code.addStatement("int $N = t * $N", ElementwiseLayout.CELL, layer.hiddenConstant())
                    .addStatement("int $N = $N $L $N", ElementwiseLayout.PREVIOUS_CELL, ElementwiseLayout.CELL,
                            direction.reverse() ? "+" : "-", layer.hiddenConstant());
        }
        if (layer.cell().keepsHiddenProducts()) {
            code.addStatement("int $N = t * $N", ElementwiseLayout.PRODUCT, layer.hiddenConstant());
        }
        return code.build();
    }

    /**
     * Zeroes this direction's initial value of {@code state}: h_0 in row 0, or h_{T+1} in the
     * last values of row T + 1 (the upper half of a bidirectional layer's states).
     */
    private CodeBlock zeroInitialState(StatePlan state) {
        if (!direction.reverse()) {
            return CodeBlock.of("$T.fill($N, 0, $N, $L);   // $L_0 = 0\n", Arrays.class, state.steps(),
                    state.sizeConstant(), scalar.zero(), state.symbol());
        }
        return CodeBlock.of("$T.fill($N, (steps + 2) * $N - $N, (steps + 2) * $N, $L);   // $L_{T+1} = 0\n",
                Arrays.class, state.steps(), state.rowWidth(), state.sizeConstant(), state.rowWidth(), scalar.zero(),
                state.symbol());
    }

    /**
     * What BPTT starts from, which the caller sets before calling {@link #backward}: the gradient
     * the last state receives from beyond the sequence (nothing, or for the many-to-one top layer
     * this direction's half of ∂L/∂[h_T ; g_1]); the other states (c_T) receive nothing.
     */
    final CodeBlock seedGradients() {
        CodeBlock.Builder code = CodeBlock.builder().add(seedRecurrentGradient());
        for (StatePlan state : direction.innerStates()) {
            code.addStatement("$T.fill($N, $L)", Arrays.class, state.gradient(), scalar.zero());
        }
        return code.build();
    }

    /**
     * Seeds BPTT from a given ∂L/∂(final state) instead, in {@code array} from {@code offset},
     * {@code parts} saying where this layer's states are, as saveState lays them out: an
     * encoder's, whose final state a decoder started from.
     */
    final CodeBlock seedGradientsFrom(String array, List<SavedState.Part> parts) {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// ∂L/∂h_T comes from outside: the decoder this network encoded for\n");
        for (SavedState.Part part : parts) {
            StatePlan state = direction.state(part.state().state());
            code.addStatement("$T.arraycopy($N, $L, $N, 0, $N)", System.class, array, StreamingEmitter.offsetPlus(part),
                    state.gradient(), state.sizeConstant());
        }
        return code.build();
    }

    /**
     * Copies ∂L/∂(initial state) into {@code into} from {@code offset}, {@code parts} saying where
     * this layer's states go: after BPTT's last iteration (t = 1) the carried gradients are exactly
     * what h_0 (and c_0) received.
     */
    final CodeBlock copyStartGradient(String into, List<SavedState.Part> parts) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (SavedState.Part part : parts) {
            StatePlan state = direction.state(part.state().state());
            code.addStatement("$T.arraycopy($N, 0, $N, $L, $N)", System.class, state.gradient(), into,
                    StreamingEmitter.offsetPlus(part), state.sizeConstant());
        }
        return code.build();
    }

    private CodeBlock seedRecurrentGradient() {
        if (summaryGradient == null) {
            return CodeBlock.builder()
                    .add("// nothing flows back from beyond the last step\n")
                    .addStatement("$T.fill($N, $L)", Arrays.class, direction.dhNext(), scalar.zero())
                    .build();
        }
        return CodeBlock.builder()
                .add("// many-to-one: ∂L/∂$L arrives from the output, and nothing else from above\n",
                        direction.reverse() ? "g_1" : "h_T")
                .addStatement("$T.arraycopy($N, $L, $N, 0, $N)", System.class, summaryGradient,
                        direction.reverse() ? layer.stateConstant() : "0", direction.dhNext(), layer.stateConstant())
                .build();
    }

    /**
     * Adds, inside recurrentGradients' loop over t (with {@code row} bound to t's block of deltas),
     * this step's part of ∂L/∂ the cell's own parameters (a GRU's b_hn); nothing by default.
     */
    CodeBlock cellParameterGradients() {
        return CodeBlock.of("");
    }

    /** What {@link #cellParameterGradients} sums, for the javadoc of recurrentGradients; "" by default. */
    String cellParameterGradientsInWords() {
        return "";
    }

    /**
     * The diagnostics block that opens each BPTT step of a {@code Traceable} network (see
     * {@link StateGradientTraceEmitter#step}); nothing for any other network, which cannot trace.
     */
    final CodeBlock traceStateGradient() {
        return traced ? StateGradientTraceEmitter.step(layer, direction, gradientAtEveryStep) : CodeBlock.of("");
    }

    /**
     * Copies W_hh's columns out of the parameter if it changed since the last pass (an optimizer
     * step, a load, a write into its values).
     */
    final CodeBlock copyRecurrentColumns() {
        if (!layer.readsPreviousState()) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .add("// W_hh by columns for the plain loops, whose steps then add whole columns\n")
                .addStatement("$T.columnsIfChanged($N, $N, $N, $N, $N)", KERNELS,
                        direction.weightHh().valueField(), layer.gateRowsConstant(), layer.stateConstant(),
                        direction.weightHhCopied(), direction.weightHhColumns())
                .build();
    }

    /** Adds W_hh times the previous state to the step's sums. {@code previous} must be bound. */
    final CodeBlock addRecurrentProductToSums() {
        if (!layer.readsPreviousState()) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .addStatement("$T.addMatrixVector($N, $N, $N, $N, $N, $N)", KERNELS,
                        direction.weightHh().valueField(), direction.weightHhColumns(), layer.states(),
                        ElementwiseLayout.PREVIOUS, direction.sums(),
                        layer.gateRowsConstant())
                .build();
    }

    /**
     * Adds W_hh times the previous state to this step's gate pre-activations, which already hold
     * W_ih x_t + b. {@code gate} and {@code previous} must be bound.
     */
    final CodeBlock addRecurrentProductToGates() {
        String gates = direction.preactivations();
        String rows = layer.gateRowsConstant();
        return CodeBlock.builder()
                .addStatement("$T.arraycopy($N, $N, $N, 0, $N)", System.class, gates, ElementwiseLayout.GATE,
                        direction.sums(), rows)
                .add(addRecurrentProductToSums())
                .addStatement("$T.arraycopy($N, 0, $N, $N, $N)", System.class, direction.sums(), gates,
                        ElementwiseLayout.GATE, rows)
                .build();
    }

    /** Copies W_hh's rows out of the parameter, once per backward pass, for {@link #addTransposedRecurrentProduct}. */
    final CodeBlock copyRecurrentRows() {
        if (!layer.readsPreviousState()) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .add("// W_hh by rows, so that each step adds whole rows, which the JIT vectorises\n")
                .addStatement("$T.rows($N, $N, $N, $N)", KERNELS, direction.weightHh().valueField(),
                        layer.gateRowsConstant(), layer.stateConstant(), direction.weightHhRows())
                .build();
    }

    /** {@code dhNext += W_hhᵀ δ} over the given rows of this step's hidden-side deltas, row by row. */
    final CodeBlock addTransposedRecurrentProduct(String deltaRow, String rows) {
        if (!layer.readsPreviousState()) {
            return CodeBlock.of("// no W_hh: h_{t−1} reaches h_t only through the output it produced\n");
        }
        return CodeBlock.builder()
                .beginControlFlow("for (int m = 0; m < $N; m++)", rows)
                .addStatement("$T.addScaled($N[$N + m], $N[m], $N, $N)", KERNELS, direction.hiddenDeltas(),
                        deltaRow, direction.weightHhRows(), direction.dhNext(), layer.stateConstant())
                .endControlFlow()
                .build();
    }

    /** h_{t−1}, or h_{t+1} for the reverse direction: the state a step reads. */
    final String previousState() {
        return direction.reverse() ? "h_{t+1}" : "h_{t−1}";
    }

    /** "rnn", or "the reverse direction of rnn" when the layer has two. */
    final String subject() {
        return layer.isBidirectional() ? "the " + direction.label() + " direction of " + layer.name() : layer.name();
    }

    /** "" or "forward " / "reverse " before a noun, when the layer has two directions. */
    final String which() {
        return layer.isBidirectional() ? direction.label() + " " : "";
    }

    final String stepRange() {
        return direction.reverse() ? "t = T..1" : "t = 1..T";
    }

    final MethodSpec.Builder method(String name, String javadoc) {
        return MethodSpec.methodBuilder(name)
                .addModifiers(PRIVATE)
                .addJavadoc("$L", javadoc)
                .addParameter(int.class, "steps");
    }
}
