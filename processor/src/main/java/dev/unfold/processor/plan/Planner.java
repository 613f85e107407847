package dev.unfold.processor.plan;

import dev.unfold.processor.declaration.LayerMethod;
import dev.unfold.processor.declaration.NetworkDeclaration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a valid declaration into a {@link NetworkPlan}: the widths flowing between layers, the
 * parameters in their fixed order with PyTorch's names and shapes, and a unique generated name for
 * every constant, field and method.
 */
public final class Planner {
    /** Members every generated class has, whatever the layers are called. */
    static final List<String> FIXED_FIELDS = List.of(
            NetworkPlan.INPUT_CONSTANT, "OUTPUT", "PARAMETER_COUNT", "parameters", "capacity",
            "outWeight", "outWeightGrad", "outBias", "outBiasGrad", "outLogits", "outDelta");
    static final List<String> FIXED_METHODS = List.of(
            "inputSize", "outputSize", "mapping", "parameterCount", "parameters", "forward", "backward",
            "loss", "outputSteps", "toString", "equals", "hashCode",
            "reserve", "unroll", "backpropagate", "predict", "lossAndDelta", "outputLogits", "outputGradients");

    public NetworkPlan plan(NetworkDeclaration declaration) {
        Identifiers fields = new Identifiers(FIXED_FIELDS);
        Identifiers methods = new Identifiers(FIXED_METHODS);
        for (LayerMethod layer : declaration.layerMethods()) {
            methods.claim(layer.name()); // the accessors keep the user's names exactly
        }

        List<LayerPlan> layers = new ArrayList<>();
        List<ParameterPlan> parameters = new ArrayList<>();
        int width = declaration.input().value();
        String widthConstant = NetworkPlan.INPUT_CONSTANT;
        for (LayerMethod method : declaration.layerMethods()) {
            LayerPlan layer = planLayer(layers.size(), method, width, widthConstant, fields, methods);
            layers.add(layer);
            parameters.add(layer.weightIh());
            parameters.add(layer.weightHh());
            parameters.add(layer.bias());
            width = layer.hidden();
            widthConstant = layer.hiddenConstant();
        }

        int outputs = declaration.output().value();
        OutputPlan output = new OutputPlan(outputs, "OUTPUT",
                new ParameterPlan("out.weight", "V", outputs, width, "OUTPUT", widthConstant,
                        "outWeight", "outWeightGrad", widthConstant),
                new ParameterPlan("out.bias", "c", outputs, 1, "OUTPUT", "1",
                        "outBias", "outBiasGrad", widthConstant),
                "outLogits", "outDelta");
        parameters.add(output.weight());
        parameters.add(output.bias());

        List<String> names = declaration.nestingNames();
        return new NetworkPlan(
                declaration.packageName(),
                names,
                "Unfolded" + String.join("_", names),
                declaration.anchor().element(),
                declaration.input().value(),
                declaration.loss().value(),
                declaration.mapping().value(),
                List.copyOf(layers),
                output,
                List.copyOf(parameters));
    }

    private static LayerPlan planLayer(int index, LayerMethod method, int inputWidth, String inputConstant,
                                       Identifiers fields, Identifiers methods) {
        String name = method.name();
        int hidden = method.recurrent().hidden().value();
        String hiddenConstant = fields.claim(Identifiers.constantCase(name) + "_HIDDEN");
        return new LayerPlan(
                index, name, inputWidth, inputConstant, hidden, hiddenConstant,
                method.recurrent().activation().value(),
                parameter(name + ".weight_ih", "W_ih", hidden, inputWidth, hiddenConstant, inputConstant,
                        name, "WeightIh", fields),
                parameter(name + ".weight_hh", "W_hh", hidden, hidden, hiddenConstant, hiddenConstant,
                        name, "WeightHh", fields),
                parameter(name + ".bias", "b", hidden, 1, hiddenConstant, "1", name, "Bias", fields),
                new LayerPlan.Buffers(
                        fields.claim(name),
                        fields.claim(name + "H"),
                        fields.claim(name + "Du"),
                        fields.claim(name + "DhAbove"),
                        fields.claim(name + "DhNext")),
                new LayerPlan.Methods(
                        methods.claim(name + "ProjectInputs"),
                        methods.claim(name + "ProjectTokens"),
                        methods.claim(name + "Recur"),
                        methods.claim(name + "Backward"),
                        methods.claim(name + "RecurrentGradients"),
                        methods.claim(name + "InputGradients"),
                        methods.claim(name + "InputGradientsFromTokens")));
    }

    private static ParameterPlan parameter(String name, String symbol, int rows, int columns, String rowsConstant,
                                           String columnsConstant, String layer, String field, Identifiers fields) {
        // PyTorch initialises every recurrent weight and bias from U(−1/√H, 1/√H).
        return new ParameterPlan(name, symbol, rows, columns, rowsConstant, columnsConstant,
                fields.claim(layer + field),
                fields.claim(layer + field + "Grad"),
                rowsConstant);
    }
}
