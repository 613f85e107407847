package dev.unfold.processor.emit;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unfold.Activation;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import dev.unfold.processor.plan.ParameterPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Assembles the generated class: constants, parameter arrays, per-step buffers, the constructor,
 * and the public {@code SequenceModel} methods that call the layer, output and loss code in order.
 */
public final class NetworkEmitter {
    static final String RUNTIME = "dev.unfold.runtime";
    static final ClassName CHECKS = ClassName.get(RUNTIME, "Checks");
    static final ClassName LAYER = ClassName.get(RUNTIME, "Layer");
    static final ClassName PARAMETER = ClassName.get(RUNTIME, "Parameter");
    static final ClassName PARAMETERS = ClassName.get(RUNTIME, "Parameters");
    static final ClassName WEIGHT_INIT = ClassName.get(RUNTIME, "WeightInit");

    /** The two ways a sequence can arrive. */
    private enum Input { DENSE, TOKENS }

    /** The two ways targets can arrive. */
    private enum Target { DENSE, LABELS }

    private final NetworkPlan network;
    private final OutputPlan output;

    public NetworkEmitter(NetworkPlan network) {
        this.network = network;
        this.output = network.output();
    }

    /** The generated class, without the file-level concerns the source writer adds. */
    public TypeSpec.Builder emit() {
        ClassName self = ClassName.get(network.packageName(), network.className());
        ClassName implemented = ClassName.get(network.packageName(), network.interfaceNames().get(0),
                network.interfaceNames().subList(1, network.interfaceNames().size()).toArray(String[]::new));
        TypeSpec.Builder type = TypeSpec.classBuilder(self)
                .addModifiers(PUBLIC, FINAL)
                .addSuperinterface(implemented)
                .addJavadoc(classJavadoc(implemented));
        type.addFields(constants());
        type.addFields(stateFields());
        type.addMethod(constructor());
        type.addMethods(accessors());
        for (Input input : Input.values()) {
            type.addMethod(forward(input));
        }
        for (Input input : Input.values()) {
            for (Target target : Target.values()) {
                type.addMethod(backward(input, target));
            }
        }
        for (Input input : Input.values()) {
            for (Target target : Target.values()) {
                type.addMethod(loss(input, target));
            }
        }
        type.addMethod(toStringMethod());
        type.addMethod(reserve());
        type.addMethod(unroll());
        type.addMethod(backpropagate());
        LayerPlan below = null;
        for (LayerPlan layer : network.layers()) {
            type.addMethods(new SimpleCellEmitter(layer, below, hasGradientFromAbove(layer)).methods());
            below = layer;
        }
        type.addMethods(new OutputEmitter(network).methods());
        type.addMethods(new LossEmitter(network).methods());
        if (OutputEmitter.needsLogSumExp(network)) {
            type.addMethod(OutputEmitter.logSumExp(output));
        }
        if (needsSigmoid()) {
            type.addMethod(OutputEmitter.sigmoid());
        }
        return type;
    }

    private boolean needsSigmoid() {
        return network.loss() == Loss.BINARY_CROSS_ENTROPY
                || network.layers().stream().anyMatch(l -> l.activation() == Activation.SIGMOID);
    }

    private CodeBlock classJavadoc(ClassName implemented) {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("{@link $T} compiled by Unfold: $L parameters, loss $L, $L.\n\n", implemented,
                        network.parameterCount(), network.loss(), mappingWords())
                .add("<pre>\n");
        for (LayerPlan layer : network.layers()) {
            doc.add("$L: h_t = $L(W_hh h_{t−1} + W_ih x_t + b)   $L → $L\n", layer.name(),
                    ActivationCode.symbol(layer.activation()), layer.inputWidth(), layer.hidden());
        }
        doc.add("out: o_t = V h_t + c, ŷ_t = $L   $L → $L\n", outputActivationWords(), network.topLayer().hidden(),
                        output.size())
                .add("</pre>\n\n")
                .add("W_ih, W_hh, b, V and c are seed 003's W_ax, W_aa, b_a, W_ya and b_y (U, W, V in seeds 000–002).\n")
                .add("Not thread-safe; buffers grow only when a sequence is longer than any before.\n");
        return doc.build();
    }

