package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;
import static dev.unfold.processor.declaration.RuntimeTypes.DROPOUT_MASKS;
import static dev.unfold.processor.emit.BatchNetworkEmitter.batchMethod;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.DropoutPlan;
import dev.unfold.processor.plan.GeneratedNames.Constant;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.ProjectionPlan;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits one layer's part of the batched pass: the input projection W_ih x_t + b of every step and
 * sequence, each direction's recurrence and BPTT (through {@link BatchCellEmitter}), the weight
 * gradients summed over steps and sequences in one product each, and the gradient the layer below
 * receives.
 */
final class BatchLayerEmitter {
    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final LayerPlan layer;
    /** The layer below, or null for the first layer, which reads the network's input. */
    private final LayerPlan below;
    private final List<BatchCellEmitter> cells = new ArrayList<>();
    /** Per-sequence states: each lane's own initial state, and seeds where each sequence ends. */
    private final BatchStateEmitter states;
    /** Stateful batches: each stream's carried state instead of zero. */
    private final BatchStreamsEmitter streams;

    BatchLayerEmitter(NetworkPlan network, LayerPlan layer) {
        this.network = network;
        this.scalar = network.scalar();
        this.layer = layer;
        this.below = layer.readsNetworkInput() ? null : network.layers().get(layer.index() - 1);
        this.states = new BatchStateEmitter(network);
        this.streams = new BatchStreamsEmitter(network);
        for (DirectionPlan direction : layer.directions()) {
            cells.add(new BatchCellEmitter(network.batch(), layer, direction, scalar, states.seed(layer, direction)));
        }
    }

    /** The layer's batch rows: its states and their gradient, and each direction's gates, inner states, products and deltas. */
    List<BatchBuffer> buffers() {
        List<BatchBuffer> buffers = new ArrayList<>();
        LayerPlan.Batch names = layer.batch();
        buffers.add(BatchBuffer.perStep(names.states(), layer.widthConstant(), layer.name() + "'s outputs, rows as in "
                + layer.states() + "."));
        buffers.add(BatchBuffer.perStep(names.statesGradient(), layer.widthConstant(), "∂L/∂" + names.states() + " from above."));
        for (DirectionPlan direction : layer.directions()) {
            DirectionPlan.Batch d = direction.batch();
            if (d.preactivations() != null) {
                buffers.add(BatchBuffer.perStep(d.preactivations(), layer.gateRowsConstant(), "The gates, as in "
                        + direction.preactivations() + "."));
            }
            for (StatePlan state : direction.innerStates()) {
                buffers.add(BatchBuffer.perStep(state.batchSteps(), state.rowWidth(), state.symbol() + "_t, as in "
                        + state.steps() + "."));
            }
            if (d.hiddenProducts() != null) {
                buffers.add(BatchBuffer.perStep(d.hiddenProducts(), layer.hiddenConstant(), "W_hn h + b_hn, as in "
                        + direction.hiddenProducts() + "."));
            }
            ProjectionPlan projection = direction.projection();
            if (projection != null) {
                buffers.add(BatchBuffer.perStep(projection.batchSteps(), layer.hiddenConstant(),
                        "m_t = o_t ⊙ tanh(c_t), as in " + projection.steps() + "."));
                buffers.add(BatchBuffer.perStep(projection.batchStateGradients(), layer.stateConstant(), "δh_t, as in "
                        + projection.stateGradients() + "."));
                buffers.add(BatchBuffer.fixed(projection.batchGradient(), layer.hiddenConstant(),
                        "δm_t = W_hrᵀ δh_t of a step."));
            }
            buffers.add(BatchBuffer.perStep(d.deltas(), layer.gateRowsConstant(), "δ of the pre-activations, as in "
                    + direction.deltas() + "."));
            if (direction.hasSeparateHiddenDeltas()) {
                buffers.add(BatchBuffer.perStep(d.hiddenDeltas(), layer.gateRowsConstant(), "The hidden side's δ, as in "
                        + direction.hiddenDeltas() + "."));
            }
            buffers.add(BatchBuffer.fixed(d.dhNext(), layer.stateConstant(), "What the previous state receives from a step."));
            if (d.contextBias() != null) {
                buffers.add(BatchBuffer.fixed(d.contextBias(), layer.gateRowsConstant(), "b + R x_b of every lane's context."));
            }
            for (StatePlan state : direction.innerStates()) {
                buffers.add(BatchBuffer.fixed(state.batchGradient(), state.sizeConstant(), "What " + state.symbol()
                        + "_{t∓1} receives from a step."));
            }
        }
        buffers.addAll(dropoutBuffers());
        return buffers;
    }

