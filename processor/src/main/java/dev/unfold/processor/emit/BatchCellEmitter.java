package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;
import static dev.unfold.processor.declaration.RuntimeTypes.DROPOUT_MASKS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.CellParameter;
import dev.unfold.processor.cell.Equations;
import dev.unfold.processor.cell.RecurrentRows;
import dev.unfold.processor.cell.Slot;
import dev.unfold.processor.cell.Statement;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.Arrays;
import java.util.List;

/**
 * Emits one direction of one layer for a batch of sequences of one length: the same equations as
 * {@link CellEmitter}'s, on batch rows (arrays of one value per sequence, see
 * {@code BatchKernels}) laid out row for value as the single-sequence buffers, so the offsets of
 * a step are the same. Products with W_hh are one kernel call per step for the whole batch; the
 * element-wise equations are a loop over the lanes of each unit's rows.
 *
 * <p>The gradient from above arrives at every step (rows of zeros where there is none), so BPTT
 * starts from nothing and reads it everywhere.
 *
 * <p>Sequences of different lengths share the pass: past its end a sequence's state is held at
 * zero (so the reverse direction starts at the end from a zero state, as it would alone) and its
 * δ is cleared (a held state depends on no weight). What BPTT carries out of such a step reaches
 * only later held steps, whose δ is cleared too, so it needs no clearing of its own.
 */
final class BatchCellEmitter extends CellEmitter {
    final DirectionPlan.Batch batch;
    final LayerPlan.Batch layerBatch;
    final BatchPlan network;
    /** What each BPTT step starts with: a seed for sequences ending there, or nothing. */
    final CodeBlock seed;

    BatchCellEmitter(BatchPlan network, LayerPlan layer, DirectionPlan direction, Scalar scalar, CodeBlock seed) {
        super(layer, direction, scalar, true, null, false);   // batches never trace: a trace is one sequence's
        this.network = network;
        this.seed = seed;
        this.batch = direction.batch();
        this.layerBatch = layer.batch();
    }

    /** How the cell's equations become code here: a batch, the lanes innermost. */
    @Override
    ElementwiseLayout layout() {
        return new BatchLayout(layer, direction, scalar);
    }

