package dev.unfold.processor.plan;

import dev.unfold.Recurrence;
import dev.unfold.processor.cell.CarriedState;
import dev.unfold.processor.cell.CellKind;
import dev.unfold.processor.cell.CellParameter;
import dev.unfold.processor.cell.LstmCell;
import dev.unfold.processor.declaration.LayerMethod;
import dev.unfold.processor.declaration.NetworkDeclaration;
import dev.unfold.processor.plan.GeneratedNames.Constant;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Helper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Turns a valid declaration into a {@link NetworkPlan}: the widths flowing between layers, the
 * parameters in their fixed order with PyTorch's names and shapes, and a unique generated name for
 * every constant, field and method.
 */
public final class Planner {

    public NetworkPlan plan(NetworkDeclaration declaration) {
        // fields must not take a name a method's local or parameter has, nor one a cell's equations give a local
        Identifiers fields = new Identifiers(Stream.of(GeneratedNames.fields(), GeneratedNames.locals(),
                CellKind.allLocals()).flatMap(java.util.Collection::stream).toList());
        Identifiers methods = new Identifiers(GeneratedNames.methods());
        for (LayerMethod layer : declaration.layerMethods()) {
            methods.claim(layer.name()); // the accessors keep the user's names exactly
        }
        // named after the accessors: those take no arguments either, so they must not share a name
        NetworkPlan.Helpers helpers = new NetworkPlan.Helpers(methods.claim(Helper.RESTORE_CARRIED_STATE),
                methods.claim(Helper.FEED_STEP), methods.claim(Helper.BATCH_RESERVE_INPUTS),
                methods.claim(Helper.CONTEXT_BIASES));

        List<LayerPlan> layers = new ArrayList<>();
        List<ParameterPlan> parameters = new ArrayList<>();
        int width = declaration.input().value();
        String widthConstant = Constant.INPUT;
        for (LayerMethod method : declaration.layerMethods()) {
            int context = layers.isEmpty() && declaration.context().value() != null ? declaration.context().value() : 0;
            LayerPlan layer = new LayerPlanner(layers.size(), method, width, widthConstant, context,
                    declaration.output().value(), fields, methods)
                    .plan();
            layers.add(layer);
            for (DirectionPlan direction : layer.directions()) {
                parameters.addAll(direction.parameters());
            }
            width = layer.width();
            widthConstant = layer.widthConstant();
        }

        int outputs = declaration.output().value();
        boolean manyToOne = declaration.mapping().value() == dev.unfold.Mapping.MANY_TO_ONE;
        OutputPlan output = new OutputPlan(outputs, Constant.OUTPUT,
                new ParameterPlan("out.weight", "V", outputs, width, Constant.OUTPUT, widthConstant,
                        Field.OUT_WEIGHT, Field.OUT_WEIGHT_GRAD, widthConstant, false),
                new ParameterPlan("out.bias", "c", outputs, 1, Constant.OUTPUT, "1",
                        Field.OUT_BIAS, Field.OUT_BIAS_GRAD, widthConstant, true),
                Field.OUT_LOGITS, Field.OUT_DELTA,
                manyToOne ? Field.OUT_SUMMARY : null,
                manyToOne ? Field.OUT_SUMMARY_GRAD : null,
                Field.OUT_WEIGHT_COLUMNS, Field.OUT_WEIGHT_ROWS, Field.OUT_WEIGHT_GRAD_ROWS, Field.OUT_INPUT,
                Field.OUT_SCRATCH, Field.OUT_WEIGHT_COPIED);
        parameters.add(output.weight());
        parameters.add(output.bias());

        long parameterCount = ParameterCount.of(declaration);
        long planned = 0;
        for (ParameterPlan parameter : parameters) {
            planned += (long) parameter.rows() * parameter.columns();
        }
        if (planned != parameterCount) {
            throw new IllegalStateException("the planned tensors hold " + planned + " parameters, but ParameterCount"
                    + " counts " + parameterCount);
        }
        SavedState savedState = savedState(layers, fields);
        List<String> names = declaration.nestingNames();
        return new NetworkPlan(
                declaration.packageName(),
                names,
                "Unfolded" + String.join("_", names),
                Scalar.of(declaration.precision().value()),
                declaration.anchor().element(),
                declaration.input().value(),
                declaration.context().value() == null ? 0 : declaration.context().value(),
                declaration.loss().value(),
                declaration.mapping().value(),
                declaration.capabilities(),
                List.copyOf(layers),
                output,
                List.copyOf(parameters),
                parameterCount,
                helpers,
                new BatchPlan(Field.BATCH_LANES, Field.BATCH_STEPS, Field.BATCH_LENGTHS, Field.BATCH_SHORTEST,
                        Field.BATCH_INPUTS, Field.BATCH_LOGITS, Field.BATCH_DELTA,
                        manyToOne ? Field.BATCH_SUMMARY : null, manyToOne ? Field.BATCH_SUMMARY_GRAD : null,
                        Field.BATCH_COLUMN, Field.BATCH_COLUMN_DELTA),
                savedState);
    }

