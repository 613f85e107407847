package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.DROPOUT_MASKS;
import static dev.unfold.processor.declaration.RuntimeTypes.KERNELS;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.DropoutPlan;
import dev.unfold.processor.plan.GeneratedNames.Constant;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.SavedState;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits one layer: the products with W_ih and the gradient sums that every cell shares, for each
 * direction, and each direction's recurrence and BPTT through its {@link CellEmitter}.
 *
 * <p>Every cell stacks its gate blocks as the rows of W_ih and W_hh (G·H rows), so the projection
 * a_t = W_ih x_t + b, the sums ∂L/∂W_ih = Σ_t δa_t x_tᵀ, ∂L/∂W_hh = Σ_t δa_t h_prevᵀ, ∂L/∂b = Σ_t δa_t
 * and the input gradient W_ihᵀ δa_t (equations.md (3.3)–(3.6), with δa for δu) are the same code for all of them.
 */
final class LayerEmitter implements GeneratedPart {
    private final LayerPlan layer;
    /** The layer feeding this one, or null when it reads the network's input. */
    private final LayerPlan below;
    private final List<CellEmitter> cells = new ArrayList<>();
    /** The names of the network's methods without arguments, the context's b + R x among them. */
    private final NetworkPlan.Helpers helpers;
    /** The type the network computes in. */
    private final Scalar scalar;
    /** Whether ∂L/∂h_t arrives from above at every step, so that the layer has a buffer for it. */
    private final boolean gradientAtEveryStep;

    LayerEmitter(LayerPlan layer, LayerPlan below, Scalar scalar, boolean gradientAtEveryStep, String summaryGradient,
                 NetworkPlan.Helpers helpers, boolean traced) {
        this.layer = layer;
        this.below = below;
        this.helpers = helpers;
        this.scalar = scalar;
        this.gradientAtEveryStep = gradientAtEveryStep;
        for (DirectionPlan direction : layer.directions()) {
            cells.add(new CellEmitter(layer, direction, scalar, gradientAtEveryStep, summaryGradient, traced));
        }
    }