    /**
     * Zeroes this direction's initial states in every lane: h_0 (and c_0) in rows 0..H, or h_{T+1}
     * in row block T + 1.
     */
    @Override
    CodeBlock zeroInitialStates() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (StatePlan state : direction.states()) {
            code.add(zeroInitialBatchRows(state));
        }
        return code.build();
    }

    private CodeBlock zeroInitialBatchRows(StatePlan state) {
        String rowWidth = state.rowWidth();
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int k = 0; k < $N; k++)", state.sizeConstant());
        if (direction.reverse()) {
            // the reverse half of a row of the layer's states; a buffer of its own (c) is one state wide
            CodeBlock row = rowWidth.equals(state.sizeConstant())
                    ? CodeBlock.of("(steps + 1) * $N + k", rowWidth)
                    : CodeBlock.of("(steps + 1) * $N + $N + k", rowWidth, layer.stateConstant());
            code.add("$T.fill($N[$L], 0, lanes, $L);   // $L_{T+1} = 0\n", Arrays.class, state.batchSteps(), row,
                    scalar.zero(), state.symbol());
        } else {
            code.add("$T.fill($N[k], 0, lanes, $L);   // $L_0 = 0\n", Arrays.class, state.batchSteps(), scalar.zero(),
                    state.symbol());
        }
        return code.endControlFlow().build();
    }

    /**
     * The recurrence over the batch: W_hh's product with every sequence's previous state, one
     * kernel call for each of the cell's {@link RecurrentRows}, the cell's forward equations lane by
     * lane, a projecting cell's h_t = W_hr m_t, and the states of ended sequences held at zero.
     */
    @Override
    MethodSpec recur() {
        Equations forward = layer.cell().forward(step());
        CodeBlock.Builder code = CodeBlock.builder();
        if (layer.dropsRecurrent()) {
            code.addStatement("$T recurrentInput = $N ? $N : $N", scalar.array(2), Field.DROPPING,
                    layer.dropout().batchDroppedStates(), layerBatch.states());
        }
        code.beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(bindRowsIfUsed(forward));
        if (layer.dropsRecurrent()) {
            code.beginControlFlow("if ($N)", Field.DROPPING)
                    .add("// backward drops: W_hh reads $L ⊙ r, one mask r per sequence   (equations.md (16.2))\n",
                            previousState())
                    .addStatement("$T.dropLanes($N, $N, $N, 0, $N, $N, $N, lanes)", DROPOUT_MASKS, layerBatch.states(),
                            ElementwiseLayout.PREVIOUS, layer.dropout().batchRecurrentMasks().get(directionIndex()),
                            layer.dropout().batchDroppedStates(), ElementwiseLayout.PREVIOUS, layer.stateConstant())
                    .endControlFlow();
        }
        for (RecurrentRows rows : layer.cell().recurrentRows()) {
            code.add(comment(layer.cell().batchProductComment(rows, step(), layout().buffer(rows.into()))))
                    .add(addRecurrentProduct(rows));
        }
        if (scalar.activatesRowsByVector()) {
            List<Equations.InPlaceActivation> activations = forward.inPlaceActivations(this::sameRow);
            code.add(activateRows(activations));
            forward = forward.withoutActivating(activations);
        }
        code.add(activatesInPlace(forward) ? CodeBlock.of("") : layout().render(forward))
                .add(layer.projects() ? projection().projectBatch() : CodeBlock.of(""));
        List<StatePlan> states = direction.states();
        code.add("// sequences that have ended keep $L\n", states.size() == 1 ? "a zero state"
                : String.join(" = ", states.stream().map(StatePlan::symbol).toList()) + " = 0");
        for (StatePlan state : states) {
            code.add(clearEnded(state.batchSteps(), state == states.get(0) ? ElementwiseLayout.STATE : ElementwiseLayout.CELL,
                    state.sizeConstant()));
        }
        if (layer.projects()) {
            code.add(clearEnded(direction.projection().batchSteps(), ElementwiseLayout.CELL, layer.hiddenConstant()));
        }
        code.endControlFlow();
        return batchMethod(batch.recur(), layer.cell().recurrenceInWords(step(), which(), layer.name(),
                        layer.readsOutput(), true))
                .addCode(code.build())
                .build();
    }

    /**
     * The activations the cell applies in place, each over its slot's rows for every unit and lane
     * by one call of the runtime's vectorised row kernels, before the loop over the units: for
     * float they equal the cell's lane-by-lane calls bit for bit, and they are many times faster.
     */
    private CodeBlock activateRows(List<Equations.InPlaceActivation> activations) {
        if (activations.isEmpty()) {
            return CodeBlock.of("");
        }
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// the gates' activations over whole rows, every lane at once\n");
        for (int first = 0; first < activations.size(); ) {
            // adjacent blocks of one function (the LSTM's i and f) in one call
            int end = first + 1;
            while (end < activations.size() && follows(activations.get(end - 1), activations.get(end))) {
                end++;
            }
            Equations.InPlaceActivation activation = activations.get(first);
            Slot slot = activation.slot();
            code.addStatement("$T.$L($N, $L, $L, lanes)", BATCH_KERNELS, activation.function(),
                    layout().buffer(slot.buffer()), layout().firstRow(slot), end - first == 1
                            ? CodeBlock.of("$N", layer.hiddenConstant())
                            : CodeBlock.of("$L * $N", end - first, layer.hiddenConstant()));
            first = end;
        }
        return code.build();
    }

    private static boolean follows(Equations.InPlaceActivation one, Equations.InPlaceActivation next) {
        return next.function().equals(one.function()) && next.slot().buffer() == one.slot().buffer()
                && next.slot().block() == one.slot().block() + 1;
    }

    /**
     * Whether the forward equations only store a value where it already is (the simple cell's
     * identity, h_t = u_t, and a batch sums u_t in h_t's own row): then there is nothing to write.
     */
    private boolean activatesInPlace(Equations equations) {
        return equations.statements().stream().allMatch(statement -> statement instanceof Statement.Store store
                && store.value().slots().size() == 1
                && store.value().text().equals("@" + store.value().slots().get(0).name())
                && sameRow(store.target(), store.value().slots().get(0)));
    }

    private boolean sameRow(Slot one, Slot other) {
        return layout().buffer(one.buffer()).equals(layout().buffer(other.buffer()))
                && layout().offset(one).toString().equals(layout().offset(other).toString());
    }

    /**
     * Adds W_hh h_{t∓1} of every sequence to where {@code rows} go, after setting them to the cell
     * parameter they start from: {@code previous} (and the rows' offset) must be bound.
     */
    private CodeBlock addRecurrentProduct(RecurrentRows rows) {
        String out = layout().buffer(rows.into());
        String outRow = layout().base(rows.into());
        CodeBlock.Builder code = CodeBlock.builder();
        if (rows.startingFrom() != null) {
            code.beginControlFlow("for (int k = 0; k < $L; k++)", rowCount(rows))
                    .addStatement("$T.fill($N[$N + k], 0, lanes, $N[k])", Arrays.class, out, outRow,
                            direction.cellParameter(rows.startingFrom()).valueField())
                    .endControlFlow();
        }
        if (rows.blocks() == layer.cell().gateCount()) {
            return code.addStatement("$T.addProduct($N, $N, $N, $N, $N, $N, $N, lanes)", BATCH_KERNELS,
                            direction.weightHh().valueField(), layer.gateRowsConstant(), layer.stateConstant(),
                            recurrentInput(), ElementwiseLayout.PREVIOUS, out, outRow)
                    .build();
        }
        return code.addStatement("$T.addProduct($N, $L, $L, $N, $N, $N, $N, $N, lanes)", BATCH_KERNELS,
                        direction.weightHh().valueField(), firstRow(rows), rowCount(rows), layer.stateConstant(),
                        recurrentInput(), ElementwiseLayout.PREVIOUS, out, outRow)
                .build();
    }

    /** Zeroes the carried gradient of {@code size} rows, for BPTT's first step. */
    final CodeBlock zeroCarried(String carried, String size) {
        return CodeBlock.builder()
                .beginControlFlow("for (int k = 0; k < $N; k++)", size)
                .addStatement("$T.fill($N[k], 0, lanes, $L)", Arrays.class, carried, scalar.zero())
                .endControlFlow()
                .build();
    }

    /** The batch rows W_hh reads: the states, or with recurrent dropout the local choosing the dropped ones in backward. */
    private String recurrentInput() {
        return layer.dropsRecurrent() ? "recurrentInput" : layerBatch.states();
    }

    /**
     * {@code dhNext += W_hhᵀ δ} for this step's hidden-side deltas from row {@code deltaRow}; with
     * recurrent dropout, in backward, {@code dhNext += r ⊙ W_hhᵀ δ}.
     */
    final CodeBlock addTransposedRecurrentProduct(String deltaRow) {
        CodeBlock product = CodeBlock.builder()
                .addStatement("$T.addTransposedProduct($N, $N, $N, $N, $L, $N, 0, lanes)", BATCH_KERNELS,
                        direction.weightHh().valueField(), layer.gateRowsConstant(), layer.stateConstant(),
                        batch.hiddenDeltas(), deltaRow, batch.dhNext())
                .build();
        if (!layer.dropsRecurrent()) {
            return product;
        }
        String dropped = layer.dropout().batchDroppedGradients().get(directionIndex());
        return CodeBlock.builder()
                .beginControlFlow("if ($N)", Field.DROPPING)
                .add("// the forward pass read W_hh (h ⊙ r): the previous state receives r ⊙ W_hhᵀ δ   (equations.md (16.3))\n")
                .add(zeroCarried(dropped, layer.stateConstant()))
                .addStatement("$T.addTransposedProduct($N, $N, $N, $N, $L, $N, 0, lanes)", BATCH_KERNELS,
                        direction.weightHh().valueField(), layer.gateRowsConstant(), layer.stateConstant(),
                        batch.hiddenDeltas(), deltaRow, dropped)
                .addStatement("$T.addDropped($N, $N, $N, $N, lanes)", DROPOUT_MASKS, batch.dhNext(), dropped,
                        layer.dropout().batchRecurrentMasks().get(directionIndex()), layer.stateConstant())
                .nextControlFlow("else")
                .add(product)
                .endControlFlow()
                .build();
    }

    /**
     * Zeroes {@code count} rows from {@code from} of {@code buffer} in the lanes of sequences that
     * ended before step t; no lane has before the shortest length, so the check is skipped there.
     */
    final CodeBlock clearEnded(String buffer, String from, String count) {
        return CodeBlock.builder()
                .beginControlFlow("if (t > $N)", network.shortest())
                .addStatement("$T.clearEnded($N, $L, $L, $N, t, lanes)", BATCH_KERNELS, buffer, from, count,
                        network.lengths())
                .endControlFlow()
                .build();
    }

    /**
     * BPTT over the batch, against the recurrence, the same for every cell: each step starts from
     * the gradient of the sequences ending there, runs the cell's equations, clears the deltas of
     * held states, and adds W_hhᵀ δ to what the state before receives.
     */
    @Override
    final MethodSpec backward() {
        Equations equations = layer.cell().backward(step());
        boolean gated = layer.cell().isGated();
        String rows = gated ? layer.gateRowsConstant() : layer.hiddenConstant();
        String row = gated ? ElementwiseLayout.GATE : ElementwiseLayout.ROW;
        String delta = hiddenDelta();
        CodeBlock.Builder code = CodeBlock.builder().add("// nothing flows back from beyond the last step\n");
        for (StatePlan state : direction.states()) {
            code.add(zeroCarried(state.batchGradient(), state.sizeConstant()));
        }
        code.beginControlFlow(bpttLoop())
                .add(seed)
                .add(equations.uses(Slot.Buffer.PREVIOUS_HIDDEN) ? bindStates() : bindState())
                .add(bindRows())
                // a projecting cell's equations start from δm_t = W_hrᵀ δh_t
                .add(layer.projects() ? projection().batchStateGradient() : CodeBlock.of(""))
                .add(layout().render(equations))
                .add("// a held state passes nothing back\n")
                .add(clearEnded(batch.deltas(), row, rows));
        if (direction.hasSeparateHiddenDeltas()) {
            code.add(clearEnded(batch.hiddenDeltas(), row, rows));
        }
        if (equations.stores(Slot.Buffer.HIDDEN_CARRY)) {
            code.add("// + W_hhᵀ $L: the rest of what $L receives\n", delta, previousState());
        } else {
            code.add("// W_hhᵀ $L: the gradient $L receives through the recurrence\n", delta, previousState())
                    .add(zeroCarried(batch.dhNext(), layer.stateConstant()));
        }
        code.add(addTransposedRecurrentProduct(row)).endControlFlow();
        return batchMethod(batch.backward(), "Backpropagation through time for " + subject()
                        + cellInParentheses() + " over a batch, against the recurrence.\n"
                        + "Leaves " + leaves("row block t of", batch.deltas(), batch.hiddenDeltas()) + ".\n")
                .addCode(code.build())
                .build();
    }

    /**
     * ∂L/∂ of the cell's own parameters, summed over steps and lanes after BPTT: each vector's
     * sum of the deltas the cell names, W_hr's Σ_t Σ_b δh_t m_tᵀ.
     */
    @Override
    CodeBlock cellParameterGradients() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (CellParameter parameter : layer.cell().ownParameters()) {
            Slot source = layer.cell().gradientSource(parameter);
            if (source != null) {
                code.add(comment(layer.cell().gradientInWords(parameter, true)))
                        .add(BatchLayerEmitter.sumRows(scalar, layout().buffer(source.buffer()), layer.hiddenConstant(),
                                CodeBlock.of("$Lm", blockStart(source.block())), layer.gateRowsConstant(),
                                direction.cellParameter(parameter).gradientField()));
            }
        }
        return code.add(layer.projects() ? projection().batchWeightGradient() : CodeBlock.of("")).build();
    }

    final MethodSpec.Builder batchMethod(String name, String javadoc) {
        return method(name, javadoc).addParameter(int.class, "lanes");
    }
}
