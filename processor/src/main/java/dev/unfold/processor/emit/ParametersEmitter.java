package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.LAYER;
import static dev.unfold.processor.declaration.RuntimeTypes.PARAMETER;
import static dev.unfold.processor.declaration.RuntimeTypes.PARAMETERS;
import static dev.unfold.processor.declaration.RuntimeTypes.WEIGHT_INIT;
import static dev.unfold.processor.emit.NetworkEmitter.override;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.processor.plan.GeneratedNames.Constant;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import dev.unfold.processor.plan.ParameterPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The parameters part of the generated class: the sizes, the {@code Parameters} and each tensor's
 * value and gradient arrays, the {@code Layer} views, the constructor that draws the weights, and
 * the accessors {@code SequenceModel} declares.
 */
final class ParametersEmitter implements GeneratedPart {
    private final NetworkPlan network;
    private final OutputPlan output;
    /** The type the network computes in. */
    private final Scalar scalar;

    ParametersEmitter(NetworkPlan network) {
        this.network = network;
        this.output = network.output();
        this.scalar = network.scalar();
    }

    @Override
    public List<FieldSpec> constants() {
        List<FieldSpec> constants = new ArrayList<>();
        constants.add(constant(Constant.INPUT, CodeBlock.of("$L", network.input()),
                "Width of x_t: the network's input."));
        for (LayerPlan layer : network.layers()) {
            constants.add(constant(layer.hiddenConstant(), CodeBlock.of("$L", layer.hidden()), layer.projects()
                    ? "Units of " + layer.name() + ": the size of c_t, and of m_t = o_t ⊙ tanh(c_t)."
                    : "Size of h_t in " + layer.name() + "."));
            if (layer.projects()) {
                constants.add(constant(layer.stateConstant(), CodeBlock.of("$L", layer.stateSize()),
                        "Size of h_t = W_hr m_t in " + layer.name() + ", its projection."));
            }
            if (layer.cell().isGated()) {
                constants.add(constant(layer.gateRowsConstant(), CodeBlock.of("$L * $N", layer.cell().gateCount(),
                        layer.hiddenConstant()), "Rows of " + layer.name() + "'s stacked gates ("
                        + layer.cell().gateNames() + ")."));
            }
            if (layer.isBidirectional()) {
                constants.add(constant(layer.widthConstant(), CodeBlock.of("2 * $N", layer.stateConstant()),
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
        constants.add(FieldSpec.builder(int.class, Constant.PARAMETER_COUNT, PRIVATE, STATIC, FINAL)
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

    @Override
    public List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(FieldSpec.builder(PARAMETERS, Field.PARAMETERS, PRIVATE, FINAL).build());
        fields.add(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), LAYER), Field.LAYERS, PRIVATE, FINAL)
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
        return fields;
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(constructor());
        methods.addAll(accessors());
        return methods;
    }

    private MethodSpec constructor() {
        CodeBlock.Builder parameterList = CodeBlock.builder();
        List<ParameterPlan> parameters = network.parameters();
        for (int p = 0; p < parameters.size(); p++) {
            ParameterPlan parameter = parameters.get(p);
            String separator = p < parameters.size() - 1 ? "," : "";
            // a FLOAT64 parameter is the factories' default: its declaration reads as it always did
            CodeBlock precision = scalar.precision() == Precision.FLOAT64 ? CodeBlock.of("")
                    : CodeBlock.of(", $T.$L", Precision.class, scalar.precision().name());
            if (parameter.vector()) {
                parameterList.add("\n$T.vector($S, $N$L)$L", PARAMETER, parameter.name(), parameter.rowsConstant(),
                        precision, separator);
            } else {
                parameterList.add("\n$T.matrix($S, $N, $N$L)$L", PARAMETER, parameter.name(), parameter.rowsConstant(),
                        parameter.columnsConstant(), precision, separator);
            }
        }
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(PUBLIC)
                .addJavadoc("A network with weights drawn from {@code seed}: the same seed gives the same weights.\n")
                .addParameter(long.class, "seed")
                .addStatement("$N = new $T($T.of($L))", Field.PARAMETERS, PARAMETERS, List.class, parameterList.build())
                .addCode("// PyTorch's initialisation: U(−1/√H, 1/√H) for recurrent weights and biases, U(−1/√fan_in, 1/√fan_in)\n")
                .addCode("// for the output projection; drawn in the order above\n")
                .addStatement("$T random = new $T(seed)", Random.class, Random.class);
        for (ParameterPlan parameter : parameters) {
            constructor.addStatement("$T.uniform($N.get($S), 1 / $T.sqrt($N), random)", WEIGHT_INIT, Field.PARAMETERS,
                    parameter.name(), Math.class, parameter.initFanConstant());
        }
        for (ParameterPlan parameter : parameters) {
            constructor.addStatement("$N = $N.get($S).$L().data", parameter.valueField(), Field.PARAMETERS,
                    parameter.name(), scalar.valueMatrix());
            constructor.addStatement("$N = $N.get($S).$L().data", parameter.gradientField(), Field.PARAMETERS,
                    parameter.name(), scalar.gradientMatrix());
        }
        CodeBlock.Builder layerList = CodeBlock.builder();
        for (LayerPlan layer : network.layers()) {
            if (layer.projects()) {
                constructor.addStatement("$N = $T.projecting($S, $N, $N, $N, $L, $N.withPrefix($S))",
                        layer.layerField(), LAYER, layer.name(), layer.inputConstant(), layer.hiddenConstant(),
                        layer.stateConstant(), layer.isBidirectional(), Field.PARAMETERS, layer.name() + ".");
            } else {
                constructor.addStatement("$N = $T.of($S, $N, $N, $T.$L, $T.$L, $L, $N.withPrefix($S))",
                        layer.layerField(), LAYER, layer.name(), layer.inputConstant(), layer.hiddenConstant(),
                        Cell.class, layer.cell().declared().name(), Activation.class, layer.activation().name(),
                        layer.isBidirectional(), Field.PARAMETERS, layer.name() + ".");
            }
            layerList.add(layerList.isEmpty() ? "$N" : ", $N", layer.layerField());
        }
        constructor.addStatement("$N = $T.of($L)", Field.LAYERS, List.class, layerList.build());
        return constructor.build();
    }

    private List<MethodSpec> accessors() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(override(Method.INPUT_SIZE, TypeName.INT).addStatement("return $N", Constant.INPUT).build());
        methods.add(override(Method.OUTPUT_SIZE, TypeName.INT).addStatement("return $N", output.sizeConstant()).build());
        methods.add(override(Method.MAPPING, ClassName.get(Mapping.class))
                .addStatement("return $T.$L", Mapping.class, network.mapping().name()).build());
        methods.add(override(Method.PRECISION, ClassName.get(Precision.class))
                .addStatement("return $T.$L", Precision.class, network.scalar().precision().name()).build());
        methods.add(override(Method.PARAMETER_COUNT, TypeName.INT).addStatement("return $N", Constant.PARAMETER_COUNT).build());
        methods.add(override(Method.PARAMETERS, PARAMETERS).addStatement("return $N", Field.PARAMETERS).build());
        methods.add(override(Method.LAYERS, ParameterizedTypeName.get(ClassName.get(List.class), LAYER))
                .addStatement("return $N", Field.LAYERS).build());
        for (LayerPlan layer : network.layers()) {
            methods.add(override(layer.name(), LAYER).addStatement("return $N", layer.layerField()).build());
        }
        return methods;
    }
}