    /**
     * The layout of a saved state: every layer's carried states, bottom first, each named by a
     * constant saying where it starts ({@code STATE_LOWER_C}); the first starts at 0 and needs none.
     */
    private static SavedState savedState(List<LayerPlan> layers, Identifiers fields) {
        List<SavedState.Part> parts = new ArrayList<>();
        for (LayerPlan layer : layers) {
            for (StatePlan state : layer.carriedStates()) {
                parts.add(new SavedState.Part(layer.index(), state, parts.isEmpty() ? null
                        : fields.claim("STATE_" + Identifiers.constantCase(layer.name()) + "_"
                                + state.symbol().toUpperCase(Locale.ROOT))));
            }
        }
        return new SavedState(Constant.STATE_SIZE, List.copyOf(parts));
    }

    /**
     * Plans one layer: its constants, its directions and the names of everything it generates. The
     * buffers a cell needs beyond the shared ones come from its {@link CellKind}: its gate
     * activations, the states it carries (each with a buffer per step, a gradient and a carried
     * copy), its own products and hidden-side deltas.
     */
    private static final class LayerPlanner {
        private final int index;
        private final LayerMethod method;
        private final String name;
        private final CellKind cell;
        private final Recurrence recurrence;
        /** Whether the layer trains PyTorch's b_ih and b_hh rather than one bias. */
        private final boolean twoBiases;
        /** Width of the network's output, which a layer reading ŷ_{t−1} takes as input too. */
        private final int outputs;
        private final int inputWidth;
        private final String inputConstant;
        private final int context;
        private final Identifiers fields;
        private final Identifiers methods;

        LayerPlanner(int index, LayerMethod method, int inputWidth, String inputConstant, int context, int outputs,
                     Identifiers fields, Identifiers methods) {
            this.context = context;
            this.index = index;
            this.method = method;
            this.name = method.name();
            this.cell = method.recurrent().cellKind();
            this.recurrence = method.recurrent().recurrence().value();
            this.twoBiases = method.recurrent().twoBiases();
            this.outputs = outputs;
            this.inputWidth = inputWidth;
            this.inputConstant = inputConstant;
            this.fields = fields;
            this.methods = methods;
        }

