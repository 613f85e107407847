package dev.unfold.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.unfold.Activation;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;

/** {@link SimpleCellEmitter}'s equations over a batch (see {@link BatchCellEmitter}). */
final class BatchSimpleCellEmitter extends BatchCellEmitter {

    BatchSimpleCellEmitter(BatchPlan network, LayerPlan layer, DirectionPlan direction, CodeBlock seed) {
        super(network, layer, direction, seed);
    }

    @Override
    MethodSpec recur() {
        String h = layerBatch.states();
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add("// u = W_ih x_t + b (already in $N) + W_hh $L, for every sequence at once\n", h, previousState())
                .add(addRecurrentProduct(h, "state"))
                .add(activate())
                .add("// sequences that have ended keep a zero state\n")
                .add(clearEnded(h, "state", layer.hiddenConstant()))
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

    @Override
    MethodSpec backward() {
        CodeBlock code = CodeBlock.builder()
                .add("// nothing flows back from beyond the last step\n")
                .add(zeroCarried(batch.dhNext()))
                .beginControlFlow(bpttLoop())
                .add(seed)
                .add(bindState())
                .add(bindRows())
                .add(backwardEquations())
                .add("// a held state passes nothing back\n")
                .add(clearEnded(batch.deltas(), "row", layer.hiddenConstant()))
                .add("// W_hhᵀ δu_t: the gradient $L receives through the recurrence\n", previousState())
                .add(zeroCarried(batch.dhNext()))
                .add(addTransposedRecurrentProduct("row"))
                .endControlFlow()
                .build();
        return batchMethod(batch.backward(), "Backpropagation through time for " + subject()
                        + " over a batch, against the recurrence.\nLeaves δu_t in row block t of "
                        + batch.deltas() + ".\n")
                .addCode(code)
                .build();
    }
}
