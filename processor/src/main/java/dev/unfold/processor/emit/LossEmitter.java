package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.KERNELS;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.Loss;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits the loss over the output rows and its gradient at the logits, δy = ∂L/∂o, summed over
 * steps and outputs as PyTorch's {@code reduction='sum'} does.
 */
final class LossEmitter implements GeneratedPart {
    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final OutputPlan output;

    LossEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.output = network.output();
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(fromTargets());
        if (supportsLabels(network.loss())) {
            methods.add(fromLabels());
        }
        return methods;
    }

    /** Class labels are indices into a softmax: only cross-entropy can take them. */
    static boolean supportsLabels(Loss loss) {
        return loss == Loss.CROSS_ENTROPY;
    }

    private MethodSpec fromTargets() {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T loss = 0", Scalar.LOSS);
        OutputEmitter.beginRows(code, network, false);
        code.addStatement("$T y = targets[$L]", scalar.array(1), OutputEmitter.callerRow(network))
                .add(targetLoss(scalar, network.loss(), output.logits(), output.delta(), OutputEmitter.ROW,
                        output.sizeConstant()));
        OutputEmitter.endRows(code, network);
        code.addStatement("return loss");
        return MethodSpec.methodBuilder(Method.LOSS_AND_DELTA)
                .addModifiers(PRIVATE)
                .addJavadoc("The loss against dense targets; leaves δy = ∂L/∂o in $N.\n", output.delta())
                .returns(Scalar.LOSS)
                .addParameter(scalar.array(2), "targets")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /**
     * Adds one output row's loss against the targets {@code y} to {@code loss} and writes δy: the
     * logits and δy are read and written from {@code offset} ("row", or "" when the arrays hold
     * just that row).
     */
    static CodeBlock targetLoss(Scalar scalar, Loss loss, String logits, String delta, String offset, String size) {
        String k = at(offset, "k");
        CodeBlock.Builder code = CodeBlock.builder();
        switch (loss) {
            case MSE -> code
                    .add("// L = Σ (o − y)², δy = 2 (o − y)   (equations.md (2.3), (2.4))\n")
                    .beginControlFlow("for (int k = 0; k < $N; k++)", size)
                    .addStatement("$T difference = $N[$L] - y[k]", scalar.type(), logits, k)
                    .addStatement("loss += difference * difference")
                    .addStatement("$N[$L] = 2 * difference", delta, k)
                    .endControlFlow();
            case BINARY_CROSS_ENTROPY -> code
                    .add("// L = −Σ [y log σ(o) + (1 − y) log(1 − σ(o))] = Σ [max(o, 0) − o y + log(1 + e^−|o|)],\n")
                    .add("// δy = σ(o) − y   (equations.md (2.9), (2.10))\n")
                    .beginControlFlow("for (int k = 0; k < $N; k++)", size)
                    .addStatement("$T o = $N[$L]", scalar.type(), logits, k)
                    .addStatement("loss += $T.max(o, 0) - o * y[k] + $T.log1p($T.exp(-$T.abs(o)))",
                            Math.class, Math.class, Math.class, Math.class)
                    .addStatement("$N[$L] = $T.sigmoid(o) - y[k]", delta, k, scalar.activations())
                    .endControlFlow();
            case CROSS_ENTROPY -> code
                    .add("// L = −Σ_k y_k log softmax(o)_k, δy = softmax(o) Σ_k y_k − y,\n")
                    .add("// which is ŷ − y whenever y sums to 1 (one-hot or a distribution)   (equations.md (2.6), (2.7))\n")
                    .addStatement("$T logSumExp = $T.softmax($N, $L, $N, $N, $L)", Scalar.LOSS, KERNELS,
                            logits, offsetOrZero(offset), size, delta, offsetOrZero(offset))
                    .addStatement("$T targetSum = 0", scalar.type())
                    .beginControlFlow("for (int k = 0; k < $N; k++)", size)
                    .addStatement("loss -= y[k] * ($N[$L] - logSumExp)", logits, k)
                    .addStatement("targetSum += y[k]")
                    .endControlFlow()
                    .beginControlFlow("for (int k = 0; k < $N; k++)", size)
                    .addStatement("$N[$L] = $N[$L] * targetSum - y[k]", delta, k, delta, k)
                    .endControlFlow();
        }
        return code.build();
    }

    /** {@link #targetLoss} against the class {@code label}: cross-entropy only. */
    static CodeBlock labelLoss(Scalar scalar, String logits, String delta, String offset, String size) {
        return CodeBlock.builder()
                .add("// L = −log softmax(o)_label; δy = ŷ − y with one-hot y   (equations.md (2.8))\n")
                .addStatement("$T logSumExp = $T.softmax($N, $L, $N, $N, $L)", Scalar.LOSS, KERNELS,
                        logits, offsetOrZero(offset), size, delta, offsetOrZero(offset))
                .addStatement("loss += logSumExp - $N[$L]", logits, at(offset, "label"))
                .addStatement("$N[$L] -= 1", delta, at(offset, "label"))
                .build();
    }

    private static String at(String offset, String index) {
        return offset.isEmpty() ? index : offset + " + " + index;
    }

    private static String offsetOrZero(String offset) {
        return offset.isEmpty() ? "0" : offset;
    }

    private MethodSpec fromLabels() {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T loss = 0", Scalar.LOSS);
        OutputEmitter.beginRows(code, network, false);
        code.addStatement("int label = labels[$L]", OutputEmitter.callerRow(network))
                .add(labelLoss(scalar, output.logits(), output.delta(), OutputEmitter.ROW, output.sizeConstant()));
        OutputEmitter.endRows(code, network);
        code.addStatement("return loss");
        return MethodSpec.methodBuilder(Method.LOSS_AND_DELTA)
                .addModifiers(PRIVATE)
                .addJavadoc("The cross-entropy against class labels; leaves δy = ∂L/∂o in $N.\n", output.delta())
                .returns(Scalar.LOSS)
                .addParameter(int[].class, "labels")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }
}