    /** With dropout: the masks of backward's batch, and the dropped values the products read. */
    private List<BatchBuffer> dropoutBuffers() {
        List<BatchBuffer> buffers = new ArrayList<>();
        DropoutPlan dropout = layer.dropout();
        if (dropout == null) {
            return buffers;
        }
        if (dropout.batchInputMask() != null) {
            buffers.add(BatchBuffer.perStep(dropout.batchInputMask(), layer.inputConstant(),
                    "backward's input masks m_t of every lane, rows as in " + below.batch().states() + "."));
            buffers.add(BatchBuffer.perStep(dropout.batchDroppedInputs(), layer.inputConstant(),
                    "x_t ⊙ m_t, the input W_ih reads in backward."));
        }
        if (dropout.batchTokenKeep() != null) {
            buffers.add(new BatchBuffer(dropout.batchTokenKeep(), CodeBlock.of("$N + 2", Field.BATCH_STEPS),
                    "row t: m_t at each lane's token of step t, in backward."));
        }
        if (dropout.dropsRecurrent()) {
            buffers.add(BatchBuffer.perStep(dropout.batchDroppedStates(), layer.widthConstant(),
                    "h_{t∓1} ⊙ r, which W_hh reads in backward, rows as in " + layer.batch().states() + "."));
            for (int d = 0; d < dropout.batchRecurrentMasks().size(); d++) {
                buffers.add(BatchBuffer.fixed(dropout.batchRecurrentMasks().get(d), layer.stateConstant(),
                        "backward's recurrent mask r of every lane."));
                buffers.add(BatchBuffer.fixed(dropout.batchDroppedGradients().get(d), layer.stateConstant(),
                        "W_hhᵀ δ of a step in backward, before r."));
            }
        }
        return buffers;
    }

