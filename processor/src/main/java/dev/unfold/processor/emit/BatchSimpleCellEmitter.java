package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;

import com.palantir.javapoet.CodeBlock;
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

    /** h_t = σ(u_t) in place: a kernel for tanh and the sigmoid, a loop for ReLU, nothing for the identity. */
    private CodeBlock activate() {
        String h = layerBatch.states();
        String hidden = layer.hiddenConstant();
        return switch (layer.activation()) {
            case TANH -> CodeBlock.of("$T.tanh($N, state, $N, lanes);\n", BATCH_KERNELS, h, hidden);
            case SIGMOID -> CodeBlock.of("$T.sigmoid($N, state, $N, lanes);\n", BATCH_KERNELS, h, hidden);
            case IDENTITY -> CodeBlock.of("");
            case RELU -> CodeBlock.builder()
                    .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                    .addStatement("double[] u = $N[state + k]", h)
                    .beginControlFlow("for (int b = 0; b < lanes; b++)")
                    .addStatement("u[b] = $L", ActivationCode.apply(layer.activation(), "u[b]"))
                    .endControlFlow()
                    .endControlFlow()
                    .build();
        };
    }

    @Override
    MethodSpec backward() {
        boolean readsOutput = ActivationCode.derivativeReadsOutput(layer.activation());
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// nothing flows back from beyond the last step\n")
                .add(zeroCarried(batch.dhNext()))
                .beginControlFlow(bpttLoop())
                .add(seed)
                .add(bindState())
                .addStatement("int row = t * $N", layer.hiddenConstant())
                .add("// δh_t = (∂L/∂h_t from above) + W_hhᵀ δu_$L; $L\n", "{" + laterStep() + "}",
                        ActivationCode.derivativeEquation(layer.activation()))
                .beginControlFlow("for (int k = 0; k < $N; k++)", layer.hiddenConstant());
        if (readsOutput) {
            code.addStatement("double[] output = $N[state + k]", layerBatch.states());
        }
        code.addStatement("double[] above = $N[state + k]", layerBatch.statesGradient())
                .addStatement("double[] dhLater = $N[k]", batch.dhNext())
                .addStatement("double[] du = $N[row + k]", batch.deltas())
                .beginControlFlow("for (int b = 0; b < lanes; b++)");
        if (readsOutput) {
            code.addStatement("double h = output[b]");
        }
        code.addStatement("du[b] = $L",
                        ActivationCode.derivativeTimes(layer.activation(), "h", CodeBlock.of("above[b] + dhLater[b]")))
                .endControlFlow()
                .endControlFlow()
                .add("// a held state passes nothing back\n")
                .add(clearEnded(batch.deltas(), "row", layer.hiddenConstant()))
                .add("// W_hhᵀ δu_t: the gradient $L receives through the recurrence\n", previousState())
                .add(zeroCarried(batch.dhNext()))
                .add(addTransposedRecurrentProduct("row"))
                .endControlFlow();
        return batchMethod(batch.backward(), "Backpropagation through time for " + subject()
                        + " over a batch, against the recurrence.\nLeaves δu_t in row block t of "
                        + batch.deltas() + ".\n")
                .addCode(code.build())
                .build();
    }
}
