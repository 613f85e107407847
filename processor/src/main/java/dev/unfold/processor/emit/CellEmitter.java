package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.DROPOUT_MASKS;
import static dev.unfold.processor.declaration.RuntimeTypes.KERNELS;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.CellParameter;
import dev.unfold.processor.cell.Equations;
import dev.unfold.processor.cell.RecurrentRows;
import dev.unfold.processor.cell.Slot;
import dev.unfold.processor.cell.Step;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.SavedState;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.Arrays;
import java.util.List;

/**
 * Emits one direction of one layer for one sequence: its recurrence and its BPTT, for any cell.
 * What is the cell's own it asks the {@link dev.unfold.processor.cell.CellKind}: its equations,
 * which rows of W_hh go where, what its own parameters' gradients sum, the words of its comments.
 * What depends on the direction it knows: which way time runs, where the initial state sits,
 * where a step's state and its predecessor are, and how BPTT is seeded.
 *
 * <p>The forward direction runs t = 1..T from row 0; the reverse runs t = T..1 from row T + 1 and
 * writes the upper half of each row of the layer's states. BPTT runs each the other way.
 */
class CellEmitter {
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

    /**
     * The recurrence of step t = 1..T (or T..1): W_hh's product with the state the step reads,
     * into where the cell's {@link RecurrentRows} say, then the cell's forward equations and, for a
     * projecting cell, h_t = W_hr m_t.
     */
    MethodSpec recur() {
        Equations forward = layer.cell().forward(step());
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentColumns())
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(bindRowsIfUsed(forward))
                .add(comment(layer.cell().productComment(step(), productBuffer(), layer.readsOutput())))
                .add(recurrentProduct())
                .add(layout().render(forward))
                .add(layer.projects() ? projection().project() : CodeBlock.of(""))
                .endControlFlow()
                .build();
        return method(direction.recur(), layer.cell().recurrenceInWords(step(), which(), layer.name(),
                        layer.readsOutput(), false))
                .addCode(code)
                .build();
    }

    /** The buffer the comment above the product says holds the input projection's part: the first rows'. */
    private String productBuffer() {
        return inputSide(layer.cell().recurrentRows().get(0).into());
    }

    /**
     * Where the input projection left its part of the rows going {@code into}: the rows themselves,
     * except for the simple cell's u_t, which the projection left in h_t's slot and the recurrence
     * sums in the step's scratch sums.
     */
    private String inputSide(Slot.Buffer into) {
        return into == Slot.Buffer.SUMS ? layer.states() : layout().buffer(into);
    }

    /** The offset of the step's row in {@link #inputSide}. */
    private String inputOffset(Slot.Buffer into) {
        return into == Slot.Buffer.SUMS ? ElementwiseLayout.STATE : layout().base(into);
    }

    /**
     * W_hh's product with the previous state into the step's sums: each block of rows copied in
     * from the input projection's part ({@link #inputSide}) or from the cell parameter it starts
     * from, one product, and each copied out to where it goes, except u_t, which the equations
     * read from the sums.
     */
    private CodeBlock recurrentProduct() {
        List<RecurrentRows> blocks = layer.cell().recurrentRows();
        CodeBlock.Builder code = CodeBlock.builder();
        for (RecurrentRows rows : blocks) {
            if (rows.startingFrom() == null) {
                code.addStatement("$T.arraycopy($N, $N, $N, $L, $L)", System.class, inputSide(rows.into()),
                        inputOffset(rows.into()), direction.sums(), firstRow(rows), rowCount(rows));
            } else {
                code.addStatement("$T.arraycopy($N, 0, $N, $L, $L)", System.class,
                        direction.cellParameter(rows.startingFrom()).valueField(), direction.sums(), firstRow(rows),
                        rowCount(rows));
            }
        }
        code.add(addRecurrentProductToSums());
        for (RecurrentRows rows : blocks) {
            if (rows.into() != Slot.Buffer.SUMS) {
                code.addStatement("$T.arraycopy($N, $L, $N, $N, $L)", System.class, direction.sums(), firstRow(rows),
                        layout().buffer(rows.into()), layout().base(rows.into()), rowCount(rows));
            }
        }
        return code.build();
    }

    /** The first of {@code rows} in W_hh: 0, H, 2 * H... */
    final CodeBlock firstRow(RecurrentRows rows) {
        return rows.firstBlock() == 0 ? CodeBlock.of("0") : blocksOf(rows.firstBlock());
    }

    /** How many rows {@code rows} are: G·H's constant when they are all of W_hh's. */
    final CodeBlock rowCount(RecurrentRows rows) {
        return rows.blocks() == layer.cell().gateCount() ? CodeBlock.of("$N", layer.gateRowsConstant())
                : blocksOf(rows.blocks());
    }

    /** {@code blocks} blocks of H rows: H, 2 * H... */
    final CodeBlock blocksOf(int blocks) {
        return blocks == 1 ? CodeBlock.of("$N", layer.hiddenConstant())
                : CodeBlock.of("$L * $N", blocks, layer.hiddenConstant());
    }

    /** Lines of text as comments of the generated code. */
    static CodeBlock comment(String lines) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (String line : lines.split("\n")) {
            code.add("// $L\n", line);
        }
        return code.build();
    }

    ProjectionEmitter projection() {
        return new ProjectionEmitter(layer, direction, scalar);
    }

    /** How the cell's equations become code here: one sequence. */
    ElementwiseLayout layout() {
        return new SequenceLayout(layer, direction, scalar);
    }

    /** What the cell's equations of a step depend on besides the cell. */
    final Step step() {
        return new Step(direction.reverse(), gradientAtEveryStep, layer.activation(), layer.readsPreviousState());
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

    /**
     * BPTT against the recurrence: each step runs, for a projecting cell, δm_t = W_hrᵀ δh_t, then
     * the cell's BPTT equations, then adds W_hhᵀ δ to what the state before receives (on top of
     * what the equations carried, if they did).
     */
    MethodSpec backward() {
        Equations equations = layer.cell().backward(step());
        boolean gated = layer.cell().isGated();
        String row = gated ? ElementwiseLayout.GATE : ElementwiseLayout.ROW;
        String rows = gated ? layer.gateRowsConstant() : layer.hiddenConstant();
        CodeBlock.Builder code = CodeBlock.builder()
                .add(copyRecurrentRows())
                .beginControlFlow(bpttLoop())
                .add(traceStateGradient())
                // the step's output gradient, and the simple cell's h_t for σ', are read at state
                .add(equations.uses(Slot.Buffer.PREVIOUS_HIDDEN) ? bindStates()
                        : bindStateIf(equations.uses(Slot.Buffer.HIDDEN) || equations.uses(Slot.Buffer.HIDDEN_FROM_ABOVE)
                                || (layer.projects() && gradientAtEveryStep)))
                .add(bindRows())
                .add(layer.projects() ? projection().stateGradient(gradientAtEveryStep) : CodeBlock.of(""))
                .add(layout().render(equations));
        if (equations.stores(Slot.Buffer.HIDDEN_CARRY)) {
            code.add("// + W_hhᵀ $L: the rest of what $L receives\n", hiddenDelta(), previousState());
        } else {
            code.add("// W_hhᵀ $L: the gradient $L receives through the recurrence\n", hiddenDelta(), previousState())
                    .addStatement("$T.fill($N, $L)", Arrays.class, direction.dhNext(), scalar.zero());
        }
        code.add(addTransposedRecurrentProduct(row, rows)).endControlFlow();
        return method(direction.backward(), "Backpropagation through time for " + subject() + cellInParentheses()
                        + ", against the recurrence" + layer.cell().backwardCitation() + ".\n"
                        + "Leaves " + leaves("row t of", direction.deltas(), direction.hiddenDeltas())
                        + (layer.projects() ? ", and δh_t in row t of " + direction.projection().stateGradients() : "")
                        + ".\n")
                .addCode(code.build())
                .build();
    }

    /** " (LSTM)" after a gated cell's layer in the javadoc of BPTT; "" for the simple cell. */
    final String cellInParentheses() {
        return layer.cell().isGated() ? " (" + layer.cell().name() + ")" : "";
    }

    /** The deltas W_hhᵀ reads: δu_t, δa_t, or the hidden side's δa^h_t. */
    final String hiddenDelta() {
        return "δ" + layer.cell().preactivation() + (direction.hasSeparateHiddenDeltas() ? "^h_t" : "_t");
    }

    /**
     * What BPTT leaves, in words, {@code row} saying where a step's deltas are ("row t of") in
     * {@code deltas} (and the hidden side's in {@code hiddenDeltas}).
     */
    final String leaves(String row, String deltas, String hiddenDeltas) {
        return !layer.cell().isGated() ? "δu_t in " + row + " " + deltas
                : direction.hasSeparateHiddenDeltas()
                ? "the input-side gradients in " + row + " " + deltas + " and the hidden-side ones in " + hiddenDeltas
                : "the gate pre-activations' gradients δa_t in " + row + " " + deltas;
    }

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

    /** {@link #bindRows} where {@code equations} index a step's rows: not the simple cell's forward ones, which work in the states. */
    final CodeBlock bindRowsIfUsed(Equations equations) {
        for (Slot.Buffer buffer : Slot.Buffer.values()) {
            String base = layout().base(buffer);
            if (equations.uses(buffer) && base != null && !base.equals(ElementwiseLayout.STATE)
                    && !base.equals(ElementwiseLayout.PREVIOUS)) {
                return bindRows();
            }
        }
        return CodeBlock.of("");
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
            code.addStatement(scalar.copyState("$N, $L, $N, 0, $N", array, StreamingEmitter.offsetPlus(part),
                    state.gradient(), state.sizeConstant()));
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
            code.addStatement(scalar.copyState("$N, 0, $N, $L, $N", state.gradient(), into,
                    StreamingEmitter.offsetPlus(part), state.sizeConstant()));
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
     * this step's part of ∂L/∂ the cell's own parameters: each vector's sum of the deltas the cell
     * names ({@link dev.unfold.processor.cell.CellKind#gradientSource}), W_hr's δh_t m_tᵀ.
     */
    CodeBlock cellParameterGradients() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (CellParameter parameter : layer.cell().ownParameters()) {
            Slot source = layer.cell().gradientSource(parameter);
            if (source != null) {
                code.beginControlFlow("for (int k = 0; k < $N; k++)", layer.hiddenConstant())
                        .addStatement("$N[k] += $N[row + $Lk]", direction.cellParameter(parameter).gradientField(),
                                layout().buffer(source.buffer()), blockStart(source.block()))
                        .endControlFlow();
            }
        }
        return code.add(layer.projects() ? projection().weightGradient() : CodeBlock.of("")).build();
    }

    /** Where block {@code block} of a row starts, before the index within it: "", "H + ", "2 * H + ". */
    final CodeBlock blockStart(int block) {
        return block == 0 ? CodeBlock.of("") : CodeBlock.of("$L + ", blocksOf(block));
    }

    /** What {@link #cellParameterGradients} sums, for the javadoc of recurrentGradients. */
    String cellParameterGradientsInWords() {
        StringBuilder words = new StringBuilder();
        for (CellParameter parameter : layer.cell().ownParameters()) {
            if (layer.cell().gradientSource(parameter) != null) {
                words.append(layer.cell().gradientInWords(parameter, false));
            }
        }
        return words + (layer.projects() ? ProjectionEmitter.weightGradientInWords() : "");
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

    /**
     * Adds W_hh times the previous state to the step's sums. {@code previous} must be bound. With
     * recurrent dropout, backward multiplies by h_{t∓1} ⊙ r instead.
     */
    final CodeBlock addRecurrentProductToSums() {
        if (!layer.readsPreviousState()) {
            return CodeBlock.of("");
        }
        CodeBlock product = CodeBlock.builder()
                .addStatement("$T.addMatrixVector($N, $N, $N, $N, $N, $N)", KERNELS,
                        direction.weightHh().valueField(), direction.weightHhColumns(), layer.states(),
                        ElementwiseLayout.PREVIOUS, direction.sums(),
                        layer.gateRowsConstant())
                .build();
        if (!layer.dropsRecurrent()) {
            return product;
        }
        String dropped = layer.dropout().droppedStates().get(directionIndex());
        return CodeBlock.builder()
                .beginControlFlow("if ($N)", Field.DROPPING)
                .add("// backward drops: W_hh ($L ⊙ r), one mask r for the whole sequence   (equations.md (16.2))\n",
                        previousState())
                .addStatement("$T.drop($N, $N, $N, 0, $N, 0, $N)", DROPOUT_MASKS, layer.states(),
                        ElementwiseLayout.PREVIOUS, recurrentMask(), dropped, layer.stateConstant())
                .addStatement("$T.addMatrixVector($N, $N, $N, 0, $N, $N)", KERNELS,
                        direction.weightHh().valueField(), direction.weightHhColumns(), dropped, direction.sums(),
                        layer.gateRowsConstant())
                .nextControlFlow("else")
                .add(product)
                .endControlFlow()
                .build();
    }

    /** 0 for the forward direction, 1 for the reverse: its place in the layer's lists. */
    final int directionIndex() {
        return direction.reverse() ? 1 : 0;
    }

    /** This direction's recurrent dropout mask of one sequence. */
    final String recurrentMask() {
        return layer.dropout().recurrentMasks().get(directionIndex());
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
                .add(dropRecurrentRows())
                .build();
    }

    /**
     * With recurrent dropout, in backward, W_hh's rows times diag(r): the forward pass read
     * W_hh (h ⊙ r), so what the previous state receives is r ⊙ W_hhᵀ δ (equations.md (16.3)).
     */
    private CodeBlock dropRecurrentRows() {
        if (!layer.dropsRecurrent()) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .beginControlFlow("if ($N)", Field.DROPPING)
                .add("// the forward pass read W_hh (h ⊙ r): the previous state receives r ⊙ W_hhᵀ δ   (equations.md (16.3))\n")
                .addStatement("$T.scaleColumns($N, $N, $N, $N)", DROPOUT_MASKS, direction.weightHhRows(),
                        layer.gateRowsConstant(), layer.stateConstant(), recurrentMask())
                .endControlFlow()
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