        LayerPlan plan() {
            int hidden = method.recurrent().hidden().value();
            String constant = Identifiers.constantCase(name);
            String hiddenConstant = fields.claim(constant + "_HIDDEN");
            int gates = cell.gateCount();
            String gateRowsConstant = gates == 1 ? hiddenConstant : fields.claim(constant + "_GATES");
            // h_t's size: a projecting cell's P has a constant of its own, every other h_t has H values
            int stateSize = (int) cell.outputSize(hidden);
            String stateConstant = cell.projects() ? fields.claim(constant + "_PROJECTION") : hiddenConstant;
            boolean bidirectional = method.isBidirectional();
            String widthConstant = bidirectional ? fields.claim(constant + "_WIDTH") : stateConstant;
            // the layer's own names first: each direction's h lives in the layer's states
            String layerField = fields.claim(name + "Layer");
            String states = fields.claim(name + "H");
            String statesGradient = fields.claim(name + "DhAbove");
            LayerPlan.Methods layerMethods = new LayerPlan.Methods(
                    methods.claim(name + "ProjectInputs"),
                    methods.claim(name + "ProjectTokens"),
                    methods.claim(name + "RecurrentGradients"),
                    methods.claim(name + "InputGradients"),
                    methods.claim(name + "InputGradientsFromTokens"),
                    twoBiases ? methods.claim(name + "SumBiases") : null,
                    twoBiases ? methods.claim(name + "SplitBiasGradients") : null);
            String input = fields.claim(name + "Input");
            String inputGradient = fields.claim(name + "InputGradient");
            List<String> carried = new ArrayList<>();
            for (CarriedState state : cell.carriedStates()) {
                carried.add(fields.claim(name + "Carried" + (state == CarriedState.HIDDEN ? "" : stem(state))));
            }
            LayerPlan.Batch batch = new LayerPlan.Batch(
                    fields.claim(name + "BatchH"),
                    fields.claim(name + "BatchDhAbove"),
                    methods.claim(name + "BatchProjectInputs"),
                    methods.claim(name + "BatchProjectTokens"),
                    methods.claim(name + "BatchGradients"),
                    methods.claim(name + "BatchInputGradients"),
                    methods.claim(name + "BatchInputGradientsFromTokens"));
            Shape shape = new Shape(hidden, hiddenConstant, stateSize, stateConstant, gateRowsConstant, widthConstant,
                    states, batch.states(), carried);
            List<DirectionPlan> directions = new ArrayList<>();
            directions.add(direction(false, shape));
            if (bidirectional) {
                directions.add(direction(true, shape));
            }
            return new LayerPlan(index, name, cell, method.recurrent().activation().value(),
                    inputWidth, inputConstant, hidden, hiddenConstant, stateSize, stateConstant, gates * hidden,
                    gateRowsConstant, (bidirectional ? 2 : 1) * stateSize, widthConstant, layerField, states, statesGradient,
                    List.copyOf(directions), layerMethods, input, inputGradient, batch, recurrence,
                    dropout(constant, directions.size()));
        }

        /**
         * The layer's dropout, null when it declares none: its names are claimed only then, so a
         * network without dropout generates what it did before.
         */
        private DropoutPlan dropout(String constant, int directionCount) {
            double input = method.recurrent().dropout().value();
            double recurrent = method.recurrent().recurrentDropout().value();
            if (input == 0 && recurrent == 0) {
                return null;
            }
            boolean first = index == 0;
            List<String> recurrentMasks = new ArrayList<>();
            List<String> droppedStates = new ArrayList<>();
            List<String> batchRecurrentMasks = new ArrayList<>();
            List<String> batchDroppedGradients = new ArrayList<>();
            if (recurrent > 0) {
                for (int d = 0; d < directionCount; d++) {
                    String field = d == 1 ? "Reverse" : "";
                    recurrentMasks.add(fields.claim(name + "RecurrentMask" + field));
                    droppedStates.add(fields.claim(name + "DroppedState" + field));
                    batchRecurrentMasks.add(fields.claim(name + "BatchRecurrentMask" + field));
                    batchDroppedGradients.add(fields.claim(name + "BatchDroppedGradient" + field));
                }
            }
            return new DropoutPlan(
                    input, input > 0 ? fields.claim(constant + "_DROPOUT") : null,
                    recurrent, recurrent > 0 ? fields.claim(constant + "_RECURRENT_DROPOUT") : null,
                    input > 0 ? fields.claim(name + "InputMask") : null,
                    input > 0 && first ? fields.claim(name + "DroppedInput") : null,
                    List.copyOf(recurrentMasks), List.copyOf(droppedStates),
                    input > 0 && !first ? fields.claim(name + "BatchInputMask") : null,
                    input > 0 && !first ? fields.claim(name + "BatchDroppedInput") : null,
                    input > 0 && first ? fields.claim(name + "BatchTokenKeep") : null,
                    recurrent > 0 ? fields.claim(name + "BatchDroppedH") : null,
                    List.copyOf(batchRecurrentMasks), List.copyOf(batchDroppedGradients));
        }

