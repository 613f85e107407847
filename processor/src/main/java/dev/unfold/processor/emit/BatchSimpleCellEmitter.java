package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;

import com.palantir.javapoet.CodeBlock;
import dev.unfold.Activation;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;

/** {@link SimpleCellEmitter}'s equations over a batch (see {@link BatchCellEmitter}). */
final class BatchSimpleCellEmitter extends BatchCellEmitter {

    BatchSimpleCellEmitter(BatchPlan network, LayerPlan layer, DirectionPlan direction, Scalar scalar,
                           CodeBlock seed) {
        super(network, layer, direction, scalar, seed);
    }

    @Override
    MethodSpec recur() {
        String h = layerBatch.states();
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add("// u = W_ih x_t + b (already in $N) + W_hh $L, for every sequence at once\n", h, previousState())
                .add(addRecurrentProduct(h, ElementwiseLayout.STATE))
                .add(activate())
                .add("// sequences that have ended keep a zero state\n")
                .add(clearEnded(h, ElementwiseLayout.STATE, layer.hiddenConstant()))
                .endControlFlow()
                .build();
        return batchMethod(batch.recur(), "The " + which() + "recurrence of " + layer.name() + " for " + stepRange()
                        + " over a batch: h_t = " + ActivationCode.symbol(layer.activation())
                        + "(W_hh " + previousState() + " + W_ih x_t + b), from a zero state.\n")
                .addCode(code)
                .build();
    }

    /** h_t = σ(u_t) in place; the identity leaves u_t as it is. */
    private CodeBlock activate() {
        return layer.activation() == Activation.IDENTITY ? CodeBlock.of("") : forwardEquations();
    }
}