    private String mappingWords() {
        return network.mapping() == Mapping.MANY_TO_MANY ? "one output per step" : "one output per sequence";
    }

    private String outputActivationWords() {
        return switch (network.loss()) {
            case MSE -> "o_t";
            case CROSS_ENTROPY -> "softmax(o_t)";
            case BINARY_CROSS_ENTROPY -> "sigmoid(o_t)";
        };
    }

    private List<FieldSpec> constants() {
        List<FieldSpec> constants = new ArrayList<>();
        constants.add(constant(NetworkPlan.INPUT_CONSTANT, network.input(), "Width of x_t: the network's input."));
        for (LayerPlan layer : network.layers()) {
            constants.add(constant(layer.hiddenConstant(), layer.hidden(), "Size of h_t in " + layer.name() + "."));
        }
        constants.add(constant(output.sizeConstant(), output.size(), "Width of ŷ_t: the network's output."));
        CodeBlock.Builder formula = CodeBlock.builder();
        for (ParameterPlan parameter : network.parameters()) {
            formula.add("$L $L × $L\n", parameter.name(), parameter.rows(), parameter.columns());
        }
        constants.add(FieldSpec.builder(int.class, "PARAMETER_COUNT", PRIVATE, STATIC, FINAL)
                .addJavadoc("Trainable scalars:\n<pre>\n$L</pre>\n", formula.build())
                .initializer("$L", network.parameterCount())
                .build());
        return constants;
    }

    private static FieldSpec constant(String name, int value, String doc) {
        return FieldSpec.builder(int.class, name, PRIVATE, STATIC, FINAL)
                .addJavadoc("$L\n", doc)
                .initializer("$L", value)
                .build();
    }

    private List<FieldSpec> stateFields() {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(FieldSpec.builder(PARAMETERS, "parameters", PRIVATE, FINAL).build());
        for (LayerPlan layer : network.layers()) {
            fields.add(FieldSpec.builder(LAYER, layer.buffers().layerField(), PRIVATE, FINAL).build());
        }
        for (ParameterPlan parameter : network.parameters()) {
            fields.add(FieldSpec.builder(double[].class, parameter.valueField(), PRIVATE, FINAL)
                    .addJavadoc("$L, $L: $L × $L, row-major; aliases the parameter's value.\n", parameter.name(),
                            parameter.symbol(), parameter.rowsConstant(), parameter.columnsConstant())
                    .build());
            fields.add(FieldSpec.builder(double[].class, parameter.gradientField(), PRIVATE, FINAL)
                    .addJavadoc("∂L/∂$L, accumulated by backward.\n", parameter.symbol())
                    .build());
        }
        fields.add(FieldSpec.builder(int.class, "capacity", PRIVATE)
                .addJavadoc("Steps the per-step buffers below can hold; reserve grows them.\n")
                .build());
        for (LayerPlan layer : network.layers()) {
            LayerPlan.Buffers buffers = layer.buffers();
            fields.add(stepBuffer(buffers.h(), "h_t of " + layer.name() + " in row t; row 0 is h_0 = 0."));
            fields.add(stepBuffer(buffers.du(), "δu_t = ∂L/∂u_t of " + layer.name() + " in row t."));
            if (hasGradientFromAbove(layer)) {
                fields.add(stepBuffer(buffers.dhAbove(),
                        "∂L/∂h_t of " + layer.name() + " from the layer or output above, in row t."));
            }
            fields.add(FieldSpec.builder(double[].class, buffers.dhNext(), PRIVATE, FINAL)
                    .addJavadoc("W_hhᵀ δu_{t+1}: the gradient h_t of $L receives from step t + 1.\n", layer.name())
                    .initializer("new double[$N]", layer.hiddenConstant())
                    .build());
        }
        if (network.mapping() == Mapping.MANY_TO_MANY) {
            fields.add(stepBuffer(output.logits(), "o_t = V h_t + c in row t."));
            fields.add(stepBuffer(output.delta(), "δy_t = ∂L/∂o_t in row t."));
        } else {
            fields.add(FieldSpec.builder(double[].class, output.logits(), PRIVATE, FINAL)
                    .addJavadoc("o = V h_T + c.\n")
                    .initializer("new double[$N]", output.sizeConstant())
                    .build());
            fields.add(FieldSpec.builder(double[].class, output.delta(), PRIVATE, FINAL)
                    .addJavadoc("δy = ∂L/∂o.\n")
                    .initializer("new double[$N]", output.sizeConstant())
                    .build());
        }
        return fields;
    }