        /** The layer's sizes and the names its directions share. */
        private record Shape(int hidden, String hiddenConstant, int stateSize, String stateConstant,
                             String gateRowsConstant, String widthConstant, String states, String batchStates,
                             List<String> carried) {}

        /** "C" for c_t: the stem of the names of a state's buffers. */
        private static String stem(CarriedState state) {
            return state.symbol().toUpperCase(Locale.ROOT);
        }

        private DirectionPlan direction(boolean reverse, Shape shape) {
            String suffix = reverse ? "_reverse" : "";  // PyTorch's suffix for the backward direction
            String field = reverse ? "Reverse" : "";
            int hidden = shape.hidden();
            String hiddenConstant = shape.hiddenConstant();
            String gateRowsConstant = shape.gateRowsConstant();
            int rows = cell.gateCount() * hidden;
            String deltas = fields.claim(name + (cell.isGated() ? "Dgates" : "Du") + field);
            String batchDeltas = fields.claim(name + (cell.isGated() ? "BatchDgates" : "BatchDu") + field);
            int stateSize = shape.stateSize();
            String stateConstant = shape.stateConstant();
            List<ParameterPlan> cellParameters = new ArrayList<>();
            for (CellParameter parameter : cell.ownParameters()) {
                boolean vector = parameter.shape().vector();
                cellParameters.add(parameter(name + "." + parameter.name() + suffix, parameter.symbol(),
                        (int) parameter.shape().rows(hidden, cell.projection()), (int) parameter.shape().columns(hidden),
                        vector ? hiddenConstant : stateConstant, vector ? "1" : hiddenConstant,
                        parameter.field() + field, hiddenConstant, vector));
            }
            ProjectionPlan projection = !cell.projects() ? null : new ProjectionPlan(
                    cellParameters.stream().filter(plan -> plan.symbol().equals(LstmCell.PROJECTION_WEIGHT.symbol()))
                            .findFirst().orElseThrow(),
                    fields.claim(name + "M" + field),
                    fields.claim(name + "Dm" + field),
                    fields.claim(name + "DhSteps" + field),
                    fields.claim(name + "BatchM" + field),
                    fields.claim(name + "BatchDm" + field),
                    fields.claim(name + "BatchDhSteps" + field));
            String dhNext = fields.claim(name + "DhNext" + field);
            String batchDhNext = fields.claim(name + "BatchDhNext" + field);
            List<StatePlan> states = new ArrayList<>();
            List<CarriedState> carriedStates = cell.carriedStates();
            for (int s = 0; s < carriedStates.size(); s++) {
                CarriedState state = carriedStates.get(s);
                String carried = shape.carried().get(s);
                if (state == CarriedState.HIDDEN) {
                    states.add(new StatePlan(state, stateSize, stateConstant, shape.states(), shape.widthConstant(),
                            dhNext, shape.batchStates(), batchDhNext, carried));
                } else {
                    String stem = stem(state);
                    states.add(new StatePlan(state, hidden, hiddenConstant, fields.claim(name + stem + field),
                            hiddenConstant, fields.claim(name + "D" + state.symbol() + "Next" + field),
                            fields.claim(name + "Batch" + stem + field),
                            fields.claim(name + "BatchD" + state.symbol() + "Next" + field), carried));
                }
            }
            ParameterPlan bias = parameter(name + ".bias" + suffix, "b", rows, 1, gateRowsConstant, "1",
                    "Bias" + field, hiddenConstant, true);
            BiasPair biasPair = null;
            if (twoBiases) {
                List<ParameterPlan> summed = new ArrayList<>(List.of(bias));
                for (CellParameter parameter : cell.ownParameters()) {
                    if (cell.hiddenBiasBlock(parameter) >= 0) {
                        summed.add(cellParameters.get(cell.ownParameters().indexOf(parameter)));
                    }
                }
                biasPair = new BiasPair(
                        parameter(name + ".bias_ih" + suffix, "b_ih", rows, 1, gateRowsConstant, "1",
                                "BiasIh" + field, hiddenConstant, true),
                        parameter(name + ".bias_hh" + suffix, "b_hh", rows, 1, gateRowsConstant, "1",
                                "BiasHh" + field, hiddenConstant, true),
                        List.copyOf(summed));
            }
            return new DirectionPlan(
                    reverse,
                    parameter(name + ".weight_ih" + suffix, "W_ih", rows, inputWidth, gateRowsConstant, inputConstant,
                            "WeightIh" + field, hiddenConstant, false),
                    recurrence == Recurrence.OUTPUT ? null
                            : parameter(name + ".weight_hh" + suffix, "W_hh", rows, stateSize, gateRowsConstant,
                                    stateConstant, "WeightHh" + field, hiddenConstant, false),
                    bias,
                    List.copyOf(cellParameters),
                    cell.isGated() ? fields.claim(name + "Gates" + field) : null,
                    cell.keepsHiddenProducts() ? fields.claim(name + "Hn" + field) : null,
                    deltas,
                    cell.separatesHiddenDeltas() ? fields.claim(name + "DgatesHidden" + field) : deltas,
                    dhNext,
                    List.copyOf(states),
                    fields.claim(name + "WeightHhColumns" + field),
                    fields.claim(name + "Sums" + field),
                    fields.claim(name + "WeightHhRows" + field),
                    fields.claim(name + "WeightHhGradRows" + field),
                    fields.claim(name + "WeightIhColumns" + field),
                    fields.claim(name + "WeightIhRows" + field),
                    fields.claim(name + "WeightIhGradRows" + field),
                    fields.claim(name + "WeightHhCopied" + field),
                    fields.claim(name + "WeightIhCopied" + field),
                    methods.claim(name + "Recur" + field),
                    methods.claim(name + "Backward" + field),
                    new DirectionPlan.Batch(
                            cell.isGated() ? fields.claim(name + "BatchGates" + field) : null,
                            cell.keepsHiddenProducts() ? fields.claim(name + "BatchHn" + field) : null,
                            batchDeltas,
                            cell.separatesHiddenDeltas() ? fields.claim(name + "BatchDgatesHidden" + field)
                                    : batchDeltas,
                            batchDhNext,
                            methods.claim(name + "BatchRecur" + field),
                            methods.claim(name + "BatchBackward" + field),
                            context == 0 ? null : fields.claim(name + "BatchContextBias" + field)),
                    context == 0 ? null
                            : parameter(name + ".weight_context" + suffix, "R", rows, context, gateRowsConstant,
                                    Constant.CONTEXT, "WeightContext" + field, hiddenConstant, false),
                    context == 0 ? null : fields.claim(name + "ContextBias" + field),
                    recurrence == Recurrence.HIDDEN ? null
                            : parameter(name + ".weight_oh" + suffix, "W_oh", rows, outputs, gateRowsConstant,
                                    Constant.OUTPUT, "WeightOh" + field, hiddenConstant, false),
                    projection,
                    biasPair);
        }

        /** PyTorch initialises every recurrent weight and bias from U(−1/√H, 1/√H). */
        private ParameterPlan parameter(String parameterName, String symbol, int rows, int columns,
                                        String rowsConstant, String columnsConstant, String field,
                                        String hiddenConstant, boolean vector) {
            return new ParameterPlan(parameterName, symbol, rows, columns, rowsConstant, columnsConstant,
                    fields.claim(name + field), fields.claim(name + field + "Grad"), hiddenConstant, vector);
        }
    }
}
