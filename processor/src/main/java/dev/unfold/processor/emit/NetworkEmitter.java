package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.CHECKS;
import static dev.unfold.processor.declaration.RuntimeTypes.KERNELS;
import static dev.unfold.processor.declaration.RuntimeTypes.LAYER;
import static dev.unfold.processor.declaration.RuntimeTypes.PARAMETER;
import static dev.unfold.processor.declaration.RuntimeTypes.PARAMETERS;
import static dev.unfold.processor.declaration.RuntimeTypes.WEIGHT_INIT;
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
import com.palantir.javapoet.ParameterizedTypeName;
import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Mapping;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import dev.unfold.processor.plan.ParameterPlan;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Assembles the generated class: constants, parameter arrays, per-step buffers, the constructor,
 * and the public {@code SequenceModel} methods that call the layer, output and loss code in order.
 */
public final class NetworkEmitter {

    /** The two ways a sequence can arrive. */
    enum Input { DENSE, TOKENS }

    /** The two ways targets can arrive. */
    enum Target { DENSE, LABELS }

    private final NetworkPlan network;
    private final FeedbackEmitter feedback;
    private final OutputPlan output;
    private final Scalar scalar;

    public NetworkEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.feedback = new FeedbackEmitter(network);
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
        StreamingEmitter streaming = new StreamingEmitter(network);
        type.addFields(constants());
        type.addFields(streaming.constants());
        type.addFields(stateFields());
        type.addFields(streaming.fields());
        ContextEmitter context = new ContextEmitter(network);
        type.addFields(context.fields());
        type.addFields(feedback.fields());
        if (network.has(Capability.TRACEABLE)) {
            type.addFields(StateGradientTraceEmitter.fields(scalar));
        }
        BatchNetworkEmitter batched = new BatchNetworkEmitter(network);
        type.addFields(batched.fields());
        type.addMethod(constructor());
        type.addMethods(accessors());
        for (Input input : Input.values()) {
            type.addMethod(forward(input));
        }
        for (Input input : Input.values()) {
            for (Target target : targets()) {
                type.addMethod(backward(input, target));
            }
        }
        for (Input input : Input.values()) {
            for (Target target : targets()) {
                type.addMethod(loss(input, target));
            }
        }
        if (network.has(Capability.ENCODER)) {
            for (Input input : Input.values()) {
                type.addMethod(backwardFromState(input));
            }
        }
        type.addMethod(toStringMethod());
        type.addMethod(reserve());
        List<LayerEmitter> layerEmitters = layerEmitters();
        type.addMethods(streaming.methods(layerEmitters));
        type.addMethods(context.methods());
        type.addMethods(feedback.methods());
        if (network.has(Capability.TRACEABLE)) {
            type.addMethods(StateGradientTraceEmitter.methods(scalar));
        }
        type.addMethod(unroll(layerEmitters, streaming.streams()));
        type.addMethod(advance(streaming.streams()));
        type.addMethod(backpropagate(layerEmitters));
        if (network.has(Capability.ENCODER)) {
            type.addMethod(streaming.backpropagateFromState(layerEmitters));
        }
        for (LayerEmitter layer : layerEmitters) {
            type.addMethods(layer.methods());
        }
        type.addMethods(new OutputEmitter(network).methods());
        type.addMethods(new LossEmitter(network).methods());
        type.addMethods(batched.methods());
        return type;
    }

    private CodeBlock classJavadoc(ClassName implemented) {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("{@link $T} compiled by Unfold: $L parameters, loss $L, $L.\n\n", implemented,
                        network.parameterCount(), network.loss(), mappingWords())
                .add("<pre>\n");
        for (LayerPlan layer : network.layers()) {
            doc.add("$L: $L   $L → $L\n", layer.name(), layerWords(layer), layer.inputWidth(), layer.width());
        }
        doc.add("out: o_t = V h_t + c, ŷ_t = $L   $L → $L\n", outputActivationWords(), network.topLayer().width(),
                        output.size())
                .add("</pre>\n\n")
                .add("The comments cite equations.md (n): the numbered equations in Unfold's docs/equations.md, whose\n"
                        + "symbols they use (W_ih, W_hh, b for a layer; V, c for the output; δz for ∂L/∂z).\n")
                .add(network.feedsBackOutput() ? "W_oh reads the previous output (equations.md (8.1), (8.2)): the"
                        + " target y_{t−1}\nin backward and loss (teacher forcing), the prediction ŷ_{t−1} in"
                        + " forward and step.\n" : "")
                .add("Not thread-safe; buffers grow only when a sequence is longer than any before.\n");
        return doc.build();
    }

    private static String layerWords(LayerPlan layer) {
        String cell = !layer.cell().isGated()
                ? "h_t = " + ActivationCode.symbol(layer.activation()) + "(" + switch (layer.recurrence()) {
                    case HIDDEN -> "W_hh h_{t−1}";
                    case OUTPUT -> "W_oh y_{t−1}";
                    case HIDDEN_AND_OUTPUT -> "W_hh h_{t−1} + W_oh y_{t−1}";
                } + " + W_ih x_t + b)"
                : layer.cell().name() + ", gates " + layer.cell().gateNames();
        if (layer.cell().isGated() && layer.readsOutput()) {
            return cell + ", reading W_oh y_{t−1} too";
        }
        return layer.isBidirectional() ? cell + ", both directions: [h_t ; g_t]" : cell;
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
        constants.add(constant(NetworkPlan.INPUT_CONSTANT, CodeBlock.of("$L", network.input()),
                "Width of x_t: the network's input."));
        for (LayerPlan layer : network.layers()) {
            constants.add(constant(layer.hiddenConstant(), CodeBlock.of("$L", layer.hidden()),
                    "Size of h_t in " + layer.name() + "."));
            if (layer.cell().isGated()) {
                constants.add(constant(layer.gateRowsConstant(), CodeBlock.of("$L * $N", layer.cell().gateCount(),
                        layer.hiddenConstant()), "Rows of " + layer.name() + "'s stacked gates ("
                        + layer.cell().gateNames() + ")."));
            }
            if (layer.isBidirectional()) {
                constants.add(constant(layer.widthConstant(), CodeBlock.of("2 * $N", layer.hiddenConstant()),
                        "Width of " + layer.name() + "'s output [h_t ; g_t]."));
            }
        }
        constants.add(constant(output.sizeConstant(), CodeBlock.of("$L", output.size()),
                "Width of ŷ_t: the network's output."));
        CodeBlock.Builder formula = CodeBlock.builder();
        for (ParameterPlan parameter : network.parameters()) {
            if (parameter.vector()) {
                formula.add("$L [$L]\n", parameter.name(), parameter.rows());
            } else {
                formula.add("$L $L × $L\n", parameter.name(), parameter.rows(), parameter.columns());
            }
        }
        constants.add(FieldSpec.builder(int.class, "PARAMETER_COUNT", PRIVATE, STATIC, FINAL)
                .addJavadoc("Trainable scalars:\n<pre>\n$L</pre>\n", formula.build())
                .initializer("$L", network.parameterCount())
                .build());
        return constants;
    }

    private static FieldSpec constant(String name, CodeBlock value, String doc) {
        return FieldSpec.builder(int.class, name, PRIVATE, STATIC, FINAL)
                .addJavadoc("$L\n", doc)
                .initializer(value)
                .build();
    }

    private List<FieldSpec> stateFields() {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(FieldSpec.builder(PARAMETERS, "parameters", PRIVATE, FINAL).build());
        fields.add(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), LAYER), "layers", PRIVATE, FINAL)
                .build());
        for (LayerPlan layer : network.layers()) {
            fields.add(FieldSpec.builder(LAYER, layer.layerField(), PRIVATE, FINAL).build());
        }
        for (ParameterPlan parameter : network.parameters()) {
            fields.add(FieldSpec.builder(scalar.array(1), parameter.valueField(), PRIVATE, FINAL)
                    .addJavadoc(parameter.vector()
                            ? CodeBlock.of("$L, $L: [$L]; aliases the parameter's value.\n", parameter.name(),
                                    parameter.symbol(), parameter.rowsConstant())
                            : CodeBlock.of("$L, $L: $L × $L, row-major; aliases the parameter's value.\n",
                                    parameter.name(), parameter.symbol(), parameter.rowsConstant(),
                                    parameter.columnsConstant()))
                    .build());
            fields.add(FieldSpec.builder(scalar.array(1), parameter.gradientField(), PRIVATE, FINAL)
                    .addJavadoc("∂L/∂$L, accumulated by backward.\n", parameter.symbol())
                    .build());
        }
        fields.add(FieldSpec.builder(int.class, "capacity", PRIVATE)
                .addJavadoc("Steps the per-step buffers below can hold; reserve grows them.\n")
                .build());
        for (StepBuffer buffer : stepBuffers()) {
            fields.add(FieldSpec.builder(scalar.array(1), buffer.name(), PRIVATE).addJavadoc("$L\n", buffer.doc()).build());
        }
        for (LayerPlan layer : network.layers()) {
            if (!layer.readsNetworkInput()) {
                fields.add(FieldSpec.builder(scalar.array(1), layer.input(), PRIVATE, FINAL)
                        .addJavadoc("x_t of $L at one step of its gradients, in an array of its own.\n", layer.name())
                        .initializer("new $T[$N]", scalar.type(), layer.inputConstant())
                        .build());
                fields.add(FieldSpec.builder(scalar.array(1), layer.inputGradient(), PRIVATE, FINAL)
                        .addJavadoc("∂L/∂x_t of $L at one step, while its directions add to it.\n", layer.name())
                        .initializer("new $T[$N]", scalar.type(), layer.inputConstant())
                        .build());
            }
            for (DirectionPlan direction : layer.directions()) {
                String of = layer.isBidirectional() ? " (" + direction.label() + ")" : "";
                if (layer.readsPreviousState()) {
                    fields.add(FieldSpec.builder(scalar.array(2), direction.weightHhColumns(), PRIVATE, FINAL)
                            .addJavadoc("W_hh of $L$L by columns, copied at each forward pass: see $T.addMatrixVector.\n",
                                    layer.name(), of, KERNELS)
                            .initializer("new $T[$N][$N]", scalar.type(), layer.hiddenConstant(), layer.gateRowsConstant())
                            .build());
                }
                fields.add(FieldSpec.builder(scalar.array(1), direction.sums(), PRIVATE, FINAL)
                        .addJavadoc("The sums one step of the recurrence of $L$L accumulates.\n", layer.name(), of)
                        .initializer("new $T[$N]", scalar.type(), layer.gateRowsConstant())
                        .build());
                fields.add(FieldSpec.builder(scalar.array(2), direction.weightIhColumns(), PRIVATE, FINAL)
                        .addJavadoc("W_ih of $L$L by columns, copied at each forward pass: see $T.addMatrixVector.\n",
                                layer.name(), of, KERNELS)
                        .initializer("new $T[$N][$N]", scalar.type(), layer.inputConstant(), layer.gateRowsConstant())
                        .build());
                fields.add(FieldSpec.builder(scalar.array(1), direction.weightIhCopied(), PRIVATE, FINAL)
                        .addJavadoc("The values of W_ih of $L$L its columns were last copied from.\n", layer.name(), of)
                        .initializer("new $T[$N * $N]", scalar.type(), layer.gateRowsConstant(), layer.inputConstant())
                        .build());
                if (layer.readsPreviousState()) {
                    fields.add(FieldSpec.builder(scalar.array(1), direction.weightHhCopied(), PRIVATE, FINAL)
                            .addJavadoc("The values of W_hh of $L$L its columns were last copied from.\n", layer.name(), of)
                            .initializer("new $T[$N * $N]", scalar.type(), layer.gateRowsConstant(), layer.hiddenConstant())
                            .build());
                }
                fields.add(FieldSpec.builder(scalar.array(2), direction.weightIhGradientRows(), PRIVATE, FINAL)
                        .addJavadoc("∂L/∂W_ih of $L$L by rows while a backward pass sums it; zero between calls.\n",
                                layer.name(), of)
                        .initializer("new $T[$N][$N]", scalar.type(), layer.gateRowsConstant(), layer.inputConstant())
                        .build());
                if (!layer.readsNetworkInput()) {
                    fields.add(FieldSpec.builder(scalar.array(2), direction.weightIhRows(), PRIVATE, FINAL)
                            .addJavadoc("W_ih of $L$L by rows, copied at each backward pass: see $T.addScaled.\n",
                                    layer.name(), of, KERNELS)
                            .initializer("new $T[$N][$N]", scalar.type(), layer.gateRowsConstant(), layer.inputConstant())
                            .build());
                }
                if (layer.readsPreviousState()) {
                    fields.add(FieldSpec.builder(scalar.array(2), direction.weightHhRows(), PRIVATE, FINAL)
                            .addJavadoc("W_hh of $L$L by rows, copied at each backward pass: see $T.addScaled.\n",
                                    layer.name(), of, KERNELS)
                            .initializer("new $T[$N][$N]", scalar.type(), layer.gateRowsConstant(), layer.hiddenConstant())
                            .build());
                    fields.add(FieldSpec.builder(scalar.array(2), direction.weightHhGradientRows(), PRIVATE, FINAL)
                            .addJavadoc("∂L/∂W_hh of $L$L by rows while BPTT sums it; zero between calls.\n",
                                    layer.name(), of)
                            .initializer("new $T[$N][$N]", scalar.type(), layer.gateRowsConstant(), layer.hiddenConstant())
                            .build());
                }
                fields.add(FieldSpec.builder(scalar.array(1), direction.dhNext(), PRIVATE, FINAL)
                        .addJavadoc("During BPTT: the gradient the previous state of $L$L receives from the current step.\n",
                                layer.name(), of)
                        .initializer("new $T[$N]", scalar.type(), layer.hiddenConstant())
                        .build());
                for (StatePlan state : direction.innerStates()) {
                    fields.add(FieldSpec.builder(scalar.array(1), state.gradient(), PRIVATE, FINAL)
                            .addJavadoc("During BPTT: $L of $L$L receives.\n", state.state().gradientInWords(),
                                    layer.name(), of)
                            .initializer("new $T[$N]", scalar.type(), state.sizeConstant())
                            .build());
                }
            }
        }
        LayerPlan topLayer = network.topLayer();
        fields.add(FieldSpec.builder(scalar.array(2), output.weightColumns(), PRIVATE, FINAL)
                .addJavadoc("V by columns, copied at each forward pass: see $T.addMatrixVector.\n", KERNELS)
                .initializer("new $T[$N][$N]", scalar.type(), topLayer.widthConstant(), output.sizeConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(1), output.weightCopied(), PRIVATE, FINAL)
                .addJavadoc("The values of V its columns were last copied from.\n")
                .initializer("new $T[$N * $N]", scalar.type(), output.sizeConstant(), topLayer.widthConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(2), output.weightRows(), PRIVATE, FINAL)
                .addJavadoc("V by rows, copied at each backward pass: see $T.addScaled.\n", KERNELS)
                .initializer("new $T[$N][$N]", scalar.type(), output.sizeConstant(), topLayer.widthConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(2), output.weightGradientRows(), PRIVATE, FINAL)
                .addJavadoc("∂L/∂V by rows while a backward pass sums it; zero between calls.\n")
                .initializer("new $T[$N][$N]", scalar.type(), output.sizeConstant(), topLayer.widthConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(1), output.input(), PRIVATE, FINAL)
                .addJavadoc("What the output reads at one step, in an array of its own.\n")
                .initializer("new $T[$N]", scalar.type(), topLayer.widthConstant())
                .build());
        fields.add(FieldSpec.builder(scalar.array(1), output.scratch(), PRIVATE, FINAL)
                .addJavadoc("Sums at one step: the logits, then the gradient of what the output reads.\n")
                .initializer("new $T[$T.max($N, $N)]", scalar.type(), Math.class, output.sizeConstant(), topLayer.widthConstant())
                .build());
        if (network.mapping() == Mapping.MANY_TO_ONE) {
            LayerPlan top = network.topLayer();
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

    private List<LayerEmitter> layerEmitters() {
        List<LayerEmitter> emitters = new ArrayList<>();
        LayerPlan below = null;
        for (LayerPlan layer : network.layers()) {
            String summaryGradient = hasGradientFromAbove(layer) ? null : output.summaryGradient();
            emitters.add(new LayerEmitter(layer, below, scalar, hasGradientFromAbove(layer), summaryGradient,
                    network.helpers(), network.has(Capability.TRACEABLE)));
            below = layer;
        }
        return emitters;
    }

    private boolean hasGradientFromAbove(LayerPlan layer) {
        return layer != network.topLayer() || network.mapping() == Mapping.MANY_TO_MANY;
    }

    /** A buffer with a row per step, rows 0..T+1, grown by reserve. */
    private record StepBuffer(String name, String width, String doc) {}

    /** Every per-step buffer, in one list so that the fields and reserve cannot disagree. */
    private List<StepBuffer> stepBuffers() {
        List<StepBuffer> buffers = new ArrayList<>();
        for (LayerPlan layer : network.layers()) {
            buffers.add(new StepBuffer(layer.states(), layer.widthConstant(), layer.isBidirectional()
                    ? "Row t: [h_t ; g_t] of " + layer.name() + "; h_0 in row 0, g_{T+1} in row T + 1, both 0."
                    : "Row t: h_t of " + layer.name() + "; row 0 is h_0 = 0."));
            if (hasGradientFromAbove(layer)) {
                buffers.add(new StepBuffer(layer.statesGradient(), layer.widthConstant(),
                        "Row t: ∂L/∂(row t of " + layer.states() + ") from the layer or output above."));
            }
            for (DirectionPlan direction : layer.directions()) {
                String of = layer.isBidirectional() ? " (" + direction.label() + ")" : "";
                if (direction.preactivations() != null) {
                    buffers.add(new StepBuffer(direction.preactivations(), layer.gateRowsConstant(),
                            "Row t: the gates of " + layer.name() + of + ", pre-activations and then activations."));
                }
                for (StatePlan state : direction.innerStates()) {
                    buffers.add(new StepBuffer(state.steps(), state.rowWidth(),
                            "Row t: " + state.state().meaning() + " " + state.symbol() + "_t of " + layer.name() + of + "."));
                }
                if (direction.hiddenProducts() != null) {
                    buffers.add(new StepBuffer(direction.hiddenProducts(), layer.hiddenConstant(),
                            "Row t: W_hn h_prev + b_hn of " + layer.name() + of + "."));
                }
                buffers.add(new StepBuffer(direction.deltas(), layer.gateRowsConstant(), !layer.cell().isGated()
                        ? "Row t: δu_t = ∂L/∂u_t of " + layer.name() + of + "."
                        : "Row t: δa_t = ∂L/∂a_t at the gate pre-activations of " + layer.name() + of
                                + (direction.hasSeparateHiddenDeltas() ? ", input side." : ".")));
                if (direction.hasSeparateHiddenDeltas()) {
                    buffers.add(new StepBuffer(direction.hiddenDeltas(), layer.gateRowsConstant(),
                            "Row t: the same at the hidden side of " + layer.name() + of + ", where the n block is r ⊙ δn."));
                }
            }
        }
        if (network.mapping() == Mapping.MANY_TO_MANY) {
            buffers.add(new StepBuffer(output.logits(), output.sizeConstant(), "Row t: o_t = V h_t + c."));
            buffers.add(new StepBuffer(output.delta(), output.sizeConstant(), "Row t: δy_t = ∂L/∂o_t."));
        }
        return buffers;
    }

    private MethodSpec constructor() {
        CodeBlock.Builder parameterList = CodeBlock.builder();
        List<ParameterPlan> parameters = network.parameters();
        for (int p = 0; p < parameters.size(); p++) {
            ParameterPlan parameter = parameters.get(p);
            String separator = p < parameters.size() - 1 ? "," : "";
            if (parameter.vector()) {
                parameterList.add("\n$T.vector($S, $N)$L", PARAMETER, parameter.name(), parameter.rowsConstant(),
                        separator);
            } else {
                parameterList.add("\n$T.matrix($S, $N, $N)$L", PARAMETER, parameter.name(), parameter.rowsConstant(),
                        parameter.columnsConstant(), separator);
            }
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
        CodeBlock.Builder layerList = CodeBlock.builder();
        for (LayerPlan layer : network.layers()) {
            constructor.addStatement("$N = $T.of($S, $N, $N, $T.$L, $T.$L, $L, parameters.withPrefix($S))",
                    layer.layerField(), LAYER, layer.name(), layer.inputConstant(), layer.hiddenConstant(),
                    Cell.class, layer.cell().declared().name(), Activation.class, layer.activation().name(),
                    layer.isBidirectional(), layer.name() + ".");
            layerList.add(layerList.isEmpty() ? "$N" : ", $N", layer.layerField());
        }
        constructor.addStatement("layers = $T.of($L)", List.class, layerList.build());
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
        methods.add(override("layers", ParameterizedTypeName.get(ClassName.get(List.class), LAYER))
                .addStatement("return layers").build());
        for (LayerPlan layer : network.layers()) {
            methods.add(override(layer.name(), LAYER).addStatement("return $N", layer.layerField()).build());
        }
        return methods;
    }

    /** The targets the network takes: dense ones always, class labels when it is a Classifier. */
    private List<Target> targets() {
        return network.has(Capability.CLASSIFIER) ? List.of(Target.values()) : List.of(Target.DENSE);
    }

    private MethodSpec forward(Input input) {
        if (feedback.feedsBack()) {
            return feedback.forward(input);
        }
        MethodSpec.Builder method = override("forward", TypeName.VOID);
        addInputParameter(method, input);
        method.addParameter(scalar.array(2), "ys");
        checkInput(method, input);
        method.addStatement("$T.outputs(ys, $L, $N)", CHECKS, OutputEmitter.outputRows(network), output.sizeConstant());
        runForward(method, input);
        return method.addStatement("predict(ys, steps)").build();
    }

    private MethodSpec backward(Input input, Target target) {
        MethodSpec.Builder method = override("backward", Scalar.LOSS);
        addInputParameter(method, input);
        addTargetParameter(method, target);
        checkInput(method, input);
        checkTarget(method, target);
        method.addCode(feedback.prepare(input, target));
        runForward(method, input, feedback.feed(target, "fed"));
        method.addStatement("$T loss = lossAndDelta($L, steps)", Scalar.LOSS, target == Target.DENSE ? "targets" : "labels")
                .addStatement("backpropagate(steps)");
        LayerPlan first = network.layers().get(0);
        if (input == Input.DENSE) {
            method.addStatement("$N(xs, steps)", first.methods().inputGradients());
        } else {
            method.addStatement("$N(tokens, steps)", first.methods().inputGradientsFromTokens());
        }
        method.addCode(feedback.gradientsCall()).addCode(feedback.keepTargetCall(target));
        return method.addStatement("return loss").build();
    }

    /** An encoder's backward pass: forward over the sequence, then BPTT from ∂L/∂(final state). */
    private MethodSpec backwardFromState(Input input) {
        MethodSpec.Builder method = override("backwardFromState", TypeName.VOID);
        addInputParameter(method, input);
        method.addParameter(scalar.array(1), "gradient").addParameter(int.class, "offset");
        checkInput(method, input);
        method.addStatement("$T.finiteState($S, gradient, offset, $N)", CHECKS, "gradient",
                network.savedState().sizeConstant());
        runForward(method, input);
        method.addStatement("backpropagateFromState(steps, gradient, offset)");
        LayerPlan first = network.layers().get(0);
        if (input == Input.DENSE) {
            method.addStatement("$N(xs, steps)", first.methods().inputGradients());
        } else {
            method.addStatement("$N(tokens, steps)", first.methods().inputGradientsFromTokens());
        }
        return method.build();
    }

    private MethodSpec loss(Input input, Target target) {
        MethodSpec.Builder method = override("loss", Scalar.LOSS);
        addInputParameter(method, input);
        addTargetParameter(method, target);
        checkInput(method, input);
        checkTarget(method, target);
        runForward(method, input, feedback.feed(target, target == Target.DENSE ? "targets" : "labels"));
        if (!feedback.feedsBack()) {
            return method.addStatement("return lossAndDelta($L, steps)", target == Target.DENSE ? "targets" : "labels")
                    .build();
        }
        return method.addStatement("$T loss = lossAndDelta($L, steps)", Scalar.LOSS, target == Target.DENSE ? "targets" : "labels")
                .addCode(feedback.keepTargetCall(target))
                .addStatement("return loss")
                .build();
    }

    private void addInputParameter(MethodSpec.Builder method, Input input) {
        if (input == Input.DENSE) {
            method.addParameter(scalar.array(2), "xs");
        } else {
            method.addParameter(int[].class, "tokens");
        }
    }

    private void addTargetParameter(MethodSpec.Builder method, Target target) {
        if (target == Target.DENSE) {
            method.addParameter(scalar.array(2), "targets");
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
            method.addStatement("$T.targets(targets, $L, $N)", CHECKS, OutputEmitter.outputRows(network), output.sizeConstant());
        } else {
            method.addStatement("$T.labels(labels, $L, $N)", CHECKS, OutputEmitter.outputRows(network), output.sizeConstant());
        }
    }

    /** The forward pass after the checks: buffers, the first layer's input projection, the rest. */
    private void runForward(MethodSpec.Builder method, Input input) {
        runForward(method, input, CodeBlock.of(""));
    }

    /** The same, with {@code feed} adding to the first layer's projection before the recurrences run. */
    private void runForward(MethodSpec.Builder method, Input input, CodeBlock feed) {
        LayerPlan first = network.layers().get(0);
        method.addStatement("reserve(steps)");
        if (input == Input.DENSE) {
            method.addStatement("$N(xs, steps)", first.methods().projectInputs());
        } else {
            method.addStatement("$N(tokens, steps)", first.methods().projectTokens());
        }
        method.addCode(feed).addStatement("unroll(steps)");
    }


    private MethodSpec toStringMethod() {
        StringBuilder text = new StringBuilder(network.className()).append(": input ").append(network.input());
        for (LayerPlan layer : network.layers()) {
            text.append(" → ").append(layer.name()).append(' ')
                    .append(layer.isBidirectional() ? "bidirectional " : "")
                    .append(layer.cell().takesActivation() ? ActivationCode.symbol(layer.activation()) : layer.cell().name())
                    .append(' ').append(layer.width());
        }
        text.append(" → output ").append(output.size()).append(", ").append(network.loss()).append(", ")
                .append(network.mapping()).append(", ").append(network.parameterCount()).append(" parameters");
        return override("toString", ClassName.get(String.class)).addStatement("return $S", text).build();
    }

    private MethodSpec reserve() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("reserve")
                .addModifiers(PRIVATE)
                .addJavadoc("Grows the per-step buffers to hold {@code steps} steps (rows 1..T, plus the initial\n"
                        + "states' rows 0 and T + 1); allocates only for a sequence longer than any before.\n")
                .addParameter(int.class, "steps")
                .beginControlFlow("if (steps <= capacity)")
                .addStatement("return")
                .endControlFlow();
        for (StepBuffer buffer : stepBuffers()) {
            method.addStatement("$N = new $T[$T.bufferLength(steps, $N)]", buffer.name(), scalar.type(), CHECKS, buffer.width());
        }
        return method.addStatement("capacity = steps").build();
    }

    private MethodSpec unroll(List<LayerEmitter> layerEmitters, boolean streams) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("unroll")
                .addModifiers(PRIVATE)
                .addParameter(int.class, "steps");
        if (!streams) {
            method.addJavadoc("The forward pass over a sequence once the first layer's inputs are projected: every\n"
                    + "recurrence from a zero state, bottom-up, then the output logits.\n");
            for (LayerEmitter layer : layerEmitters) {
                method.addCode(layer.zeroInitialStates());
            }
            return method.addStatement("advance(steps)").build();
        }
        method.addJavadoc("The forward pass over a sequence once the first layer's inputs are projected: every\n"
                        + "recurrence bottom-up, then the output logits; from a zero state, or when stateful\n"
                        + "(truncated BPTT) from the state the previous call ended in, carrying this one's on.\n")
                .beginControlFlow("if ($N)", StreamingEmitter.STATEFUL)
                .addComment("no gradient flows into the carried state: that is the truncation")
                .addStatement("$N()", network.helpers().restoreCarriedState())
                .nextControlFlow("else");
        for (LayerEmitter layer : layerEmitters) {
            method.addCode(layer.zeroInitialStates());
        }
        return method.endControlFlow()
                .addStatement("advance(steps)")
                .beginControlFlow("if ($N)", StreamingEmitter.STATEFUL)
                .addStatement("carryState(steps)")
                .endControlFlow()
                .build();
    }

    private MethodSpec advance(boolean streams) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("advance")
                .addModifiers(PRIVATE)
                .addJavadoc("Every recurrence bottom-up from the initial states in place, then the output logits.\n")
                .addParameter(int.class, "steps");
        if (network.has(Capability.ENCODER)) {
            method.addStatement("$N = steps", StreamingEmitter.LAST_STEPS);   // where finalState reads
        }
        for (LayerPlan layer : network.layers()) {
            if (!layer.readsNetworkInput()) {
                method.addStatement("$N(steps)", layer.methods().projectInputs());
            }
            for (DirectionPlan direction : layer.directions()) {
                method.addStatement("$N(steps)", direction.recur());
            }
        }
        if (network.mapping() == Mapping.MANY_TO_ONE) {
            method.addStatement("summarise(steps)");
        }
        return method.addStatement("outputLogits(steps)").build();
    }

    private MethodSpec backpropagate(List<LayerEmitter> layerEmitters) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("backpropagate")
                .addModifiers(PRIVATE)
                .addJavadoc("BPTT from the output down to the first layer, adding every gradient but the first\n"
                        + "layer's ∂L/∂W_ih, which depends on how the input arrived.\n")
                .addParameter(int.class, "steps")
                .addStatement("outputGradients(steps)");
        addLayersTopDown(method, network, layerEmitters, LayerEmitter::backward);
        return method.build();
    }

    /**
     * Each layer from the top down: its BPTT ({@code bptt} says how it is seeded), its recurrent
     * gradients, and for every layer but the first its input gradients and what the layer below
     * receives.
     */
    static void addLayersTopDown(MethodSpec.Builder method, NetworkPlan network, List<LayerEmitter> layerEmitters,
                                 Function<LayerEmitter, CodeBlock> bptt) {
        for (int k = network.layers().size() - 1; k >= 0; k--) {
            LayerPlan layer = network.layers().get(k);
            method.addCode(bptt.apply(layerEmitters.get(k)));
            method.addStatement("$N(steps)", layer.methods().recurrentGradients());
            if (!layer.readsNetworkInput()) {
                method.addStatement("$N(steps)", layer.methods().inputGradients());
            }
        }
    }

    static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(PUBLIC).returns(returns);
    }
}
