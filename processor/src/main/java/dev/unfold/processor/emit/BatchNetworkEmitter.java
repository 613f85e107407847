package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCHES;
import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;
import static dev.unfold.processor.declaration.RuntimeTypes.CHECKS;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.GeneratedNames.Constant;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Emits the batched entry points ({@code forward} and {@code backward} over {@code double[][][]}
 * or {@code int[][]}) and what they share: the batch-row buffers, their reservation, the input
 * transposition, and the order of the layers' and the output's batched methods. Sequences of
 * different lengths run in the same pass, masked: each lane knows its sequence's length, and past
 * it the layers hold a zero state and the loss counts nothing (see {@link BatchCellEmitter}).
 */
final class BatchNetworkEmitter implements GeneratedPart {
    /** A private method of the batched pass over {@code steps} steps of {@code lanes} lanes. */
    static MethodSpec.Builder batchMethod(String name, String javadoc) {
        return MethodSpec.methodBuilder(name)
                .addModifiers(PRIVATE)
                .addJavadoc("$L", javadoc)
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes");
    }

    /** Per-sequence initial and final states, for sequence to sequence in batches. */
    private final BatchStateEmitter states;
    /** Stateful batches: the streams carried from one batched call to the next. */
    private final BatchStreamsEmitter streams;
    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final BatchPlan batch;
    private final List<BatchLayerEmitter> layers = new ArrayList<>();
    private final BatchOutputEmitter output;

    BatchNetworkEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.states = new BatchStateEmitter(network);
        this.streams = new BatchStreamsEmitter(network);
        this.batch = network.batch();
        for (LayerPlan layer : network.layers()) {
            layers.add(new BatchLayerEmitter(network, layer));
        }
        this.output = new BatchOutputEmitter(network);
    }

    /** The batch-row buffers batchReserve grows, each declared by the part that uses it: the layers', the output's. */
    private List<BatchBuffer> buffers() {
        List<BatchBuffer> buffers = new ArrayList<>();
        for (BatchLayerEmitter layer : layers) {
            buffers.addAll(layer.buffers());
        }
        buffers.addAll(output.buffers());
        return buffers;
    }

    @Override
    public List<FieldSpec> fields() {
        if (network.runsOneSequenceAtATime()) {
            return List.of();
        }
        List<FieldSpec> fields = new ArrayList<>(states.fields());
        fields.add(FieldSpec.builder(int.class, batch.steps(), PRIVATE)
                .addJavadoc("Steps the batch buffers below can hold; $N grows them.\n", Method.BATCH_RESERVE)
                .build());
        fields.add(FieldSpec.builder(int.class, batch.lanes(), PRIVATE)
                .addJavadoc("Lanes (sequences, padded to a multiple of 8) each batch row can hold.\n")
                .build());
        fields.add(FieldSpec.builder(int[].class, batch.lengths(), PRIVATE)
                .addJavadoc("Each lane's sequence length; lanes past the batch have the longest.\n")
                .build());
        fields.add(FieldSpec.builder(int.class, batch.shortest(), PRIVATE)
                .addJavadoc("The shortest sequence's length: up to it, no lane is masked.\n")
                .build());
        fields.add(FieldSpec.builder(scalar.array(2), batch.inputs(), PRIVATE)
                .addJavadoc("The batch's dense inputs, row t · INPUT + j holding x_t[j] of every sequence.\n")
                .build());
        for (BatchBuffer buffer : buffers()) {
            fields.add(FieldSpec.builder(scalar.array(2), buffer.name(), PRIVATE)
                    .addJavadoc("Batch rows: $L\n", buffer.doc())
                    .build());
        }
        String size = network.output().sizeConstant();
        fields.add(FieldSpec.builder(scalar.array(1), batch.column(), PRIVATE, FINAL)
                .addJavadoc("One sequence's logits at one step, for its loss.\n")
                .initializer("new $T[$N]", scalar.type(), size)
                .build());
        fields.add(FieldSpec.builder(scalar.array(1), batch.columnDelta(), PRIVATE, FINAL)
                .addJavadoc("One sequence's δy at one step.\n")
                .initializer("new $T[$N]", scalar.type(), size)
                .build());
        return fields;
    }

    @Override
    public List<MethodSpec> methods() {
        if (network.runsOneSequenceAtATime()) {
            return oneByOne();
        }
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(forward(Input.DENSE));
        methods.add(forward(Input.TOKENS));
        for (Input input : Input.values()) {
            methods.add(backward(input, Target.DENSE));
            if (network.has(Capability.CLASSIFIER)) {
                methods.add(backward(input, Target.LABELS));
            }
        }
        methods.addAll(states.methods());
        if (network.has(Capability.ENCODER) && states.applies()) {
            methods.add(backwardFromStates(Input.DENSE));
            methods.add(backwardFromStates(Input.TOKENS));
            methods.add(backpropagateFromStates());
        }
        methods.add(reserve());
        methods.add(reserveInputs());
        methods.add(gatherInputs());
        methods.add(unroll());
        methods.add(backpropagate());
        for (BatchLayerEmitter layer : layers) {
            methods.addAll(layer.methods());
        }
        methods.addAll(output.methods());
        return methods;
    }

    /**
     * A network that feeds its output back runs a batch one sequence after another: running free
     * goes step by step, and each sequence's scheduled sampling flips its own coins. Each sequence
     * still starts from a zero state.
     */
    private List<MethodSpec> oneByOne() {
        List<MethodSpec> methods = new ArrayList<>();
        for (Input input : Input.values()) {
            MethodSpec.Builder forward = NetworkEmitter.override(Method.FORWARD, TypeName.VOID);
            addInput(forward, input);
            forward.addParameter(scalar.array(3), "ys");
            refuseWhenStateful(forward);
            methods.add(forward.addComment("running free goes step by step: one sequence after another")
                    .addStatement("$T.forwardEach(this, $L, ys$L)", BATCHES, inputName(input), eachContext()).build());
            for (boolean labels : network.has(Capability.CLASSIFIER) ? new boolean[] {false, true}
                    : new boolean[] {false}) {
                MethodSpec.Builder backward = NetworkEmitter.override(Method.BACKWARD, Scalar.LOSS);
                addInput(backward, input);
                backward.addParameter(labels ? TypeName.get(int[][].class) : scalar.array(3), labels ? "labels" : "targets");
                refuseWhenStateful(backward);
                methods.add(backward.addStatement("return $T.backwardEach(this, $L, $L$L)", BATCHES, inputName(input),
                        labels ? "labels" : "targets", eachContext()).build());
            }
        }
        return methods;
    }

    /** With a context too, each sequence reads its own: the one setContexts gave it. */
    private CodeBlock eachContext() {
        if (!network.hasContext()) {
            return CodeBlock.of("");
        }
        return CodeBlock.of(", $N, $N, $N, $N", Field.BATCH_CONTEXTS, Field.BATCH_CONTEXT_COUNT,
                Field.CONTEXT_VECTOR, Field.KEPT_CONTEXT);
    }

    private enum Input { DENSE, TOKENS }

    private enum Target { DENSE, LABELS }

    private MethodSpec forward(Input input) {
        MethodSpec.Builder method = NetworkEmitter.override(Method.FORWARD, TypeName.VOID);
        addInput(method, input);
        method.addParameter(scalar.array(3), "ys");
        refuseWhenStatefulWithoutStreams(method);
        checkInputs(method, input);
        checkRows(method, input, "outputs", "ys");
        makeRoom(method, input);
        prepare(method, input);
        method.addCode(streams.carry());
        return method.addStatement("$N(ys, batch, steps)", Method.BATCH_PREDICT).build();
    }

    private MethodSpec backward(Input input, Target target) {
        MethodSpec.Builder method = NetworkEmitter.override(Method.BACKWARD, Scalar.LOSS);
        addInput(method, input);
        String targets = target == Target.DENSE ? "targets" : "labels";
        method.addParameter(target == Target.DENSE ? scalar.array(3) : TypeName.get(int[][].class), targets);
        refuseWhenStatefulWithoutStreams(method);
        refuseWhileTracing(method);
        checkInputs(method, input);
        checkRows(method, input, targets, targets);
        makeRoom(method, input);
        if (network.hasDropout()) {
            // the only batched pass that drops: lane b draws the masks of the call's sequence b
            method.addStatement("$N($L, batch, steps, lanes)", Method.BATCH_BEGIN_DROPOUT,
                            input == Input.DENSE ? "null" : "tokens")
                    .beginControlFlow("try");
        }
        prepare(method, input);
        method.addCode(streams.carry());
        method.addStatement("$T loss = $N($N, batch, steps, lanes)", Scalar.LOSS, Method.BATCH_LOSS_AND_DELTA, targets)
                .addStatement("$N(steps, lanes)", Method.BATCH_BACKPROPAGATE);
        LayerPlan first = network.layers().get(0);
        if (input == Input.DENSE) {
            method.addStatement("$N(steps, lanes)", first.batch().inputGradients());
        } else {
            method.addStatement("$N(tokens, batch, steps)", first.batch().inputGradientsFromTokens());
        }
        method.addStatement("return loss");
        if (network.hasDropout()) {
            method.nextControlFlow("finally").addStatement("$N(batch)", Method.END_DROPOUT).endControlFlow();
        }
        return method.build();
    }

    /** A traceable network's batched backward refuses while tracing: the trace is one sequence's. */
    private void refuseWhileTracing(MethodSpec.Builder method) {
        if (network.has(Capability.TRACEABLE)) {
            method.addCode(StateGradientTraceEmitter.refuseBatch());
        }
    }

    /** A batched call that continues the streams when stateful; without them, one that refuses while stateful. */
    private void refuseWhenStatefulWithoutStreams(MethodSpec.Builder method) {
        if (!streams.applies()) {
            refuseWhenStateful(method);
        }
    }

    /** A network that can carry state refuses batches while it does: each of their sequences starts from zero. */
    private void refuseWhenStateful(MethodSpec.Builder method) {
        if (network.carriesState()) {
            method.addStatement("$T.requireStateless($N)", BATCHES, Field.STATEFUL);
        }
    }

    private static String inputName(Input input) {
        return input == Input.DENSE ? "xs" : "tokens";
    }

    private void addInput(MethodSpec.Builder method, Input input) {
        method.addParameter(input == Input.DENSE ? scalar.array(3) : TypeName.get(int[][].class), inputName(input));
    }

    /**
     * Checks the inputs, and that the batch fits the initial states and contexts set for it. Every
     * check comes before {@link #makeRoom}: a refused call leaves the buffers, and the last batch's
     * final states, as they were.
     */
    private void checkInputs(MethodSpec.Builder method, Input input) {
        method.addStatement("int steps = $T.longest($L, $N)", BATCHES, inputName(input), Constant.INPUT)
                .addStatement("int batch = $L.length", inputName(input))
                .addCode(states.checkBatch())
                .addCode(streams.checkBatch());
        if (network.hasContext()) {
            method.addStatement("$T.contextCount($N, batch)", BATCHES, Field.BATCH_CONTEXT_COUNT);
        }
    }

    /**
     * Checks the output buffers, targets or labels ({@code kind}, the Batches check) in argument
     * {@code name}: the rows {@code outputSteps} gives each input sequence.
     */
    private void checkRows(MethodSpec.Builder method, Input input, String kind, String name) {
        method.addStatement("$T.$L(this, $N, $L)", BATCHES, kind, name, inputName(input));
    }

    /** Makes room for the longest sequence and notes each lane's length, once the call is checked. */
    private void makeRoom(MethodSpec.Builder method, Input input) {
        method.addStatement("int lanes = $T.lanes(batch)", BATCH_KERNELS)
                .addStatement("$N(steps, lanes)", Method.BATCH_RESERVE)
                .addStatement("$N = $T.lengths($L, steps, $N, lanes)", batch.shortest(), BATCHES, inputName(input),
                        batch.lengths())
                .addCode(states.noteBatch());
    }

    /** An encoder's batched backward pass: forward, then BPTT seeded at each sequence's own last step. */
    private MethodSpec backwardFromStates(Input input) {
        MethodSpec.Builder method = NetworkEmitter.override(Method.BACKWARD_FROM_STATES, TypeName.VOID);
        addInput(method, input);
        method.addParameter(Scalar.stateArray(2), "gradients");
        refuseWhenStateful(method);
        refuseWhileTracing(method);
        checkInputs(method, input);
        method.addStatement("$T.finiteStates($S, gradients, batch, $N)", BATCHES, "gradients",
                network.savedState().sizeConstant());
        method.addCode(scalar.checkStateRange("$S, gradients, $N, $S", "gradients", network.savedState().sizeConstant(),
                "a state gradient"));
        makeRoom(method, input);
        prepare(method, input);
        method.addStatement("$N = gradients", Field.BATCH_SEEDS)
                .beginControlFlow("try")
                .addStatement("$N(steps, lanes)", Method.BATCH_BACKPROPAGATE_FROM_STATES)
                .nextControlFlow("finally")
                .addStatement("$N = null", Field.BATCH_SEEDS)
                .endControlFlow();
        LayerPlan first = network.layers().get(0);
        if (input == Input.DENSE) {
            method.addStatement("$N(steps, lanes)", first.batch().inputGradients());
        } else {
            method.addStatement("$N(tokens, batch, steps)", first.batch().inputGradientsFromTokens());
        }
        return method.build();
    }

    /** Batched BPTT with no loss at the output, each layer seeded where each sequence ends. */
    private MethodSpec backpropagateFromStates() {
        LayerPlan top = network.topLayer();
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.BATCH_BACKPROPAGATE_FROM_STATES)
                .addModifiers(PRIVATE)
                .addJavadoc("Batched BPTT from each sequence's ∂L/∂(final state), with no loss at the output: adds\n"
                        + "every gradient but the first layer's ∂L/∂W_ih.\n")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes")
                .addComment("the output is not part of this loss: nothing arrives from above")
                .beginControlFlow("for (int row = $N; row < (steps + 1) * $N; row++)", top.widthConstant(),
                        top.widthConstant())
                .addStatement("$T.fill($N[row], 0, lanes, $L)", Arrays.class, top.batch().statesGradient(), scalar.zero())
                .endControlFlow();
        for (int i = layers.size() - 1; i >= 0; i--) {
            method.addCode(layers.get(i).backpropagate());
        }
        return method.build();
    }

    /** The inputs as batch rows, the first layer's projection, then the forward pass. */
    private void prepare(MethodSpec.Builder method, Input input) {
        LayerPlan first = network.layers().get(0);
        if (network.hasContext()) {
            method.addComment("b + R x_b, each sequence's context")
                    .addStatement("$N(batch, lanes)", Method.BATCH_CONTEXT_BIASES);
        }
        if (input == Input.DENSE) {
            method.addStatement("$N()", network.helpers().batchReserveInputs())
                    .addStatement("$N(xs, batch, steps, lanes)", Method.BATCH_GATHER_INPUTS)
                    .addCode(DropoutEmitter.dropBatchInputs(network))
                    .addStatement("$N(steps, lanes)", first.batch().projectInputs());
        } else {
            method.addStatement("$N(tokens, batch, steps, lanes)", first.batch().projectTokens());
        }
        method.addStatement("$N(steps, lanes)", Method.BATCH_UNROLL);
    }


    private MethodSpec reserve() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.BATCH_RESERVE)
                .addModifiers(PRIVATE)
                .addJavadoc("Grows the batch buffers to hold {@code steps} steps of {@code lanes} lanes; allocates\n"
                        + "only for a batch longer or wider than any before.\n")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes")
                .beginControlFlow("if (steps <= $N && lanes <= $N)", batch.steps(), batch.lanes())
                .addStatement("return")
                .endControlFlow()
                .addStatement("$N = $T.max(steps, $N)", batch.steps(), Math.class, batch.steps())
                .addStatement("$N = $T.max(lanes, $N)", batch.lanes(), Math.class, batch.lanes())
                .addStatement("$N = new int[$N]", batch.lengths(), batch.lanes());
        for (BatchBuffer buffer : buffers()) {
            method.addStatement("$N = new $T[$L][$N]", buffer.name(), scalar.type(), buffer.rows(), batch.lanes());
        }
        return method.addCode("$N = null;   // regrown by $N when dense inputs come\n", batch.inputs(),
                network.helpers().batchReserveInputs()).build();
    }

    private MethodSpec reserveInputs() {
        return MethodSpec.methodBuilder(network.helpers().batchReserveInputs())
                .addModifiers(PRIVATE)
                .addJavadoc("The dense input rows at the size of the other batch buffers; token input never needs them.\n")
                .beginControlFlow("if ($N == null)", batch.inputs())
                .addStatement("$N = new $T[$T.bufferLength($N, $N)][$N]", batch.inputs(), scalar.type(), CHECKS,
                        batch.steps(), Constant.INPUT, batch.lanes())
                .endControlFlow()
                .build();
    }

    private MethodSpec gatherInputs() {
        String input = Constant.INPUT;
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow("for (int b = 0; b < batch; b++)")
                .addStatement("$T sequence = xs[b]", scalar.array(2))
                .beginControlFlow("for (int t = 1; t <= steps; t++)")
                .addStatement("int row = t * $N", input)
                .beginControlFlow("if (t > sequence.length)")
                .add("// zeros past the sequence's end\n")
                .beginControlFlow("for (int j = 0; j < $N; j++)", input)
                .addStatement("$N[row + j][b] = $L", batch.inputs(), scalar.zero())
                .endControlFlow()
                .nextControlFlow("else")
                .addStatement("$T x = sequence[t - 1]", scalar.array(1))
                .beginControlFlow("for (int j = 0; j < $N; j++)", input)
                .addStatement("$N[row + j][b] = x[j]", batch.inputs())
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .add("// lanes past the batch read zeros\n")
                .beginControlFlow("for (int row = $N; row < (steps + 1) * $N; row++)", input, input)
                .addStatement("$T.fill($N[row], batch, lanes, $L)", Arrays.class, batch.inputs(), scalar.zero())
                .endControlFlow()
                .build();
        return MethodSpec.methodBuilder(Method.BATCH_GATHER_INPUTS)
                .addModifiers(PRIVATE)
                .addJavadoc("The batch's inputs as batch rows: x_t[j] of sequence b into lane b of row t · INPUT + j.\n")
                .addParameter(scalar.array(3), "xs")
                .addParameter(int.class, "batch")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes")
                .addCode(code)
                .build();
    }

    private MethodSpec unroll() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.BATCH_UNROLL)
                .addModifiers(PRIVATE)
                .addJavadoc("The batched forward pass once the first layer's inputs are projected: every layer\n"
                        + "bottom-up from zero states (or the given or carried ones), then the output logits.\n")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes");
        for (int i = 0; i < layers.size(); i++) {
            if (i > 0) {
                method.addStatement("$N(steps, lanes)", network.layers().get(i).batch().projectInputs());
            }
            method.addCode(layers.get(i).run());
        }
        return method.addStatement("$N(steps, lanes)", Method.BATCH_OUTPUT_LOGITS).build();
    }

    private MethodSpec backpropagate() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.BATCH_BACKPROPAGATE)
                .addModifiers(PRIVATE)
                .addJavadoc("Batched BPTT from the output down to the first layer, adding every gradient but the\n"
                        + "first layer's ∂L/∂W_ih, which depends on how the input arrived.\n")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes")
                .addStatement("$N(steps, lanes)", Method.BATCH_OUTPUT_GRADIENTS);
        for (int i = layers.size() - 1; i >= 0; i--) {
            method.addCode(layers.get(i).backpropagate());
        }
        return method.build();
    }

}
