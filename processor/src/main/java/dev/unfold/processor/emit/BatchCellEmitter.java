package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.Equations;
import dev.unfold.processor.cell.Slot;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.Arrays;

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
abstract class BatchCellEmitter extends CellEmitter {
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

    /** The emitter of the layer's cell: the one place that pairs a cell with its equations for a batch. */
    static BatchCellEmitter of(BatchPlan network, LayerPlan layer, DirectionPlan direction, Scalar scalar,
                               CodeBlock seed) {
        return switch (layer.cell().declared()) {
            case SIMPLE -> new BatchSimpleCellEmitter(network, layer, direction, scalar, seed);
            case LSTM -> new BatchLstmCellEmitter(network, layer, direction, scalar, seed);
            case GRU -> new BatchGruCellEmitter(network, layer, direction, scalar, seed);
        };
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

    /** Adds W_hh h_{t∓1} of every sequence to the rows from {@code outRow}: {@code previous} must be bound. */
    final CodeBlock addRecurrentProduct(String out, String outRow) {
        return CodeBlock.builder()
                .addStatement("$T.addProduct($N, $N, $N, $N, $N, $N, $L, lanes)", BATCH_KERNELS,
                        direction.weightHh().valueField(), layer.gateRowsConstant(), layer.stateConstant(),
                        layerBatch.states(), ElementwiseLayout.PREVIOUS, out, outRow)
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

    /** {@code dhNext += W_hhᵀ δ} for this step's hidden-side deltas from row {@code deltaRow}. */
    final CodeBlock addTransposedRecurrentProduct(String deltaRow) {
        return CodeBlock.builder()
                .addStatement("$T.addTransposedProduct($N, $N, $N, $N, $L, $N, 0, lanes)", BATCH_KERNELS,
                        direction.weightHh().valueField(), layer.gateRowsConstant(), layer.stateConstant(),
                        batch.hiddenDeltas(), deltaRow, batch.dhNext())
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
        String delta = (gated ? "δa" : "δu") + (direction.hasSeparateHiddenDeltas() ? "^h_t" : "_t");
        CodeBlock.Builder code = CodeBlock.builder().add("// nothing flows back from beyond the last step\n");
        for (StatePlan state : direction.states()) {
            code.add(zeroCarried(state.batchGradient(), state.sizeConstant()));
        }
        code.beginControlFlow(bpttLoop())
                .add(seed)
                .add(equations.uses(Slot.Buffer.PREVIOUS_HIDDEN) ? bindStates() : bindState())
                .add(bindRows())
                // a projecting cell's equations start from δm_t = W_hrᵀ δh_t
                .add(layer.projects() ? new ProjectionEmitter(layer, direction, scalar).batchStateGradient() : CodeBlock.of(""))
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
        String leaves = !gated ? "δu_t in row block t of " + batch.deltas()
                : direction.hasSeparateHiddenDeltas()
                ? "the input-side gradients in row block t of " + batch.deltas() + " and the hidden-side ones in "
                        + batch.hiddenDeltas()
                : "the gate pre-activations' gradients δa_t in row block t of " + batch.deltas();
        return batchMethod(batch.backward(), "Backpropagation through time for " + subject()
                        + (gated ? " (" + layer.cell().name() + ")" : "") + " over a batch, against the recurrence.\n"
                        + "Leaves " + leaves + ".\n")
                .addCode(code.build())
                .build();
    }

    /** ∂L/∂ of the cell's own parameters (a GRU's b_hn), summed over steps and lanes after BPTT; nothing by default. */
    CodeBlock cellParameterGradients() {
        return CodeBlock.of("");
    }

    final MethodSpec.Builder batchMethod(String name, String javadoc) {
        return method(name, javadoc).addParameter(int.class, "lanes");
    }
}
