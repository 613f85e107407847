package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.KERNELS;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.Mapping;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits the output projection o_t = V h_t + c over the top layer (equations.md (2.1), (2.2)):
 * the logits, the predictions ŷ_t = g2(o_t), and the gradients ∂L/∂V, ∂L/∂c and the top layer's
 * δh. Many-to-one has a single output row, read from the summary [h_T ; g_1] (equations.md (6.3)).
 */
final class OutputEmitter implements GeneratedPart {
    /** The local {@link #beginRows} binds to where o_t's row starts, which the loss and the batch read too. */
    static final String ROW = "row";
    /** The local {@link #beginRows} binds to where the top layer's row t starts (many-to-many). */
    static final String INPUT_ROW = "inputRow";

    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final OutputPlan output;
    private final LayerPlan top;
    private final boolean everyStep;

    OutputEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.output = network.output();
        this.top = network.topLayer();
        this.everyStep = network.mapping() == Mapping.MANY_TO_MANY;
    }

    /** For many-to-many, the logits and their gradient have a row per step. */
    @Override
    public List<StepBuffer> stepBuffers() {
        List<StepBuffer> buffers = new ArrayList<>();
        if (everyStep) {
            buffers.add(new StepBuffer(output.logits(), output.sizeConstant(), "Row t: o_t = V h_t + c."));
            buffers.add(new StepBuffer(output.delta(), output.sizeConstant(), "Row t: δy_t = ∂L/∂o_t."));
        }
        return buffers;
    }

    /**
     * The per-step buffers or, for many-to-one, the buffers of the one output; V by columns and
     * rows, and the arrays of one step.
     */
    @Override
    public List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        for (StepBuffer buffer : stepBuffers()) {
            fields.add(buffer.field(scalar));
        }
        fields.add(FieldSpec.builder(scalar.array(2), output.weightColumns(), PRIVATE, FINAL)
                .addJavadoc("V by columns, copied at each forward pass: see $T.addMatrixVector.\n", KERNELS)
                .initializer("new $T[$N][$N]", scalar.type(), top.widthConstant(), output.sizeConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(1), output.weightCopied(), PRIVATE, FINAL)
                .addJavadoc("The values of V its columns were last copied from.\n")
                .initializer("new $T[$N * $N]", scalar.type(), output.sizeConstant(), top.widthConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(2), output.weightRows(), PRIVATE, FINAL)
                .addJavadoc("V by rows, copied at each backward pass: see $T.addScaled.\n", KERNELS)
                .initializer("new $T[$N][$N]", scalar.type(), output.sizeConstant(), top.widthConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(2), output.weightGradientRows(), PRIVATE, FINAL)
                .addJavadoc("∂L/∂V by rows while a backward pass sums it; zero between calls.\n")
                .initializer("new $T[$N][$N]", scalar.type(), output.sizeConstant(), top.widthConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(1), output.input(), PRIVATE, FINAL)
                .addJavadoc("What the output reads at one step, in an array of its own.\n")
                .initializer("new $T[$N]", scalar.type(), top.widthConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(1), output.scratch(), PRIVATE, FINAL)
                .addJavadoc("Sums at one step: the logits, then the gradient of what the output reads.\n")
                .initializer("new $T[$T.max($N, $N)]", scalar.type(), Math.class, output.sizeConstant(),
                        top.widthConstant())
                .build());
        if (!everyStep) {
            fields.add(fixedBuffer(output.summary(), top.widthConstant(),
                    top.isBidirectional() ? "s = [h_T ; g_1], what the output reads." : "s = h_T, what the output reads."));
            fields.add(fixedBuffer(output.summaryGradient(), top.widthConstant(), "∂L/∂s."));
            fields.add(fixedBuffer(output.logits(), output.sizeConstant(), "o = V s + c."));
            fields.add(fixedBuffer(output.delta(), output.sizeConstant(), "δy = ∂L/∂o."));
        }
        return fields;
    }

    private FieldSpec fixedBuffer(String name, String size, String doc) {
        return FieldSpec.builder(scalar.array(1), name, PRIVATE, FINAL)
                .addJavadoc("$L\n", doc)
                .initializer("new $T[$N]", scalar.type(), size)
                .build();
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        if (!everyStep) {
            methods.add(summarise());
        }
        methods.add(logits());
        methods.add(predict());
        methods.add(gradients());
        return methods;
    }

    /**
     * Opens the loop over output rows, binding {@code row} (offset of o_t) and, for many-to-many and
     * if asked, {@code inputRow} (offset of the top layer's row t): every step for many-to-many, or the
     * single row 0 for many-to-one.
     */
    static void beginRows(CodeBlock.Builder code, NetworkPlan network, boolean bindInput) {
        if (network.mapping() == Mapping.MANY_TO_MANY) {
            code.beginControlFlow("for (int t = 1; t <= steps; t++)");
            if (bindInput) {
                code.addStatement("int $N = t * $N", INPUT_ROW, network.topLayer().widthConstant());
            }
            code.addStatement("int $N = t * $N", ROW, network.output().sizeConstant());
        } else {
            code.addStatement("int $N = 0", ROW);
        }
    }

    static void endRows(CodeBlock.Builder code, NetworkPlan network) {
        if (network.mapping() == Mapping.MANY_TO_MANY) {
            code.endControlFlow();
        }
    }

    /** How many output rows a sequence of {@code steps} steps has, as an expression: steps, or 1. */
    static String outputRows(NetworkPlan network) {
        return network.mapping() == Mapping.MANY_TO_MANY ? "steps" : "1";
    }

    /** Where row {@code t} of the caller's arrays is: {@code [t - 1]}, or {@code [0]} for many-to-one. */
    static String callerRow(NetworkPlan network) {
        return network.mapping() == Mapping.MANY_TO_MANY ? "t - 1" : "0";
    }

    /** What the output reads, as {@code array, offset} arguments: row t of the top layer, or the summary. */
    private CodeBlock inputArrayAndOffset() {
        return everyStep ? CodeBlock.of("$N, $N", top.states(), INPUT_ROW) : CodeBlock.of("$N, 0", output.summary());
    }

    /** Where the gradient of what the output reads goes, as {@code array, offset} arguments. */
    private CodeBlock inputGradientArrayAndOffset() {
        return everyStep ? CodeBlock.of("$N, $N", top.statesGradient(), INPUT_ROW) : CodeBlock.of("$N, 0", output.summaryGradient());
    }

    private MethodSpec summarise() {
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T.arraycopy($N, steps * $N, $N, 0, $N)", System.class, top.states(),
                        top.widthConstant(), output.summary(), top.stateConstant());
        if (top.isBidirectional()) {
            code.addStatement("$T.arraycopy($N, $N + $N, $N, $N, $N)", System.class, top.states(),
                    top.widthConstant(), top.stateConstant(), output.summary(), top.stateConstant(),
                    top.stateConstant());
        }
        return MethodSpec.methodBuilder(Method.SUMMARISE)
                .addModifiers(PRIVATE)
                .addJavadoc(top.isBidirectional()
                        ? "The many-to-one output reads [h_T ; g_1]: each direction's state after its last step.\n"
                        : "The many-to-one output reads h_T   (equations.md (6.3)).\n")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    private MethodSpec logits() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// V by columns for the plain loops, whose steps then add whole columns\n")
                .addStatement("$T.columnsIfChanged($N, $N, $N, $N, $N)", KERNELS,
                        output.weight().valueField(), output.sizeConstant(), top.widthConstant(), output.weightCopied(),
                        output.weightColumns());
        beginRows(code, network, true);
        code.addStatement("$T.arraycopy($N, 0, $N, 0, $N)", System.class, output.bias().valueField(), output.scratch(),
                        output.sizeConstant())
                .addStatement("$T.addMatrixVector($N, $N, $L, $N, $N)", KERNELS,
                        output.weight().valueField(), output.weightColumns(), inputArrayAndOffset(), output.scratch(),
                        output.sizeConstant())
                .addStatement("$T.arraycopy($N, 0, $N, $N, $N)", System.class, output.scratch(), output.logits(), ROW,
                        output.sizeConstant());
        endRows(code, network);
        return MethodSpec.methodBuilder(Method.OUTPUT_LOGITS)
                .addModifiers(PRIVATE)
                .addJavadoc(everyStep
                        ? "o_t = V h_t + c for every step   (equations.md (2.1)).\n"
                        : "o = V s + c over the summary s   (equations.md (6.3)).\n")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** ŷ = g2(o): the identity for MSE, softmax for cross-entropy, sigmoid for binary cross-entropy. */
    private MethodSpec predict() {
        CodeBlock.Builder code = CodeBlock.builder();
        beginRows(code, network, false);
        code.addStatement("$T y = ys[$L]", scalar.array(1), callerRow(network));
        switch (network.loss()) {
            case MSE -> code.addStatement("$T.arraycopy($N, $N, y, 0, $N)", System.class, output.logits(), ROW,
                    output.sizeConstant());
            case BINARY_CROSS_ENTROPY -> code
                    .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                    .addStatement("y[k] = $T.sigmoid($N[$N + k])", scalar.activations(), output.logits(), ROW)
                    .endControlFlow();
            case CROSS_ENTROPY -> code.addStatement("$T.softmax($N, $N, $N, y, 0)", KERNELS,
                    output.logits(), ROW, output.sizeConstant());
        }
        endRows(code, network);
        return MethodSpec.methodBuilder(Method.PREDICT)
                .addModifiers(PRIVATE)
                .addJavadoc("Writes $L into the caller's rows.\n", switch (network.loss()) {
                    case MSE -> "ŷ = o (MSE: identity output)";
                    case CROSS_ENTROPY -> "ŷ = softmax(o)";
                    case BINARY_CROSS_ENTROPY -> "ŷ = sigmoid(o)";
                })
                .addParameter(scalar.array(2), "ys")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    private MethodSpec gradients() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// V by rows, so that each output adds whole rows, which the JIT vectorises\n")
                .addStatement("$T.rows($N, $N, $N, $N)", KERNELS, output.weight().valueField(),
                        output.sizeConstant(), top.widthConstant(), output.weightRows());
        beginRows(code, network, true);
        if (!everyStep) {
            code.addStatement("$T.arraycopy($L, $N, 0, $N)", System.class, inputArrayAndOffset(), output.input(),
                    top.widthConstant());
        }
        code.addStatement("$T.fill($N, 0, $N, $L)", Arrays.class, output.scratch(), top.widthConstant(), scalar.zero())
                .beginControlFlow("for (int k = 0; k < $N; k++)", output.sizeConstant())
                .addStatement("$T delta = $N[$N + k]", scalar.type(), output.delta(), ROW)
                .addStatement("$N[k] += delta", output.bias().gradientField());
        if (!everyStep) {
            code.addStatement("$T.addScaled(delta, $N, $N[k], $N)", KERNELS, output.input(),
                    output.weightGradientRows(), top.widthConstant());
        }
        code.addStatement("$T.addScaled(delta, $N[k], $N, $N)", KERNELS, output.weightRows(),
                        output.scratch(), top.widthConstant())
                .endControlFlow()
                .addStatement("$T.arraycopy($N, 0, $L, $N)", System.class, output.scratch(), inputGradientArrayAndOffset(),
                        top.widthConstant());
        endRows(code, network);
        if (everyStep) {
            code.add("// ∂L/∂V = Σ_t δy_t h_tᵀ, summed over the steps in registers (or by rows)\n")
                    .addStatement("$T.addOuterProducts($N, $N, $N, $N, steps, $N, $N, $N, $N, $N)", KERNELS,
                            output.delta(), top.states(), top.widthConstant(), top.widthConstant(),
                            output.sizeConstant(), top.widthConstant(), output.weight().gradientField(),
                            output.input(), output.weightGradientRows());
        } else {
            code.addStatement("$T.addRowsInto($N, $N, $N)", KERNELS, output.weightGradientRows(),
                    output.weight().gradientField(), top.widthConstant());
        }
        return MethodSpec.methodBuilder(Method.OUTPUT_GRADIENTS)
                .addModifiers(PRIVATE)
                .addJavadoc(everyStep
                        ? "∂L/∂V = Σ_t δy_t h_tᵀ and ∂L/∂c = Σ_t δy_t   (equations.md (3.7)),\n"
                                + "and the gradient the top layer receives, Vᵀ δy_t, into row t of $L.\n"
                        : "∂L/∂V = δy sᵀ and ∂L/∂c = δy over the summary s, and ∂L/∂s = Vᵀ δy into $L.\n",
                        everyStep ? top.statesGradient() : output.summaryGradient())
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }
}
