package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.LstmCell;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;

/** {@link LstmCellEmitter}'s equations over a batch (see {@link BatchCellEmitter}). */
final class BatchLstmCellEmitter extends BatchCellEmitter {

    /** c_t of every step, as batch rows. */
    private final String cellStates;

    BatchLstmCellEmitter(BatchPlan network, LayerPlan layer, DirectionPlan direction, Scalar scalar,
                         CodeBlock seed) {
        super(network, layer, direction, scalar, seed);
        this.cellStates = direction.state(LstmCell.CELL_STATE).batchSteps();
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
                .add(addRecurrentProduct(gates, ElementwiseLayout.GATE))
                .add(forwardEquations())
                .add(layer.projects() ? new ProjectionEmitter(layer, direction, scalar).projectBatch() : CodeBlock.of(""))
                .add("// sequences that have ended keep h = c = 0\n")
                .add(clearEnded(layerBatch.states(), ElementwiseLayout.STATE, layer.stateConstant()))
                .add(clearEnded(cellStates, ElementwiseLayout.CELL, hidden))
                .add(layer.projects()
                        ? clearEnded(direction.projection().batchSteps(), ElementwiseLayout.CELL, hidden)
                        : CodeBlock.of(""))
                .endControlFlow()
                .build();
        return batchMethod(batch.recur(), "The " + which() + "LSTM recurrence of " + layer.name() + " for "
                        + stepRange() + " over a batch, from h = c = 0.\n")
                .addCode(code)
                .build();
    }

    @Override
    CodeBlock cellParameterGradients() {
        return layer.projects() ? new ProjectionEmitter(layer, direction, scalar).batchWeightGradient() : CodeBlock.of("");
    }
}
