package dev.unfold.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.LstmCell;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;

/** {@link LstmCellEmitter}'s equations over a batch (see {@link BatchCellEmitter}). */
final class BatchLstmCellEmitter extends BatchCellEmitter {

    /** c_t of every step, as batch rows. */
    private final String cellStates;
    /** During BPTT: what c_{t∓1} receives from a step, as batch rows. */
    private final String dcNext;

    BatchLstmCellEmitter(BatchPlan network, LayerPlan layer, DirectionPlan direction, CodeBlock seed) {
        super(network, layer, direction, seed);
        this.cellStates = direction.state(LstmCell.CELL_STATE).batchSteps();
        this.dcNext = direction.state(LstmCell.CELL_STATE).batchGradient();
    }

    @Override
    MethodSpec recur() {
        String gates = batch.preactivations();
        String hidden = layer.hiddenConstant();
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(bindRows())
                .add("// a = W_ih x_t + b (already in $N) + W_hh $L: four gates, every sequence, one product\n",
                        gates, previousState())
                .add(addRecurrentProduct(gates, "gate"))
                .add(forwardEquations())
                .add("// sequences that have ended keep h = c = 0\n")
                .add(clearEnded(layerBatch.states(), "state", hidden))
                .add(clearEnded(cellStates, "cell", hidden))
                .endControlFlow()
                .build();
        return batchMethod(batch.recur(), "The " + which() + "LSTM recurrence of " + layer.name() + " for "
                        + stepRange() + " over a batch, from h = c = 0.\n")
                .addCode(code)
                .build();
    }

    @Override
    MethodSpec backward() {
        String deltas = batch.deltas();
        CodeBlock code = CodeBlock.builder()
                .add("// nothing flows back from beyond the last step\n")
                .add(zeroCarried(batch.dhNext()))
                .add(zeroCarried(dcNext))
                .beginControlFlow(bpttLoop())
                .add(seed)
                .add(bindState())
                .add(bindRows())
                .add(backwardEquations())
                .add("// a held state passes nothing back\n")
                .add(clearEnded(deltas, "gate", layer.gateRowsConstant()))
                .add("// W_hhᵀ δa_t: the gradient $L receives through the recurrence\n", previousState())
                .add(zeroCarried(batch.dhNext()))
                .add(addTransposedRecurrentProduct("gate"))
                .endControlFlow()
                .build();
        return batchMethod(batch.backward(), "Backpropagation through time for " + subject()
                        + " (LSTM) over a batch, against the recurrence.\n"
                        + "Leaves the gate pre-activations' gradients δa_t in row block t of " + deltas + ".\n")
                .addCode(code)
                .build();
    }
}
