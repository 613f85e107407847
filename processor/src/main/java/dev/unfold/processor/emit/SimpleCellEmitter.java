package dev.unfold.processor.emit;

import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.LayerPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits the methods of one simple recurrent layer, h_t = σ(W_ih x_t + W_hh h_{t−1} + b): its
 * forward pass and its BPTT, following seed 003's recurrences line by line.
 *
 * <p>Buffers are flat with one row per step, row t at offset t × H and row 0 holding h_0, so that
 * the code indexes steps exactly as the seeds number them (t = 1..T).
 */
final class SimpleCellEmitter {
    private final LayerPlan layer;
    /** The layer feeding this one, or null when it reads the network's input. */
    private final LayerPlan below;
    /**
     * Whether ∂L/∂h_t arrives from above at every step (a buffer row per step) or only at t = T
     * (many-to-one: the output reads h_T alone, and seeds the recurrence's gradient directly).
     */
    private final boolean gradientAtEveryStep;

    SimpleCellEmitter(LayerPlan layer, LayerPlan below, boolean gradientAtEveryStep) {
        this.layer = layer;
        this.below = below;
        this.gradientAtEveryStep = gradientAtEveryStep;
    }

    List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        if (layer.readsNetworkInput()) {
            methods.add(projectInputs());
            methods.add(projectTokens());
        } else {
            methods.add(projectLayerBelow());
        }
        methods.add(recur());
        methods.add(backward());
        methods.add(recurrentGradients());
        if (layer.readsNetworkInput()) {
            methods.add(inputGradients());
            methods.add(inputGradientsFromTokens());
        } else {
            methods.add(inputGradientsFromLayerBelow());
        }
        return methods;
    }

    private String h() {
        return layer.buffers().h();
    }

    private String hidden() {
        return layer.hiddenConstant();
    }

    /** u_t = W_ih x_t + b over dense input rows. */
    private MethodSpec projectInputs() {
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("double[] x = xs[t - 1]")
                .add(inputProduct(CodeBlock.of("x[j]")))
                .endControlFlow();
        return method(layer.methods().projectInputs(),
                "u_t = W_ih x_t + b for every step, into row t of " + h() + " (seed 003: W_ax x_t + b_a);\n"
                        + layer.methods().recur() + " then adds W_hh h_{t−1}.\n")
                .addParameter(double[][].class, "xs")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** u_t = W_ih x_t + b for a layer whose x_t is the hidden state of the layer below. */
    private MethodSpec projectLayerBelow() {
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int in = t * $N", below.hiddenConstant())
                .add(inputProduct(CodeBlock.of("$N[in + j]", below.buffers().h())))
                .endControlFlow();
        return method(layer.methods().projectInputs(),
                "u_t = W_ih x_t + b for every step, where x_t is h_t of " + below.name()
                        + ", into row t of " + h() + ";\n" + layer.methods().recur() + " then adds W_hh h_{t−1}.\n")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** The body shared by both dense projections: row t of h gets b + W_ih x_t. */
    private CodeBlock inputProduct(CodeBlock inputAtJ) {
        return CodeBlock.builder()
                .addStatement("int row = t * $N", hidden())
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden())
                .addStatement("double sum = $N[i]", layer.bias().valueField())
                .addStatement("int w = i * $N", layer.inputConstant())
                .beginControlFlow("for (int j = 0; j < $N; j++)", layer.inputConstant())
                .addStatement("sum += $N[w + j] * $L", layer.weightIh().valueField(), inputAtJ)
                .endControlFlow()
                .addStatement("$N[row + i] = sum", h())
                .endControlFlow()
                .build();
    }

    /** u_t = W_ih x_t + b with one-hot x_t: the product is a column of W_ih. */
    private MethodSpec projectTokens() {
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int token = tokens[t - 1]")
                .addStatement("int row = t * $N", hidden())
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden())
                .addStatement("$N[row + i] = $N[i * $N + token] + $N[i]", h(), layer.weightIh().valueField(),
                        layer.inputConstant(), layer.bias().valueField())
                .endControlFlow()
                .endControlFlow()
                .build();
        return method(layer.methods().projectTokens(),
                "u_t = W_ih x_t + b for one-hot x_t, where W_ih x_t is column tokens[t − 1] of W_ih:\n"
                        + "a lookup instead of a product.\n")
                .addParameter(int[].class, "tokens")
                .addParameter(int.class, "steps")
                .addCode(code)
                .build();
    }

    /** h_t = σ(u_t + W_hh h_{t−1}), in place over the projected inputs. */
    private MethodSpec recur() {
        CodeBlock code = CodeBlock.builder()
                .add("// h_0 = 0   (seed 004: a_0 = 0)\n")
                .addStatement("$T.fill($N, 0, $N, 0.0)", Arrays.class, h(), hidden())
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int row = t * $N", hidden())
                .addStatement("int previous = row - $N", hidden())
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden())
                .addStatement("double u = $N[row + i]", h())
                .addStatement("int w = i * $N", hidden())
                .beginControlFlow("for (int j = 0; j < $N; j++)", hidden())
                .addStatement("u += $N[w + j] * $N[previous + j]", layer.weightHh().valueField(), h())
                .endControlFlow()
                .addStatement("$N[row + i] = $L", h(), ActivationCode.apply(layer.activation(), "u"))
                .endControlFlow()
                .endControlFlow()
                .build();
        return method(layer.methods().recur(),
                "h_t = " + ActivationCode.symbol(layer.activation())
                        + "(W_hh h_{t−1} + W_ih x_t + b) for t = 1..T   (seed 003: a_t = g1(W_aa a_{t−1} + W_ax x_t + b_a)).\n")
                .addParameter(int.class, "steps")
                .addCode(code)
                .build();
    }

    /** The BPTT recurrence from t = T down to 1, storing δu_t for the gradient sums. */
    private MethodSpec backward() {
        String du = layer.buffers().du();
        String dhNext = layer.buffers().dhNext();
        CodeBlock dh = gradientAtEveryStep
                ? CodeBlock.of("$N[row + i] + $N[i]", layer.buffers().dhAbove(), dhNext)
                : CodeBlock.of("$N[i]", dhNext);
        CodeBlock.Builder code = CodeBlock.builder();
        if (gradientAtEveryStep) {
            code.add("// δu_{T+1} = 0, so W_hhᵀ δu_{T+1} = 0\n")
                    .addStatement("$T.fill($N, 0.0)", Arrays.class, dhNext);
        } else {
            code.add("// δh_T = Vᵀ δy arrived in $N from the output; no step after T adds to it\n", dhNext);
        }
        code.beginControlFlow("for (int t = steps; t >= 1; t--)")
                .addStatement("int row = t * $N", hidden())
                .add(gradientAtEveryStep
                        ? "// δh_t = (∂L/∂h_t from above) + W_hhᵀ δu_{t+1}   (seed 003: W_yaᵀ δy_t + W_aaᵀ δu_{t+1})\n"
                        : "// δh_t = W_hhᵀ δu_{t+1}, plus Vᵀ δy at t = T\n")
                .add("// $L\n", ActivationCode.derivativeEquation(layer.activation()))
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden());
        if (ActivationCode.derivativeReadsOutput(layer.activation())) {
            code.addStatement("double h = $N[row + i]", h());
        }
        code.addStatement("$N[row + i] = $L", du, ActivationCode.derivativeTimes(layer.activation(), "h", dh))
                .endControlFlow()
                .add("// W_hhᵀ δu_t: the gradient h_{t−1} receives through the recurrence\n")
                .addStatement("$T.fill($N, 0.0)", Arrays.class, dhNext)
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden())
                .addStatement("double d = $N[row + i]", du)
                .addStatement("int w = i * $N", hidden())
                .beginControlFlow("for (int j = 0; j < $N; j++)", hidden())
                .addStatement("$N[j] += $N[w + j] * d", dhNext, layer.weightHh().valueField())
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return method(layer.methods().backward(),
                "Backpropagation through time for " + layer.name() + ", from t = T down to 1 (seed 003).\n"
                        + "Leaves δu_t in row t of " + du + " and ∂L/∂h_0 in " + dhNext + ".\n")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** ∂L/∂W_hh and ∂L/∂b as sums over the stored δu_t. */
    private MethodSpec recurrentGradients() {
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int row = t * $N", hidden())
                .addStatement("int previous = row - $N", hidden())
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden())
                .addStatement("double d = $N[row + i]", layer.buffers().du())
                .addStatement("$N[i] += d", layer.bias().gradientField())
                .addStatement("int w = i * $N", hidden())
                .beginControlFlow("for (int j = 0; j < $N; j++)", hidden())
                .addStatement("$N[w + j] += d * $N[previous + j]", layer.weightHh().gradientField(), h())
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
        return method(layer.methods().recurrentGradients(),
                "∂L/∂W_hh = Σ_t δu_t h_{t−1}ᵀ and ∂L/∂b = Σ_t δu_t   (seed 003: ∂L/∂W_aa, ∂L/∂b_a).\n")
                .addParameter(int.class, "steps")
                .addCode(code)
                .build();
    }

    /** ∂L/∂W_ih over dense input rows. */
    private MethodSpec inputGradients() {
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("double[] x = xs[t - 1]")
                .addStatement("int row = t * $N", hidden())
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden())
                .addStatement("double d = $N[row + i]", layer.buffers().du())
                .addStatement("int w = i * $N", layer.inputConstant())
                .beginControlFlow("for (int j = 0; j < $N; j++)", layer.inputConstant())
                .addStatement("$N[w + j] += d * x[j]", layer.weightIh().gradientField())
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
        return method(layer.methods().inputGradients(), "∂L/∂W_ih = Σ_t δu_t x_tᵀ   (seed 003: ∂L/∂W_ax).\n")
                .addParameter(double[][].class, "xs")
                .addParameter(int.class, "steps")
                .addCode(code)
                .build();
    }

    /** ∂L/∂W_ih for one-hot input: only the column of each step's token changes. */
    private MethodSpec inputGradientsFromTokens() {
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int token = tokens[t - 1]")
                .addStatement("int row = t * $N", hidden())
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden())
                .addStatement("$N[i * $N + token] += $N[row + i]", layer.weightIh().gradientField(),
                        layer.inputConstant(), layer.buffers().du())
                .endControlFlow()
                .endControlFlow()
                .build();
        return method(layer.methods().inputGradientsFromTokens(),
                "∂L/∂W_ih = Σ_t δu_t x_tᵀ for one-hot x_t: δu_t is added to column tokens[t − 1].\n")
                .addParameter(int[].class, "tokens")
                .addParameter(int.class, "steps")
                .addCode(code)
                .build();
    }

    /** ∂L/∂W_ih over the layer below's states, and the gradient those states receive. */
    private MethodSpec inputGradientsFromLayerBelow() {
        String belowH = below.buffers().h();
        String belowDh = below.buffers().dhAbove();
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int in = t * $N", below.hiddenConstant())
                .addStatement("int row = t * $N", hidden())
                .addStatement("$T.fill($N, in, in + $N, 0.0)", Arrays.class, belowDh, below.hiddenConstant())
                .beginControlFlow("for (int i = 0; i < $N; i++)", hidden())
                .addStatement("double d = $N[row + i]", layer.buffers().du())
                .addStatement("int w = i * $N", layer.inputConstant())
                .beginControlFlow("for (int j = 0; j < $N; j++)", layer.inputConstant())
                .addStatement("$N[w + j] += d * $N[in + j]", layer.weightIh().gradientField(), belowH)
                .addStatement("$N[in + j] += $N[w + j] * d", belowDh, layer.weightIh().valueField())
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
        return method(layer.methods().inputGradients(),
                "∂L/∂W_ih = Σ_t δu_t x_tᵀ with x_t = h_t of " + below.name() + ", and the gradient " + below.name()
                        + "\nreceives from above, ∂L/∂x_t = W_ihᵀ δu_t, into row t of " + belowDh + ".\n")
                .addParameter(int.class, "steps")
                .addCode(code)
                .build();
    }

    private static MethodSpec.Builder method(String name, String javadoc) {
        return MethodSpec.methodBuilder(name).addModifiers(PRIVATE).addJavadoc(javadoc);
    }
}