    List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(projectInputs());
        if (below == null) {
            methods.add(projectTokens());
        }
        for (BatchCellEmitter cell : cells) {
            methods.add(cell.recur());
            methods.add(cell.backward());
        }
        methods.add(gradients());
        if (below == null) {
            methods.add(inputGradients());
            methods.add(inputGradientsFromTokens());
        }
        return methods;
    }

    /** The forward pass of this layer once its inputs are projected: each direction from a zero state. */
    CodeBlock run() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (BatchCellEmitter cell : cells) {
            code.add(cell.zeroInitialStates());
            if (!cell.direction.reverse()) {
                code.add(states.restoreInitialState(layer));
                code.add(streams.restoreInitialState(layer));
            }
            code.addStatement("$N(steps, lanes)", cell.batch.recur());
        }
        return code.build();
    }

    /** BPTT through this layer, then its gradients and what the layer below receives. */
    CodeBlock backpropagate() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (BatchCellEmitter cell : cells) {
            code.addStatement("$N(steps, lanes)", cell.batch.backward());
        }
        return code.addStatement("$N(steps, lanes)", layer.batch().gradients()).build();
    }

    /** Where a direction's pre-activations live: its gate buffer, or (the simple cell) its half of the layer's states. */
    private String preactivations(DirectionPlan direction) {
        return layer.cell().isGated() ? direction.batch().preactivations() : layer.batch().states();
    }

    private String inputRows() {
        return below == null ? network.batch().inputs() : below.batch().states();
    }

    private MethodSpec projectInputs() {
        CodeBlock.Builder code = CodeBlock.builder().add(BiasPairEmitter.sumBiases(layer));
        boolean drops = below != null && layer.dropsInput();
        if (drops) {
            DropoutPlan dropout = layer.dropout();
            code.beginControlFlow("if ($N)", Field.DROPPING)
                    .add("// backward drops: x_t ⊙ m_t of every lane and step   (equations.md (16.1))\n")
                    .addStatement("$T.dropLanes($N, $N, $N, $N, $N, $N, steps * $N, lanes)", DROPOUT_MASKS,
                            below.batch().states(), layer.inputConstant(), dropout.batchInputMask(),
                            layer.inputConstant(), dropout.batchDroppedInputs(), layer.inputConstant(),
                            layer.inputConstant())
                    .endControlFlow()
                    .addStatement("$T x = $N ? $N : $N", scalar.array(2), Field.DROPPING, dropout.batchDroppedInputs(),
                            below.batch().states());
        }
        code.beginControlFlow("for (int t = 1; t <= steps; t++)");
        for (DirectionPlan direction : layer.directions()) {
            String target = preactivations(direction);
            code.addStatement("int $N = $L", rowName(direction), LayerEmitter.preactivationRow(layer, direction))
                    .beginControlFlow("for (int m = 0; m < $N; m++)", layer.gateRowsConstant());
            if (direction.batch().contextBias() != null) {
                code.add("// b + R x_b\n").addStatement("$T.arraycopy($N[m], 0, $N[$N + m], 0, lanes)", System.class,
                        direction.batch().contextBias(), target, rowName(direction));
            } else {
                code.addStatement("$T.fill($N[$N + m], 0, lanes, $N[m])", Arrays.class, target, rowName(direction),
                        direction.bias().valueField());
            }
            code.endControlFlow()
                    .addStatement("$T.addProduct($N, $N, $N, $N, t * $N, $N, $N, lanes)", BATCH_KERNELS,
                            direction.weightIh().valueField(), layer.gateRowsConstant(), layer.inputConstant(),
                            drops ? "x" : inputRows(), layer.inputConstant(), target, rowName(direction));
        }
        code.endControlFlow();
        return batchMethod(layer.batch().projectInputs(), "a_t = W_ih x_t + b for every step and sequence, where x_t is "
                + (below == null ? "the network's input" : "row block t of " + below.name() + "'s states") + ".\n")
                .addCode(code.build())
                .build();
    }

    private static String rowName(DirectionPlan direction) {
        return direction.reverse() ? "reverseRow" : "row";
    }

    private MethodSpec projectTokens() {
        CodeBlock.Builder code = CodeBlock.builder().add(BiasPairEmitter.sumBiases(layer))
                .beginControlFlow("for (int t = 1; t <= steps; t++)");
        code.add(tokenKeep());
        for (DirectionPlan direction : layer.directions()) {
            code.addStatement("int $N = $L", rowName(direction), LayerEmitter.preactivationRow(layer, direction))
                    .beginControlFlow("for (int m = 0; m < $N; m++)", layer.gateRowsConstant())
                    .addStatement("$T sums = $N[$N + m]", scalar.array(1), preactivations(direction), rowName(direction));
            boolean context = direction.batch().contextBias() != null;
            if (context) {
                code.add("// b + R x_b\n").addStatement("$T biases = $N[m]", scalar.array(1), direction.batch().contextBias());
            } else {
                code.addStatement("$T bias = $N[m]", scalar.type(), direction.bias().valueField());
            }
            code.beginControlFlow("for (int b = 0; b < batch; b++)")
                    .add("// past a sequence's end, token 0: its state is cleared anyway\n")
                    .addStatement("int token = t <= $N[b] ? tokens[b][t - 1] : 0", network.batch().lengths())
                    .addStatement("sums[b] = $N[m * $N + token]$L + $L", direction.weightIh().valueField(),
                            layer.inputConstant(), keepFactor(), context ? "biases[b]" : "bias")
                    .endControlFlow()
                    .addStatement(context ? "$T.arraycopy(biases, batch, sums, batch, lanes - batch)"
                            : "$T.fill(sums, batch, lanes, bias)", context ? System.class : Arrays.class)
                    .endControlFlow();
        }
        code.endControlFlow();
        return MethodSpec.methodBuilder(layer.batch().projectTokens())
                .addModifiers(PRIVATE)
                .addJavadoc("a_t = W_ih x_t + b for one-hot x_t of every sequence: column tokens[b][t − 1] of W_ih.\n")
                .addParameter(int[][].class, "tokens")
                .addParameter(int.class, "batch")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes")
                .addCode(code.build())
                .build();
    }

    /** With input dropout, binds {@code keep}, the lanes' mask entries at their tokens of step t. */
    private CodeBlock tokenKeep() {
        if (!layer.dropsInput()) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .add("// in backward, each lane's token is scaled by its entry of m_t, 0 or 1/(1 − p)   (equations.md (16.1))\n")
                .addStatement("$T keep = $N[t]", scalar.array(1), layer.dropout().batchTokenKeep())
                .build();
    }

    /** What a token's column is multiplied by: its entry of m_t in backward, 1 (exactly) otherwise. */
    private String keepFactor() {
        return layer.dropsInput() ? " * (" + Field.DROPPING + " ? keep[b] : 1)" : "";
    }

    private MethodSpec gradients() {
        CodeBlock.Builder code = CodeBlock.builder();
        String state = layer.stateConstant();
        String width = layer.widthConstant();
        String rows = layer.gateRowsConstant();
        DropoutPlan dropout = layer.dropout();
        String recurrentInput = layer.batch().states();
        if (layer.dropsRecurrent()) {
            code.add("// in backward W_hh read h ⊙ r: ∂L/∂W_hh sums δ (h ⊙ r)ᵀ   (equations.md (16.4))\n")
                    .addStatement("$T recurrentInput = $N ? $N : $N", scalar.array(2), Field.DROPPING,
                            dropout.batchDroppedStates(), layer.batch().states());
            recurrentInput = "recurrentInput";
        }
        String input = below == null ? null : below.batch().states();
        if (below != null && layer.dropsInput()) {
            code.add("// in backward W_ih read x_t ⊙ m_t   (equations.md (16.1))\n")
                    .addStatement("$T x = $N ? $N : $N", scalar.array(2), Field.DROPPING,
                            dropout.batchDroppedInputs(), below.batch().states());
            input = "x";
        }
        for (BatchCellEmitter cell : cells) {
            DirectionPlan direction = cell.direction;
            DirectionPlan.Batch batch = direction.batch();
            code.add("// ∂L/∂W_hh$L = Σ_t Σ_b δa_t $L ᵀ: every step and sequence in one product\n",
                            direction.reverse() ? " (reverse)" : "", direction.reverse() ? "h_{t+1}" : "h_{t−1}")
                    .addStatement("$T.addOuterProducts($N, $N, $N, $N, $L, $N, steps, $N, $N, $N, lanes)", BATCH_KERNELS,
                            batch.hiddenDeltas(), rows, rows, recurrentInput,
                            direction.reverse() ? CodeBlock.of("2 * $N + $N", width, state) : CodeBlock.of("0"),
                            width, rows, state, direction.weightHh().gradientField())
                    .add("// ∂L/∂b = Σ_t Σ_b δa_t\n")
                    .add(sumRows(scalar, batch.deltas(), rows, CodeBlock.of("m"), rows, direction.bias().gradientField()));
            if (direction.weightContext() != null) {
                code.add(contextGradient(direction));
            }
            code.add(cell.cellParameterGradients());
            if (below != null) {
                code.add("// ∂L/∂W_ih = Σ_t Σ_b δa_t x_tᵀ, x_t being row block t of $N's states\n", below.name())
                        .addStatement("$T.addOuterProducts($N, $N, $N, $N, $N, $N, steps, $N, $N, $N, lanes)",
                                BATCH_KERNELS, batch.deltas(), rows, rows, input,
                                below.widthConstant(), below.widthConstant(), rows, below.widthConstant(),
                                direction.weightIh().gradientField());
            }
        }
        if (below != null) {
            code.add("// what $N receives from above: W_ihᵀ δa_t at every step\n", below.name())
                    .beginControlFlow("for (int t = 1; t <= steps; t++)")
                    .beginControlFlow("for (int j = 0; j < $N; j++)", below.widthConstant())
                    .addStatement("$T.fill($N[t * $N + j], 0, lanes, $L)", Arrays.class,
                            below.batch().statesGradient(), below.widthConstant(), scalar.zero())
                    .endControlFlow();
            for (DirectionPlan direction : layer.directions()) {
                code.addStatement("$T.addTransposedProduct($N, $N, $N, $N, t * $N, $N, t * $N, lanes)", BATCH_KERNELS,
                        direction.weightIh().valueField(), rows, below.widthConstant(), direction.batch().deltas(),
                        rows, below.batch().statesGradient(), below.widthConstant());
            }
            code.endControlFlow();
            if (layer.dropsInput()) {
                code.beginControlFlow("if ($N)", Field.DROPPING)
                        .add("// ∂L/∂x_t = m_t ⊙ W_ihᵀ δa_t: a dropped value receives nothing   (equations.md (16.3))\n")
                        .addStatement("$T.multiplyLanes($N, $N, $N, $N, steps * $N, lanes)", DROPOUT_MASKS,
                                below.batch().statesGradient(), below.widthConstant(), dropout.batchInputMask(),
                                below.widthConstant(), below.widthConstant())
                        .endControlFlow();
            }
        }
        code.add(BiasPairEmitter.splitBiasGradients(layer));
        return batchMethod(layer.batch().gradients(), "The gradients of " + layer.name() + "'s "
                + (below == null ? "W_hh and biases" : "weights and biases, and what " + below.name() + " receives")
                + ", summed over the batch.\n")
                .addCode(code.build())
                .build();
    }

    /** ∂L/∂R = Σ_b (Σ_t δa_{t,b}) x_bᵀ: each sequence's deltas summed over its steps, times its context. */
    private CodeBlock contextGradient(DirectionPlan direction) {
        String rows = layer.gateRowsConstant();
        return CodeBlock.builder()
                .add("// ∂L/∂R = Σ_b (Σ_t δa_t,b) x_bᵀ: a context is the same at every step of its sequence\n")
                .beginControlFlow("for (int m = 0; m < $N; m++)", rows)
                .beginControlFlow("for (int b = 0; b < $N; b++)", Field.BATCH_CONTEXT_COUNT)
                .addStatement("$T sum = 0", scalar.type())
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("sum += $N[t * $N + m][b]", direction.batch().deltas(), rows)
                .endControlFlow()
                .addStatement("$T x = $N[b]", scalar.array(1), Field.BATCH_CONTEXTS)
                .beginControlFlow("for (int j = 0; j < $N; j++)", Constant.CONTEXT)
                .addStatement("$N[m * $N + j] += sum * x[j]", direction.weightContext().gradientField(),
                        Constant.CONTEXT)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** {@code into[m] += Σ_t Σ_b buffer[t · stride + first][b]} for m &lt; count. */
    /** Into {@code into}[m], m < {@code count}: Σ_t Σ_b of rows {@code first} of each step's block of {@code buffer}. */
    static CodeBlock sumRows(Scalar scalar, String buffer, String count, CodeBlock first, String stride, String into) {
        return CodeBlock.builder()
                .beginControlFlow("for (int m = 0; m < $N; m++)", count)
                .addStatement("$T sum = 0", scalar.type())
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("$T deltas = $N[t * $N + $L]", scalar.array(1), buffer, stride, first)
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("sum += deltas[b]")
                .endControlFlow()
                .endControlFlow()
                .addStatement("$N[m] += sum", into)
                .endControlFlow()
                .build();
    }

    private MethodSpec inputGradients() {
        CodeBlock.Builder code = CodeBlock.builder();
        String rows = layer.gateRowsConstant();
        for (DirectionPlan direction : layer.directions()) {
            code.addStatement("$T.addOuterProducts($N, $N, $N, $N, $N, $N, steps, $N, $N, $N, lanes)", BATCH_KERNELS,
                    direction.batch().deltas(), rows, rows, network.batch().inputs(), Constant.INPUT,
                    Constant.INPUT, rows, Constant.INPUT, direction.weightIh().gradientField());
        }
        return batchMethod(layer.batch().inputGradients(), "∂L/∂W_ih = Σ_t Σ_b δa_t x_tᵀ over the batch's dense inputs.\n")
                .addCode(code.build())
                .build();
    }

    private MethodSpec inputGradientsFromTokens() {
        CodeBlock.Builder code = CodeBlock.builder().beginControlFlow("for (int t = 1; t <= steps; t++)");
        String rows = layer.gateRowsConstant();
        code.add(tokenKeep());
        for (DirectionPlan direction : layer.directions()) {
            code.beginControlFlow("for (int m = 0; m < $N; m++)", rows)
                    .addStatement("$T deltas = $N[t * $N + m]", scalar.array(1), direction.batch().deltas(), rows)
                    .beginControlFlow("for (int b = 0; b < batch; b++)")
                    .beginControlFlow("if (t <= $N[b])", network.batch().lengths())
                    .addStatement("$N[m * $N + tokens[b][t - 1]] += deltas[b]$L", direction.weightIh().gradientField(),
                            Constant.INPUT, keepFactor())
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow();
        }
        code.endControlFlow();
        return MethodSpec.methodBuilder(layer.batch().inputGradientsFromTokens())
                .addModifiers(PRIVATE)
                .addJavadoc("∂L/∂W_ih = Σ_t Σ_b δa_t x_tᵀ for one-hot x_t: δa_t is added to column tokens[b][t − 1].\n")
                .addParameter(int[][].class, "tokens")
                .addParameter(int.class, "batch")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

}
