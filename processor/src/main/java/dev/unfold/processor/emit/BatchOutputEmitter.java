package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;
import static dev.unfold.processor.declaration.RuntimeTypes.KERNELS;
import static dev.unfold.processor.emit.BatchNetworkEmitter.batchMethod;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.Mapping;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits the output projection, predictions, loss and output gradients of the batched pass: as
 * {@link OutputEmitter} and {@link LossEmitter} do for one sequence, the products over every
 * sequence at once, the loss sequence by sequence on its logits gathered from the batch rows.
 * Lanes past the batch, and steps past a sequence's end, get δy = 0, so they add nothing to any
 * gradient; a many-to-one summary reads each sequence's state at its own last step.
 */
final class BatchOutputEmitter {
    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final OutputPlan output;
    private final BatchPlan batch;
    private final LayerPlan top;
    private final boolean everyStep;

    BatchOutputEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.output = network.output();
        this.batch = network.batch();
        this.top = network.topLayer();
        this.everyStep = network.mapping() == Mapping.MANY_TO_MANY;
    }

    /** The output's batch rows: the logits and their gradient, and for many-to-one what the output reads. */
    List<BatchBuffer> buffers() {
        List<BatchBuffer> buffers = new ArrayList<>();
        String size = network.output().sizeConstant();
        buffers.add(BatchBuffer.perStep(batch.logits(), size, "o_t, as in " + output.logits() + "."));
        buffers.add(BatchBuffer.perStep(batch.delta(), size, "δy_t = ∂L/∂o_t."));
        if (batch.summary() != null) {
            buffers.add(BatchBuffer.fixed(batch.summary(), top.widthConstant(), "What the output reads."));
            buffers.add(BatchBuffer.fixed(batch.summaryGradient(), top.widthConstant(), "∂L/∂" + batch.summary() + "."));
        }
        return buffers;
    }

    List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(logits());
        methods.add(predict());
        methods.add(gradients());
        methods.add(lossFromTargets());
        if (LossEmitter.supportsLabels(network.loss())) {
            methods.add(lossFromLabels());
        }
        return methods;
    }

    private MethodSpec logits() {
        CodeBlock.Builder code = CodeBlock.builder();
        if (!everyStep) {
            code.add(summarise());
        }
        OutputEmitter.beginRows(code, network, true);
        code.beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                .addStatement("$T.fill($N[$N + k], 0, lanes, $N[k])", Arrays.class, batch.logits(), OutputEmitter.ROW,
                        output.bias().valueField())
                .endControlFlow()
                .addStatement("$T.addProduct($N, $N, $N, $L, $N, $N, lanes)", BATCH_KERNELS,
                        output.weight().valueField(), output.sizeConstant(), top.widthConstant(), input(),
                        batch.logits(), OutputEmitter.ROW);
        OutputEmitter.endRows(code, network);
        return batchMethod(Method.BATCH_OUTPUT_LOGITS, everyStep
                        ? "o_t = V h_t + c for every step and sequence.\n"
                        : "o = V s + c over every sequence's summary s = " + summaryWords() + ".\n")
                .addCode(code.build())
                .build();
    }

    /** What the output reads, as {@code rows, offset} arguments: row block t of the top layer, or the summary. */
    private CodeBlock input() {
        return everyStep ? CodeBlock.of("$N, $N", top.batch().states(), OutputEmitter.INPUT_ROW) : CodeBlock.of("$N, 0", batch.summary());
    }

    private String summaryWords() {
        return top.isBidirectional() ? "[h_T ; g_1]" : "h_T";
    }

    /** Copies the top layer's last forward state (and first reverse one) into the summary rows. */
    private CodeBlock summarise() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// the summary $L, every sequence's, each at its own last step\n", summaryWords())
                .beginControlFlow("for (int k = 0; k < $N; k++)", top.stateConstant())
                .addStatement("$T summary = $N[k]", scalar.array(1), batch.summary())
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("summary[b] = $N[$N[b] * $N + k][b]", top.batch().states(), batch.lengths(),
                        top.widthConstant())
                .endControlFlow();
        if (top.isBidirectional()) {
            code.addStatement("$T.arraycopy($N[$N + $N + k], 0, $N[$N + k], 0, lanes)", System.class,
                    top.batch().states(), top.widthConstant(), top.stateConstant(), batch.summary(),
                    top.stateConstant());
        }
        return code.endControlFlow().build();
    }

    private MethodSpec predict() {
        CodeBlock.Builder code = CodeBlock.builder();
        OutputEmitter.beginRows(code, network, false);
        code.beginControlFlow("for (int b = 0; b < batch; b++)");
        if (everyStep) {
            code.beginControlFlow("if (t > $N[b])", batch.lengths())
                    .add("// past this sequence's end\n")
                    .addStatement("continue")
                    .endControlFlow();
        }
        code.addStatement("$T y = ys[b][$L]", scalar.array(1), OutputEmitter.callerRow(network));
        switch (network.loss()) {
            case MSE -> code.beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                    .addStatement("y[k] = $N[$N + k][b]", batch.logits(), OutputEmitter.ROW)
                    .endControlFlow();
            case BINARY_CROSS_ENTROPY -> code.beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                    .addStatement("y[k] = $T.sigmoid($N[$N + k][b])", scalar.activations(), batch.logits(),
                            OutputEmitter.ROW)
                    .endControlFlow();
            case CROSS_ENTROPY -> code.add(gatherColumn())
                    .addStatement("$T.softmax($N, 0, $N, y, 0)", KERNELS, batch.column(),
                            output.sizeConstant());
        }
        code.endControlFlow();
        OutputEmitter.endRows(code, network);
        return MethodSpec.methodBuilder(Method.BATCH_PREDICT)
                .addModifiers(PRIVATE)
                .addJavadoc("Writes every sequence's $L into the caller's rows.\n", switch (network.loss()) {
                    case MSE -> "ŷ = o";
                    case CROSS_ENTROPY -> "ŷ = softmax(o)";
                    case BINARY_CROSS_ENTROPY -> "ŷ = sigmoid(o)";
                })
                .addParameter(scalar.array(3), "ys")
                .addParameter(int.class, "batch")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** Sequence b's logits of this row into the column scratch. */
    private CodeBlock gatherColumn() {
        return CodeBlock.builder()
                .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                .addStatement("$N[k] = $N[$N + k][b]", batch.column(), batch.logits(), OutputEmitter.ROW)
                .endControlFlow()
                .build();
    }

    private MethodSpec gradients() {
        String width = top.widthConstant();
        String size = output.sizeConstant();
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// ∂L/∂V = Σ_t Σ_b δy_t $L ᵀ in one product; ∂L/∂c = Σ_t Σ_b δy_t\n",
                        everyStep ? "h_t" : "s");
        if (everyStep) {
            code.addStatement("$T.addOuterProducts($N, $N, $N, $N, $N, $N, steps, $N, $N, $N, lanes)", BATCH_KERNELS,
                    batch.delta(), size, size, top.batch().states(), width, width, size, width,
                    output.weight().gradientField());
        } else {
            code.addStatement("$T.addOuterProducts($N, 0, 0, $N, 0, 0, 1, $N, $N, $N, lanes)", BATCH_KERNELS,
                    batch.delta(), batch.summary(), size, width, output.weight().gradientField());
        }
        code.beginControlFlow("for (int k = 0; k < $N; k++)", size)
                .addStatement("$T sum = 0", scalar.type());
        OutputEmitter.beginRows(code, network, false);
        code.addStatement("$T deltas = $N[$N + k]", scalar.array(1), batch.delta(), OutputEmitter.ROW)
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("sum += deltas[b]")
                .endControlFlow();
        OutputEmitter.endRows(code, network);
        code.addStatement("$N[k] += sum", output.bias().gradientField())
                .endControlFlow()
                .add("// what $N receives from above: Vᵀ δy$L, zero where no output reads it\n", top.name(),
                        everyStep ? "_t" : "");
        code.beginControlFlow("for (int t = 1; t <= steps; t++)")
                .beginControlFlow("for (int j = 0; j < $N; j++)", width)
                .addStatement("$T.fill($N[t * $N + j], 0, lanes, $L)", Arrays.class, top.batch().statesGradient(), width,
                        scalar.zero())
                .endControlFlow();
        if (everyStep) {
            code.addStatement("$T.addTransposedProduct($N, $N, $N, $N, t * $N, $N, t * $N, lanes)", BATCH_KERNELS,
                    output.weight().valueField(), size, width, batch.delta(), size, top.batch().statesGradient(), width);
        }
        code.endControlFlow();
        if (!everyStep) {
            code.beginControlFlow("for (int j = 0; j < $N; j++)", width)
                    .addStatement("$T.fill($N[j], 0, lanes, $L)", Arrays.class, batch.summaryGradient(), scalar.zero())
                    .endControlFlow()
                    .addStatement("$T.addTransposedProduct($N, $N, $N, $N, 0, $N, 0, lanes)", BATCH_KERNELS,
                            output.weight().valueField(), size, width, batch.delta(), batch.summaryGradient())
                    .beginControlFlow("for (int k = 0; k < $N; k++)", top.stateConstant())
                    .addStatement("$T summaryGradient = $N[k]", scalar.array(1), batch.summaryGradient())
                    .beginControlFlow("for (int b = 0; b < lanes; b++)")
                    .addStatement("$N[$N[b] * $N + k][b] = summaryGradient[b]", top.batch().statesGradient(),
                            batch.lengths(), width)
                    .endControlFlow();
            if (top.isBidirectional()) {
                code.addStatement("$T.arraycopy($N[$N + k], 0, $N[$N + $N + k], 0, lanes)", System.class,
                        batch.summaryGradient(), top.stateConstant(), top.batch().statesGradient(), width,
                        top.stateConstant());
            }
            code.endControlFlow();
        }
        return batchMethod(Method.BATCH_OUTPUT_GRADIENTS, "∂L/∂V and ∂L/∂c over the batch, and the gradient "
                        + top.name() + " receives from the output.\n")
                .addCode(code.build())
                .build();
    }

    private MethodSpec lossFromTargets() {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T loss = 0", Scalar.LOSS);
        OutputEmitter.beginRows(code, network, false);
        code.beginControlFlow("for (int b = 0; b < batch; b++)")
                .add(skipEnded())
                .addStatement("$T y = targets[b][$L]", scalar.array(1), OutputEmitter.callerRow(network))
                .add(gatherColumn())
                .add(LossEmitter.targetLoss(scalar, network.loss(), batch.column(), batch.columnDelta(), "",
                        output.sizeConstant()))
                .add(scatterColumnDelta())
                .endControlFlow()
                .add(zeroPaddingLanes());
        OutputEmitter.endRows(code, network);
        code.addStatement("return loss");
        return lossMethod("The loss of every sequence against dense targets, summed; leaves δy in "
                + batch.delta() + ".\n")
                .addParameter(scalar.array(3), "targets")
                .addParameter(int.class, "batch")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes")
                .addCode(code.build())
                .build();
    }

    private MethodSpec lossFromLabels() {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T loss = 0", Scalar.LOSS);
        OutputEmitter.beginRows(code, network, false);
        code.beginControlFlow("for (int b = 0; b < batch; b++)")
                .add(skipEnded())
                .addStatement("int label = labels[b][$L]", OutputEmitter.callerRow(network))
                .add(gatherColumn())
                .add(LossEmitter.labelLoss(scalar, batch.column(), batch.columnDelta(), "", output.sizeConstant()))
                .add(scatterColumnDelta())
                .endControlFlow()
                .add(zeroPaddingLanes());
        OutputEmitter.endRows(code, network);
        code.addStatement("return loss");
        return lossMethod("The cross-entropy of every sequence against class labels, summed; leaves δy in "
                + batch.delta() + ".\n")
                .addParameter(int[][].class, "labels")
                .addParameter(int.class, "batch")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes")
                .addCode(code.build())
                .build();
    }

    private CodeBlock scatterColumnDelta() {
        return CodeBlock.builder()
                .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                .addStatement("$N[$N + k][b] = $N[k]", batch.delta(), OutputEmitter.ROW, batch.columnDelta())
                .endControlFlow()
                .build();
    }

    /** For one output per step: past a sequence's end, no loss and δy = 0. */
    private CodeBlock skipEnded() {
        if (!everyStep) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .beginControlFlow("if (t > $N[b])", batch.lengths())
                .add("// past this sequence's end: no loss, no gradient\n")
                .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                .addStatement("$N[$N + k][b] = $L", batch.delta(), OutputEmitter.ROW, scalar.zero())
                .endControlFlow()
                .addStatement("continue")
                .endControlFlow()
                .build();
    }

    private CodeBlock zeroPaddingLanes() {
        return CodeBlock.builder()
                .add("// lanes past the batch add nothing to any gradient\n")
                .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                .addStatement("$T.fill($N[$N + k], batch, lanes, $L)", Arrays.class, batch.delta(), OutputEmitter.ROW,
                        scalar.zero())
                .endControlFlow()
                .build();
    }

    private static MethodSpec.Builder lossMethod(String javadoc) {
        return MethodSpec.methodBuilder(Method.BATCH_LOSS_AND_DELTA)
                .addModifiers(PRIVATE)
                .returns(Scalar.LOSS)
                .addJavadoc("$L", javadoc);
    }

}
