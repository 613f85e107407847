package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.cell.GruCell;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.Arrays;

/** {@link GruCellEmitter}'s equations over a batch (see {@link BatchCellEmitter}). */
final class BatchGruCellEmitter extends BatchCellEmitter {

    BatchGruCellEmitter(BatchPlan network, LayerPlan layer, DirectionPlan direction, Scalar scalar,
                        CodeBlock seed) {
        super(network, layer, direction, scalar, seed);
    }

    @Override
    MethodSpec recur() {
        String hidden = layer.hiddenConstant();
        String gates = batch.preactivations();
        String hn = batch.hiddenProducts();
        String weightHh = direction.weightHh().valueField();
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(bindRows())
                .add("// r and z: W_ih x_t + b (already in $N) + W_hr $L and W_hz $L\n", gates, previousState(),
                        previousState())
                .addStatement("$T.addProduct($N, 0, 2 * $N, $N, $N, $N, $N, $N, lanes)", BATCH_KERNELS,
                        weightHh, hidden, hidden, layerBatch.states(), ElementwiseLayout.PREVIOUS, gates,
                        ElementwiseLayout.GATE)
                .add("// n's hidden side W_hn $L + b_hn, kept apart, since r gates it\n", previousState())
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("$T.fill($N[$N + k], 0, lanes, $N[k])", Arrays.class, hn, ElementwiseLayout.PRODUCT,
                        direction.cellParameter(GruCell.HIDDEN_BIAS).valueField())
                .endControlFlow()
                .addStatement("$T.addProduct($N, 2 * $N, $N, $N, $N, $N, $N, $N, lanes)", BATCH_KERNELS,
                        weightHh, hidden, hidden, hidden, layerBatch.states(), ElementwiseLayout.PREVIOUS, hn,
                        ElementwiseLayout.PRODUCT)
                .add(forwardEquations())
                .add("// sequences that have ended keep a zero state\n")
                .add(clearEnded(layerBatch.states(), ElementwiseLayout.STATE, hidden))
                .endControlFlow()
                .build();
        return batchMethod(batch.recur(), "The " + which() + "GRU recurrence of " + layer.name() + " for "
                        + stepRange() + " over a batch, from h = 0.\n")
                .addCode(code)
                .build();
    }

    /** ∂L/∂b_hn: b_hn sits where the hidden side's n block does, so it sums r ⊙ δn (equations.md (5.10)). */
    @Override
    CodeBlock cellParameterGradients() {
        String hidden = layer.hiddenConstant();
        return CodeBlock.builder()
                .add("// ∂L/∂b_hn = Σ_t Σ_b r ⊙ δn_t, the hidden side's n block\n")
                .add(BatchLayerEmitter.sumRows(scalar, batch.hiddenDeltas(), hidden, CodeBlock.of("2 * $N + m", hidden),
                        layer.gateRowsConstant(), direction.cellParameter(GruCell.HIDDEN_BIAS).gradientField()))
                .build();
    }
}