    /**
     * Whether ∂L/∂h_t reaches the layer from above at every step: always, but for the top layer
     * of a many-to-one network, whose only gradient from above arrives at t = T.
     */
    private boolean hasGradientFromAbove(LayerPlan layer) {
        return layer != network.topLayer() || network.mapping() == Mapping.MANY_TO_MANY;
    }

    private static FieldSpec stepBuffer(String name, String doc) {
        return FieldSpec.builder(double[].class, name, PRIVATE).addJavadoc("$L\n", doc).build();
    }

    private MethodSpec constructor() {
        CodeBlock.Builder parameterList = CodeBlock.builder();
        List<ParameterPlan> parameters = network.parameters();
        for (int p = 0; p < parameters.size(); p++) {
            ParameterPlan parameter = parameters.get(p);
            parameterList.add("\nnew $T($S, $N, $L)$L", PARAMETER, parameter.name(), parameter.rowsConstant(),
                    parameter.columnsConstant(), p < parameters.size() - 1 ? "," : "");
        }
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(PUBLIC)
                .addJavadoc("A network with weights drawn from {@code seed}: the same seed gives the same weights.\n")
                .addParameter(long.class, "seed")
                .addStatement("parameters = new $T($T.of($L))", PARAMETERS, List.class, parameterList.build())
                .addCode("// PyTorch's initialisation: U(−1/√H, 1/√H) for recurrent weights and biases, U(−1/√fan_in, 1/√fan_in)\n")
                .addCode("// for the output projection; drawn in the order above\n")
                .addStatement("$T random = new $T(seed)", Random.class, Random.class);
        for (ParameterPlan parameter : parameters) {
            constructor.addStatement("$T.uniform(parameters.get($S), 1 / $T.sqrt($N), random)", WEIGHT_INIT,
                    parameter.name(), Math.class, parameter.initFanConstant());
        }
        for (ParameterPlan parameter : parameters) {
            constructor.addStatement("$N = parameters.get($S).value().data", parameter.valueField(), parameter.name());
            constructor.addStatement("$N = parameters.get($S).gradient().data", parameter.gradientField(),
                    parameter.name());
        }
        for (LayerPlan layer : network.layers()) {
            constructor.addStatement("$N = $T.of($S, $N, $N, $T.$L, parameters.withPrefix($S))",
                    layer.buffers().layerField(), LAYER, layer.name(), layer.inputConstant(), layer.hiddenConstant(),
                    Activation.class, layer.activation().name(), layer.name() + ".");
        }
        return constructor.build();
    }

