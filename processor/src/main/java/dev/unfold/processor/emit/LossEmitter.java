package dev.unfold.processor.emit;

import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.Loss;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits the loss over the output rows and its gradient at the logits, δy = ∂L/∂o, summed over
 * steps and outputs as PyTorch's {@code reduction='sum'} does.
 */
final class LossEmitter {
    private final NetworkPlan network;
    private final OutputPlan output;

    LossEmitter(NetworkPlan network) {
        this.network = network;
        this.output = network.output();
    }

    List<MethodSpec> methods() {
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
        CodeBlock.Builder code = CodeBlock.builder().addStatement("double loss = 0");
        OutputEmitter.beginRows(code, network, false);
        code.addStatement("double[] y = targets[$L]", OutputEmitter.callerRow(network));
        switch (network.loss()) {
            case MSE -> code
                    .add("// L = Σ (o − y)², δy = 2 (o − y)\n")
                    .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                    .addStatement("double difference = $N[row + k] - y[k]", output.logits())
                    .addStatement("loss += difference * difference")
                    .addStatement("$N[row + k] = 2 * difference", output.delta())
                    .endControlFlow();
            case BINARY_CROSS_ENTROPY -> code
                    .add("// L = −Σ [y log σ(o) + (1 − y) log(1 − σ(o))] = Σ [max(o, 0) − o y + log(1 + e^−|o|)],\n")
                    .add("// δy = σ(o) − y\n")
                    .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                    .addStatement("double o = $N[row + k]", output.logits())
                    .addStatement("loss += $T.max(o, 0) - o * y[k] + $T.log1p($T.exp(-$T.abs(o)))",
                            Math.class, Math.class, Math.class, Math.class)
                    .addStatement("$N[row + k] = $T.sigmoid(o) - y[k]", output.delta(), NetworkEmitter.ACTIVATIONS)
                    .endControlFlow();
            case CROSS_ENTROPY -> code
                    .add("// L = −Σ_k y_k log softmax(o)_k, δy = softmax(o) Σ_k y_k − y,\n")
                    .add("// which is seed 003's ŷ − y whenever y sums to 1 (one-hot or a distribution)\n")
                    .addStatement("double logSumExp = $T.softmax($N, row, $N, $N, row)", NetworkEmitter.KERNELS,
                            output.logits(), output.sizeConstant(), output.delta())
                    .addStatement("double targetSum = 0")
                    .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                    .addStatement("loss -= y[k] * ($N[row + k] - logSumExp)", output.logits())
                    .addStatement("targetSum += y[k]")
                    .endControlFlow()
                    .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                    .addStatement("$N[row + k] = $N[row + k] * targetSum - y[k]", output.delta(), output.delta())
                    .endControlFlow();
        }
        OutputEmitter.endRows(code, network);
        code.addStatement("return loss");
        return MethodSpec.methodBuilder("lossAndDelta")
                .addModifiers(PRIVATE)
                .addJavadoc("The loss against dense targets; leaves δy = ∂L/∂o in $N.\n", output.delta())
                .returns(double.class)
                .addParameter(double[][].class, "targets")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    private MethodSpec fromLabels() {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("double loss = 0");
        OutputEmitter.beginRows(code, network, false);
        code.addStatement("int label = labels[$L]", OutputEmitter.callerRow(network))
                .add("// L = −log softmax(o)_label; δy = ŷ − y with one-hot y   (seed 003)\n")
                .addStatement("double logSumExp = $T.softmax($N, row, $N, $N, row)", NetworkEmitter.KERNELS,
                        output.logits(), output.sizeConstant(), output.delta())
                .addStatement("loss += logSumExp - $N[row + label]", output.logits())
                .addStatement("$N[row + label] -= 1", output.delta());
        OutputEmitter.endRows(code, network);
        code.addStatement("return loss");
        return MethodSpec.methodBuilder("lossAndDelta")
                .addModifiers(PRIVATE)
                .addJavadoc("The cross-entropy against class labels; leaves δy = ∂L/∂o in $N.\n", output.delta())
                .returns(double.class)
                .addParameter(int[].class, "labels")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }
}