    /** BPTT through every direction, each seeded with what its last state receives from beyond. */
    CodeBlock backward() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (CellEmitter cell : cells) {
            code.add(cell.seedGradients()).addStatement("$N(steps)", cell.direction.backward());
        }
        return code.build();
    }

    /**
     * BPTT seeded with a given ∂L/∂(final state) in {@code array} from {@code offset}, laid out as
     * {@code savedState} says (one direction: only a network that streams has one).
     */
    CodeBlock backwardFrom(String array, SavedState savedState) {
        CellEmitter cell = cells.get(0);
        return CodeBlock.builder()
                .add(cell.seedGradientsFrom(array, savedState.of(layer)))
                .addStatement("$N(steps)", cell.direction.backward())
                .build();
    }

    /** Copies what this layer's initial state received in the last BPTT into {@code into} from {@code offset}, laid out as {@code savedState} says. */
    CodeBlock copyStartGradient(String into, SavedState savedState) {
        return cells.get(0).copyStartGradient(into, savedState.of(layer));
    }

    /** Zeroes every direction's initial state, before the recurrences run over a sequence. */
    CodeBlock zeroInitialStates() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (CellEmitter cell : cells) {
            code.add(cell.zeroInitialStates());
        }
        return code.build();
    }

    /**
     * The layer's per-step buffers: its states (both directions' side by side), their gradient from
     * above, and each direction's gates, inner states (an LSTM's c), products and deltas.
     */
    @Override
    public List<StepBuffer> stepBuffers() {
        List<StepBuffer> buffers = new ArrayList<>();
        if (layer.dropsInput()) {
            buffers.add(new StepBuffer(layer.dropout().inputMask(), layer.inputConstant(), "Row t: backward's dropout"
                    + " mask m_t of " + layer.name() + "'s input, 0 or 1/(1 − p) (equations.md (16.1))."));
        }
        buffers.add(new StepBuffer(layer.states(), layer.widthConstant(), layer.isBidirectional()
                ? "Row t: [h_t ; g_t] of " + layer.name() + "; h_0 in row 0, g_{T+1} in row T + 1, both 0."
                : "Row t: h_t of " + layer.name() + "; row 0 is h_0 = 0."));
        if (gradientAtEveryStep) {
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
            if (direction.projection() != null) {
                buffers.add(new StepBuffer(direction.projection().steps(), layer.hiddenConstant(),
                        "Row t: m_t = o_t ⊙ tanh(c_t) of " + layer.name() + of + ", which W_hr projects to h_t."));
                buffers.add(new StepBuffer(direction.projection().stateGradients(), layer.stateConstant(),
                        "Row t: δh_t of " + layer.name() + of + ", kept for ∂L/∂W_hr."));
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
        return buffers;
    }

    /**
     * The per-step buffers, then the arrays of one step: x_t and its gradient, and each
     * direction's weights by columns and rows with the values they were copied from.
     */
    @Override
    public List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        for (StepBuffer buffer : stepBuffers()) {
            fields.add(buffer.field(scalar));
        }
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
        fields.addAll(dropoutFields());
        for (DirectionPlan direction : layer.directions()) {
            String of = layer.isBidirectional() ? " (" + direction.label() + ")" : "";
            if (layer.readsPreviousState()) {
                fields.add(FieldSpec.builder(scalar.array(2), direction.weightHhColumns(), PRIVATE, FINAL)
                        .addJavadoc("W_hh of $L$L by columns, copied at each forward pass: see $T.addMatrixVector.\n",
                                layer.name(), of, KERNELS)
                        .initializer("new $T[$N][$N]", scalar.type(), layer.stateConstant(), layer.gateRowsConstant())
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
                        .initializer("new $T[$N * $N]", scalar.type(), layer.gateRowsConstant(), layer.stateConstant())
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
                        .initializer("new $T[$N][$N]", scalar.type(), layer.gateRowsConstant(), layer.stateConstant())
                        .build());
                fields.add(FieldSpec.builder(scalar.array(2), direction.weightHhGradientRows(), PRIVATE, FINAL)
                        .addJavadoc("∂L/∂W_hh of $L$L by rows while BPTT sums it; zero between calls.\n",
                                layer.name(), of)
                        .initializer("new $T[$N][$N]", scalar.type(), layer.gateRowsConstant(), layer.stateConstant())
                        .build());
            }
            fields.add(FieldSpec.builder(scalar.array(1), direction.dhNext(), PRIVATE, FINAL)
                    .addJavadoc("During BPTT: the gradient the previous state of $L$L receives from the current step.\n",
                            layer.name(), of)
                    .initializer("new $T[$N]", scalar.type(), layer.stateConstant())
                    .build());
            for (StatePlan state : direction.innerStates()) {
                fields.add(FieldSpec.builder(scalar.array(1), state.gradient(), PRIVATE, FINAL)
                        .addJavadoc("During BPTT: $L of $L$L receives.\n", state.state().gradientInWords(),
                                layer.name(), of)
                        .initializer("new $T[$N]", scalar.type(), state.sizeConstant())
                        .build());
            }
            if (direction.projection() != null) {
                fields.add(FieldSpec.builder(scalar.array(1), direction.projection().gradient(), PRIVATE, FINAL)
                        .addJavadoc("During BPTT: δm_t = W_hrᵀ δh_t of $L$L at the current step.\n", layer.name(), of)
                        .initializer("new $T[$N]", scalar.type(), layer.hiddenConstant())
                        .build());
            }
        }
        return fields;
    }

    /**
     * With dropout: the first layer's dropped x_t of one step, and each direction's recurrent mask
     * and its dropped h_{t∓1} of one step. A layer above drops its x_t into its {@code input}.
     */
    private List<FieldSpec> dropoutFields() {
        List<FieldSpec> fields = new ArrayList<>();
        DropoutPlan dropout = layer.dropout();
        if (dropout == null) {
            return fields;
        }
        if (dropout.droppedInput() != null) {
            fields.add(FieldSpec.builder(scalar.array(1), dropout.droppedInput(), PRIVATE, FINAL)
                    .addJavadoc("x_t ⊙ m_t of $L at one step of backward, in an array of its own.\n", layer.name())
                    .initializer("new $T[$N]", scalar.type(), layer.inputConstant())
                    .build());
        }
        for (int d = 0; d < dropout.recurrentMasks().size(); d++) {
            String of = layer.isBidirectional() ? " (" + layer.directions().get(d).label() + ")" : "";
            fields.add(FieldSpec.builder(scalar.array(1), dropout.recurrentMasks().get(d), PRIVATE, FINAL)
                    .addJavadoc("Backward's recurrent dropout mask r of $L$L, the same at every step: 0 or 1/(1 − p)"
                            + " (equations.md (16.2)).\n", layer.name(), of)
                    .initializer("new $T[$N]", scalar.type(), layer.stateConstant())
                    .build());
            fields.add(FieldSpec.builder(scalar.array(1), dropout.droppedStates().get(d), PRIVATE, FINAL)
                    .addJavadoc("The previous state of $L$L ⊙ r at one step of backward, which W_hh reads.\n",
                            layer.name(), of)
                    .initializer("new $T[$N]", scalar.type(), layer.stateConstant())
                    .build());
        }
        return fields;
    }

    /**
     * In backward, {@code x} (a step's input, at {@code offset} of its array) replaced by x_t ⊙ m_t
     * in {@code into}; nothing without input dropout. {@code offset} becomes 0 if it is a local.
     */
    private CodeBlock dropInput(String into, String offset) {
        if (!layer.dropsInput()) {
            return CodeBlock.of("");
        }
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("if ($N)", Field.DROPPING)
                .add("// backward drops: x_t ⊙ m_t   (equations.md (16.1))\n")
                .addStatement("x = $T.drop(x, $L, $N, t * $N, $N, 0, $N)", DROPOUT_MASKS, offset,
                        layer.dropout().inputMask(), layer.inputConstant(), into, layer.inputConstant());
        if (!offset.equals("0")) {
            code.addStatement("$L = 0", offset);
        }
        return code.endControlFlow().build();
    }

    /** In backward, what a one-hot x_t's token is multiplied by: its entry of m_t; 1 (exactly) otherwise. */
    private CodeBlock tokenKeep() {
        return CodeBlock.builder()
                .add("// backward drops: the token's entry of m_t, 0 or 1/(1 − p)   (equations.md (16.1))\n")
                .addStatement("$T keep = $N ? $N[t * $N + token] : 1", scalar.type(), Field.DROPPING,
                        layer.dropout().inputMask(), layer.inputConstant())
                .build();
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        if (layer.readsNetworkInput()) {
            methods.add(projectInputs());
            methods.add(projectTokens());
        } else {
            methods.add(projectLayerBelow());
        }
        for (CellEmitter cell : cells) {
            methods.add(cell.recur());
        }
        for (CellEmitter cell : cells) {
            methods.add(cell.backward());
        }
        methods.add(recurrentGradients());
        if (layer.readsNetworkInput()) {
            methods.add(inputGradients());
            methods.add(inputGradientsFromTokens());
        } else {
            methods.add(inputGradientsFromLayerBelow());
        }
        return methods;
    }

    /** Where a direction's pre-activations of step t start: its gate buffer, or its slot in the states. */
    static CodeBlock preactivationRow(LayerPlan layer, DirectionPlan direction) {
        if (layer.cell().isGated()) {
            return CodeBlock.of("t * $N", layer.gateRowsConstant());
        }
        return direction.reverse()
                ? CodeBlock.of("t * $N + $N", layer.widthConstant(), layer.hiddenConstant())
                : CodeBlock.of("t * $N", layer.widthConstant());
    }

    static String preactivationBuffer(LayerPlan layer, DirectionPlan direction) {
        return layer.cell().isGated() ? direction.preactivations() : layer.states();
    }

    /** u_t for the simple cell, a_t for the stacked gate pre-activations. */
    private String target() {
        return layer.cell().preactivation() + "_t";
    }

    /** δu_t for the simple cell, δa_t for the stacked gate pre-activations. */
    private String delta() {
        return "δ" + target();
    }

    private String everyStep() {
        return layer.isBidirectional() ? "every step and direction" : "every step";
    }

    /** For every direction: row t of its pre-activations = b + W_ih x_t, x_t at {@code input}[{@code offset}...]. */
    private CodeBlock projectEachDirection(String input, String offset) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (DirectionPlan direction : layer.directions()) {
            if (layer.isBidirectional()) {
                code.add("// $L\n", direction.label());
            }
            code.addStatement("$T.arraycopy($N, 0, $N, 0, $N)", System.class, projectionBias(direction),
                            direction.sums(), layer.gateRowsConstant())
                    .addStatement("$T.addMatrixVector($N, $N, $N, $L, $N, $N)", KERNELS,
                            direction.weightIh().valueField(), direction.weightIhColumns(), input, offset,
                            direction.sums(), layer.gateRowsConstant())
                    .addStatement("$T.arraycopy($N, 0, $N, $L, $N)", System.class, direction.sums(),
                            preactivationBuffer(layer, direction), preactivationRow(layer, direction), layer.gateRowsConstant());
        }
        return code.build();
    }

    /** Copies W_ih's columns out of each direction's parameter, once per forward pass. */
    private CodeBlock copyInputColumns() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// W_ih by columns for the plain loops, whose steps then add whole columns\n");
        for (DirectionPlan direction : layer.directions()) {
            code.addStatement("$T.columnsIfChanged($N, $N, $N, $N, $N)", KERNELS,
                    direction.weightIh().valueField(), layer.gateRowsConstant(), layer.inputConstant(),
                    direction.weightIhCopied(), direction.weightIhColumns());
        }
        return code.build();
    }

    private static String rowName(DirectionPlan direction) {
        return direction.reverse() ? "reverseRow" : "row";
    }

    /** What the projection adds: b, or with a context vector b + R x. */
    private static String projectionBias(DirectionPlan direction) {
        return direction.contextBias() != null ? direction.contextBias() : direction.bias().valueField();
    }

    /** Before a projection with a context vector: b + R x from the current weights and context. */
    private CodeBlock contextBiases() {
        return layer.directions().get(0).contextBias() == null ? CodeBlock.of("")
                : CodeBlock.of("$N();   // b + R x, the context's part of every step\n", helpers.contextBiases());
    }

    private MethodSpec projectInputs() {
        CodeBlock code = CodeBlock.builder()
                .add(BiasPairEmitter.sumBiases(layer))
                .add(contextBiases())
                .add(copyInputColumns())
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("$T x = xs[t - 1]", scalar.array(1))
                .add(dropInput(layer.dropsInput() ? layer.dropout().droppedInput() : null, "0"))
                .add(projectEachDirection("x", "0"))
                .endControlFlow()
                .build();
        return method(layer.methods().projectInputs(), target() + " = W_ih x_t + b for " + everyStep()
                        + " (equations.md (1.1), (4.1));\nthe recurrence then adds W_hh times the previous state.\n")
                .addParameter(scalar.array(2), "xs")
                .addParameter(int.class, "steps")
                .addCode(code)
                .build();
    }

    private MethodSpec projectLayerBelow() {
        CodeBlock code = CodeBlock.builder()
                .add(BiasPairEmitter.sumBiases(layer))
                .add(copyInputColumns())
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int inputRow = t * $N", below.widthConstant())
                .add(layer.dropsInput() ? CodeBlock.builder()
                        .addStatement("$T x = $N", scalar.array(1), below.states())
                        .add(dropInput(layer.input(), "inputRow"))
                        .add(projectEachDirection("x", "inputRow")).build()
                        : projectEachDirection(below.states(), "inputRow"))
                .endControlFlow()
                .build();
        return method(layer.methods().projectInputs(), target() + " = W_ih x_t + b for " + everyStep() + ","
                        + " where x_t is row t of " + below.name() + "'s output;\nthe recurrence then adds W_hh"
                        + " times the previous state.\n")
                .addParameter(int.class, "steps")
                .addCode(code)
                .build();
    }

    private MethodSpec projectTokens() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add(BiasPairEmitter.sumBiases(layer))
                .add(contextBiases())
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int token = tokens[t - 1]");
        if (layer.dropsInput()) {
            code.add(tokenKeep());
        }
        for (DirectionPlan direction : layer.directions()) {
            code.addStatement("int $L = $L", rowName(direction), preactivationRow(layer, direction))
                    .beginControlFlow("for (int m = 0; m < $N; m++)", layer.gateRowsConstant())
                    .addStatement("$N[$L + m] = $N[m * $N + token]$L + $N[m]", preactivationBuffer(layer, direction),
                            rowName(direction), direction.weightIh().valueField(), layer.inputConstant(),
                            layer.dropsInput() ? " * keep" : "", projectionBias(direction))
                    .endControlFlow();
        }
        code.endControlFlow();
        return method(layer.methods().projectTokens(), target() + " = W_ih x_t + b for one-hot x_t, where W_ih x_t"
                        + " is column tokens[t − 1] of W_ih:\na lookup instead of a product.\n")
                .addParameter(int[].class, "tokens")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** ∂L/∂W_hh, ∂L/∂b (and ∂L/∂b_hn) as sums over the stored deltas, for each direction. */
    /** ∂L/∂R = Σ_t δa_t xᵀ = (Σ_t δa_t) xᵀ, since the context is the same at every step. */
    private CodeBlock contextGradient(DirectionPlan direction) {
        String rows = layer.gateRowsConstant();
        return CodeBlock.builder()
                .add("// ∂L/∂R = Σ_t δa_t xᵀ = (Σ_t δa_t) xᵀ: the context is the same at every step   (equations.md (7.2))\n")
                .beginControlFlow("for (int m = 0; m < $N; m++)", rows)
                .addStatement("$T sum = 0", scalar.type())
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("sum += $N[t * $N + m]", direction.deltas(), rows)
                .endControlFlow()
                .beginControlFlow("for (int j = 0; j < $N; j++)", Constant.CONTEXT)
                .addStatement("$N[m * $N + j] += sum * $N[j]", direction.weightContext().gradientField(),
                        Constant.CONTEXT, Field.CONTEXT_VECTOR)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private MethodSpec recurrentGradients() {
        CodeBlock.Builder code = CodeBlock.builder().beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int row = t * $N", layer.gateRowsConstant());
        for (CellEmitter cell : cells) {
            DirectionPlan direction = cell.direction;
            String previous = direction.reverse() ? "reversePrevious" : "previous";
            if (layer.isBidirectional()) {
                code.add("// $L: its previous state is h_$L\n", direction.label(), direction.reverse() ? "{t+1}" : "{t−1}");
            }
            if (!layer.readsPreviousState()) {
                code.add("// no W_hh: only the bias sums the deltas\n")
                        .beginControlFlow("for (int m = 0; m < $N; m++)", layer.gateRowsConstant())
                        .addStatement("$N[m] += $N[row + m]", direction.bias().gradientField(), direction.deltas())
                        .endControlFlow();
                continue;
            }
            code.addStatement("int $L = $L", previous, direction.reverse()
                            ? CodeBlock.of("(t + 1) * $N + $N", layer.widthConstant(), layer.stateConstant())
                            : CodeBlock.of("(t - 1) * $N", layer.widthConstant()))
                    .add("// the previous state in an array of its own, so that each row below is one vectorised loop\n")
                    .addStatement("$T.arraycopy($N, $L, $N, 0, $N)", System.class, layer.states(), previous,
                            direction.sums(), layer.stateConstant())
                    .add(dropRecurrentGradientInput(cell))
                    .beginControlFlow("for (int m = 0; m < $N; m++)", layer.gateRowsConstant())
                    .addStatement("$T delta = $N[row + m]", scalar.type(), direction.hiddenDeltas());
            if (direction.hasSeparateHiddenDeltas()) {
                code.add("// b is on the input side, whose n block differs\n")
                        .addStatement("$N[m] += $N[row + m]", direction.bias().gradientField(), direction.deltas());
            } else {
                code.addStatement("$N[m] += delta", direction.bias().gradientField());
            }
            code.addStatement("$T.addScaled(delta, $N, $N[m], $N)", KERNELS, direction.sums(),
                            direction.weightHhGradientRows(), layer.stateConstant())
                    .endControlFlow();
            code.add(cell.cellParameterGradients());
        }
        code.endControlFlow();
        for (DirectionPlan direction : layer.directions()) {
            if (layer.readsPreviousState()) {
                code.addStatement("$T.addRowsInto($N, $N, $N)", KERNELS, direction.weightHhGradientRows(),
                        direction.weightHh().gradientField(), layer.stateConstant());
            }
            if (direction.weightContext() != null) {
                code.add(contextGradient(direction));
            }
        }
        code.add(BiasPairEmitter.splitBiasGradients(layer));
        String previous = layer.isBidirectional() ? "h_prev" : "h_{t−1}";
        if (!layer.readsPreviousState()) {
            return method(layer.methods().recurrentGradients(), "∂L/∂b = Σ_t " + delta() + "   (equations.md (3.4));"
                            + " the folded layer has no W_hh.\n")
                    .addParameter(int.class, "steps")
                    .addCode(code.build())
                    .build();
        }
        return method(layer.methods().recurrentGradients(), "∂L/∂W_hh = Σ_t " + delta() + " " + previous
                        + "ᵀ and ∂L/∂b = Σ_t " + delta() + "   (equations.md (3.3), (3.4))"
                        + cells.get(0).cellParameterGradientsInWords() + ".\n")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** In backward, with recurrent dropout, the previous state in the sums times r: ∂L/∂W_hh = Σ_t δ (h ⊙ r)ᵀ. */
    private CodeBlock dropRecurrentGradientInput(CellEmitter cell) {
        if (!layer.dropsRecurrent()) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .beginControlFlow("if ($N)", Field.DROPPING)
                .add("// W_hh read the dropped state in backward: ∂L/∂W_hh sums δ (h_prev ⊙ r)ᵀ   (equations.md (16.4))\n")
                .addStatement("$T.multiply($N, 0, $N, 0, $N)", DROPOUT_MASKS, cell.direction.sums(),
                        cell.recurrentMask(), layer.stateConstant())
                .endControlFlow()
                .build();
    }

    /**
     * For every direction: ∂L/∂W_ih += δa_t x_tᵀ, with x_t in the zero-offset array {@code input};
     * and, when {@code withInputGradient}, ∂L/∂x_t += W_ihᵀ δa_t into the layer's input gradient.
     */
    private CodeBlock inputWeightGradientsEachDirection(String input, boolean withInputGradient) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (DirectionPlan direction : layer.directions()) {
            code.beginControlFlow("for (int m = 0; m < $N; m++)", layer.gateRowsConstant())
                    .addStatement("$T delta = $N[row + m]", scalar.type(), direction.deltas())
                    .addStatement("$T.addScaled(delta, $N, $N[m], $N)", KERNELS, input,
                            direction.weightIhGradientRows(), layer.inputConstant());
            if (withInputGradient) {
                code.addStatement("$T.addScaled(delta, $N[m], $N, $N)", KERNELS, direction.weightIhRows(),
                        layer.inputGradient(), layer.inputConstant());
            }
            code.endControlFlow();
        }
        return code.build();
    }

    /** Adds each direction's summed ∂L/∂W_ih rows into its parameter's gradient. */
    private CodeBlock addInputGradientRows() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (DirectionPlan direction : layer.directions()) {
            code.addStatement("$T.addRowsInto($N, $N, $N)", KERNELS, direction.weightIhGradientRows(),
                    direction.weightIh().gradientField(), layer.inputConstant());
        }
        return code.build();
    }

    /** ∂L/∂W_ih over dense input rows. */
    private MethodSpec inputGradients() {
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("$T x = xs[t - 1]", scalar.array(1))
                .add(dropInput(layer.dropsInput() ? layer.dropout().droppedInput() : null, "0"))
                .addStatement("int row = t * $N", layer.gateRowsConstant());
        code.add(inputWeightGradientsEachDirection("x", false))
                .endControlFlow()
                .add(addInputGradientRows());
        return method(layer.methods().inputGradients(), "∂L/∂W_ih = Σ_t " + delta() + " x_tᵀ   (equations.md (3.5)).\n")
                .addParameter(scalar.array(2), "xs")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    private MethodSpec inputGradientsFromTokens() {
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int token = tokens[t - 1]")
                .addStatement("int row = t * $N", layer.gateRowsConstant());
        if (layer.dropsInput()) {
            code.add(tokenKeep());
        }
        for (DirectionPlan direction : layer.directions()) {
            code.beginControlFlow("for (int m = 0; m < $N; m++)", layer.gateRowsConstant())
                    .addStatement("$N[m * $N + token] += $N[row + m]$L", direction.weightIh().gradientField(),
                            layer.inputConstant(), direction.deltas(), layer.dropsInput() ? " * keep" : "")
                    .endControlFlow();
        }
        code.endControlFlow();
        return method(layer.methods().inputGradientsFromTokens(), "∂L/∂W_ih = Σ_t " + delta() + " x_tᵀ for one-hot"
                        + " x_t: " + delta() + " is added to column tokens[t − 1].\n")
                .addParameter(int[].class, "tokens")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** ∂L/∂W_ih over the layer below's outputs, and the gradient those outputs receive. */
    private MethodSpec inputGradientsFromLayerBelow() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// W_ih by rows, so that each row of the input's gradient is one vectorised loop\n");
        for (DirectionPlan direction : layer.directions()) {
            code.addStatement("$T.rows($N, $N, $N, $N)", KERNELS, direction.weightIh().valueField(),
                    layer.gateRowsConstant(), layer.inputConstant(), direction.weightIhRows());
        }
        code.beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int inputRow = t * $N", below.widthConstant())
                .addStatement("int row = t * $N", layer.gateRowsConstant())
                .addStatement("$T.arraycopy($N, inputRow, $N, 0, $N)", System.class, below.states(), layer.input(),
                        layer.inputConstant())
                .add(maskInBackward(layer.input(), "x_t ⊙ m_t, the input W_ih read"))
                .addStatement("$T.fill($N, $L)", Arrays.class, layer.inputGradient(), scalar.zero())
                .add(inputWeightGradientsEachDirection(layer.input(), true))
                .add(maskInBackward(layer.inputGradient(), "∂L/∂x_t = m_t ⊙ W_ihᵀ δ: a dropped value receives nothing"))
                .addStatement("$T.arraycopy($N, 0, $N, inputRow, $N)", System.class, layer.inputGradient(),
                        below.statesGradient(), layer.inputConstant())
                .endControlFlow()
                .add(addInputGradientRows());
        return method(layer.methods().inputGradients(), "∂L/∂W_ih = Σ_t " + delta() + " x_tᵀ with x_t row t of "
                        + below.name() + "'s output, and the gradient that row\nreceives from above, W_ihᵀ " + delta()
                        + (layer.isBidirectional() ? " summed over directions" : "") + ", into row t of "
                        + below.statesGradient() + ".\n")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /** With input dropout, {@code values} (one step's, at t) times m_t in backward; nothing otherwise. */
    private CodeBlock maskInBackward(String values, String why) {
        if (!layer.dropsInput()) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .beginControlFlow("if ($N)", Field.DROPPING)
                .add("// $L   (equations.md (16.1), (16.3))\n", why)
                .addStatement("$T.multiply($N, 0, $N, inputRow, $N)", DROPOUT_MASKS, values, layer.dropout().inputMask(),
                        layer.inputConstant())
                .endControlFlow()
                .build();
    }

    private static MethodSpec.Builder method(String name, String javadoc) {
        return MethodSpec.methodBuilder(name).addModifiers(PRIVATE).addJavadoc("$L", javadoc);
    }
}