    private List<MethodSpec> accessors() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(override("inputSize", TypeName.INT).addStatement("return $N", NetworkPlan.INPUT_CONSTANT).build());
        methods.add(override("outputSize", TypeName.INT).addStatement("return $N", output.sizeConstant()).build());
        methods.add(override("mapping", ClassName.get(Mapping.class))
                .addStatement("return $T.$L", Mapping.class, network.mapping().name()).build());
        methods.add(override("parameterCount", TypeName.INT).addStatement("return PARAMETER_COUNT").build());
        methods.add(override("parameters", PARAMETERS).addStatement("return parameters").build());
        for (LayerPlan layer : network.layers()) {
            methods.add(override(layer.name(), LAYER).addStatement("return $N", layer.buffers().layerField()).build());
        }
        return methods;
    }

    private MethodSpec forward(Input input) {
        MethodSpec.Builder method = override("forward", TypeName.VOID);
        addInputParameter(method, input);
        method.addParameter(double[][].class, "ys");
        checkInput(method, input);
        method.addStatement("$T.outputs(ys, $L, $N)", CHECKS, outputRows(), output.sizeConstant());
        runForward(method, input);
        return method.addStatement("predict(ys, steps)").build();
    }

    private MethodSpec backward(Input input, Target target) {
        MethodSpec.Builder method = override("backward", TypeName.DOUBLE);
        addInputParameter(method, input);
        addTargetParameter(method, target);
        if (target == Target.LABELS && !LossEmitter.supportsLabels(network.loss())) {
            return rejectLabels(method);
        }
        checkInput(method, input);
        checkTarget(method, target);
        runForward(method, input);
        method.addStatement("double loss = lossAndDelta($L, steps)", target == Target.DENSE ? "targets" : "labels")
                .addStatement("backpropagate(steps)");
        LayerPlan first = network.layers().get(0);
        if (input == Input.DENSE) {
            method.addStatement("$N(xs, steps)", first.methods().inputGradients());
        } else {
            method.addStatement("$N(tokens, steps)", first.methods().inputGradientsFromTokens());
        }
        return method.addStatement("return loss").build();
    }

    private MethodSpec loss(Input input, Target target) {
        MethodSpec.Builder method = override("loss", TypeName.DOUBLE);
        addInputParameter(method, input);
        addTargetParameter(method, target);
        if (target == Target.LABELS && !LossEmitter.supportsLabels(network.loss())) {
            return rejectLabels(method);
        }
        checkInput(method, input);
        checkTarget(method, target);
        runForward(method, input);
        return method.addStatement("return lossAndDelta($L, steps)", target == Target.DENSE ? "targets" : "labels")
                .build();
    }

    private MethodSpec rejectLabels(MethodSpec.Builder method) {
        return method.addStatement("throw new $T($S)", UnsupportedOperationException.class,
                        "class labels need loss = CROSS_ENTROPY, but this network is trained with "
                                + network.loss() + ": pass the targets as double[][]")
                .build();
    }

    private static void addInputParameter(MethodSpec.Builder method, Input input) {
        if (input == Input.DENSE) {
            method.addParameter(double[][].class, "xs");
        } else {
            method.addParameter(int[].class, "tokens");
        }
    }

    private static void addTargetParameter(MethodSpec.Builder method, Target target) {
        if (target == Target.DENSE) {
            method.addParameter(double[][].class, "targets");
        } else {
            method.addParameter(int[].class, "labels");
        }
    }

    private static void checkInput(MethodSpec.Builder method, Input input) {
        if (input == Input.DENSE) {
            method.addStatement("int steps = $T.sequence(xs, $N)", CHECKS, NetworkPlan.INPUT_CONSTANT);
        } else {
            method.addStatement("int steps = $T.tokens(tokens, $N)", CHECKS, NetworkPlan.INPUT_CONSTANT);
        }
    }

    private void checkTarget(MethodSpec.Builder method, Target target) {
        if (target == Target.DENSE) {
            method.addStatement("$T.targets(targets, $L, $N)", CHECKS, outputRows(), output.sizeConstant());
        } else {
            method.addStatement("$T.labels(labels, $L, $N)", CHECKS, outputRows(), output.sizeConstant());
        }
    }

    /** The forward pass after the checks: buffers, the first layer's input projection, the rest. */
    private void runForward(MethodSpec.Builder method, Input input) {
        LayerPlan first = network.layers().get(0);
        method.addStatement("reserve(steps)");
        if (input == Input.DENSE) {
            method.addStatement("$N(xs, steps)", first.methods().projectInputs());
        } else {
            method.addStatement("$N(tokens, steps)", first.methods().projectTokens());
        }
        method.addStatement("unroll(steps)");
    }

    private String outputRows() {
        return network.mapping() == Mapping.MANY_TO_MANY ? "steps" : "1";
    }

    private MethodSpec toStringMethod() {
        StringBuilder text = new StringBuilder(network.className()).append(": input ").append(network.input());
        for (LayerPlan layer : network.layers()) {
            text.append(" → ").append(layer.name()).append(' ').append(ActivationCode.symbol(layer.activation()))
                    .append(' ').append(layer.hidden());
        }
        text.append(" → output ").append(output.size()).append(", ").append(network.loss()).append(", ")
                .append(network.mapping()).append(", ").append(network.parameterCount()).append(" parameters");
        return override("toString", ClassName.get(String.class)).addStatement("return $S", text).build();
    }

    private MethodSpec reserve() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("reserve")
                .addModifiers(PRIVATE)
                .addJavadoc("Grows the per-step buffers to hold {@code steps} steps (plus row 0); allocates only\n"
                        + "for a sequence longer than any before.\n")
                .addParameter(int.class, "steps")
                .beginControlFlow("if (steps <= capacity)")
                .addStatement("return")
                .endControlFlow();
        for (LayerPlan layer : network.layers()) {
            LayerPlan.Buffers buffers = layer.buffers();
            allocate(method, buffers.h(), layer.hiddenConstant());
            allocate(method, buffers.du(), layer.hiddenConstant());
            if (hasGradientFromAbove(layer)) {
                allocate(method, buffers.dhAbove(), layer.hiddenConstant());
            }
        }
        if (network.mapping() == Mapping.MANY_TO_MANY) {
            allocate(method, output.logits(), output.sizeConstant());
            allocate(method, output.delta(), output.sizeConstant());
        }
        return method.addStatement("capacity = steps").build();
    }

    private static void allocate(MethodSpec.Builder method, String buffer, String width) {
        method.addStatement("$N = new double[$T.bufferLength(steps, $N)]", buffer, CHECKS, width);
    }

    private MethodSpec unroll() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("unroll")
                .addModifiers(PRIVATE)
                .addJavadoc("The forward pass once the first layer's inputs are projected: every recurrence\n"
                        + "bottom-up, then the output logits.\n")
                .addParameter(int.class, "steps");
        for (LayerPlan layer : network.layers()) {
            if (!layer.readsNetworkInput()) {
                method.addStatement("$N(steps)", layer.methods().projectInputs());
            }
            method.addStatement("$N(steps)", layer.methods().recur());
        }
        return method.addStatement("outputLogits(steps)").build();
    }

    private MethodSpec backpropagate() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("backpropagate")
                .addModifiers(PRIVATE)
                .addJavadoc("BPTT from the output down to the first layer, adding every gradient but the first\n"
                        + "layer's ∂L/∂W_ih, which depends on how the input arrived.\n")
                .addParameter(int.class, "steps")
                .addStatement("outputGradients(steps)");
        for (int k = network.layers().size() - 1; k >= 0; k--) {
            LayerPlan layer = network.layers().get(k);
            method.addStatement("$N(steps)", layer.methods().backward());
            method.addStatement("$N(steps)", layer.methods().recurrentGradients());
            if (!layer.readsNetworkInput()) {
                method.addStatement("$N(steps)", layer.methods().inputGradients());
            }
        }
        return method.build();
    }

    private static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(PUBLIC).returns(returns);
    }
}
