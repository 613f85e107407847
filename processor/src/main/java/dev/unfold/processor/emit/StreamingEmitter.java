package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.CHECKS;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.plan.GeneratedNames.Constant;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.SavedState;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming and truncated BPTT, with the state carried between calls: {@code resetState}, the two
 * {@code step} methods and {@code setStateful}. A step is the forward pass over a sequence of one
 * step whose initial state (row 0) is the carried one instead of zero; afterwards row 1 is carried
 * on. A stateful network does the same for whole sequences: {@code unroll} starts from the carried
 * state and carries row T on. The public methods are generated for a network that extends
 * {@code Streaming} (or an {@code Encoder} or {@code Decoder}, which stream too), which the validator
 * allows only without a bidirectional layer.
 */
final class StreamingEmitter implements GeneratedPart {
    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final FeedbackEmitter feedback;
    private final SavedState savedState;
    /** The layers' emitters, which seed BPTT from a given state gradient and copy out the initial one's. */
    private final List<LayerEmitter> layerEmitters;

    StreamingEmitter(NetworkPlan network, List<LayerEmitter> layerEmitters) {
        this.network = network;
        this.layerEmitters = layerEmitters;
        this.scalar = network.scalar();
        this.feedback = new FeedbackEmitter(network);
        this.savedState = network.savedState();
    }

    /**
     * The constants of a saved state's layout: its size, and where each carried state but the first
     * starts, each from the one before; only for a network that carries state, which alone uses them.
     */
    @Override
    public List<FieldSpec> constants() {
        if (!network.carriesState()) {
            return List.of();
        }
        List<FieldSpec> constants = new ArrayList<>();
        SavedState.Part before = null;
        for (SavedState.Part part : savedState.parts()) {
            if (before != null) {
                LayerPlan layer = network.layers().get(part.layer());
                constants.add(FieldSpec.builder(int.class, part.offsetConstant(), PRIVATE, STATIC, FINAL)
                        .addJavadoc("Where $L's $L_t starts in a saved state.\n", layer.name(), part.state().symbol())
                        .initializer("$L", end(before))
                        .build());
            }
            before = part;
        }
        constants.add(FieldSpec.builder(int.class, savedState.sizeConstant(), PRIVATE, STATIC, FINAL)
                .addJavadoc("Values of a saved state: every layer's carried states, bottom first, h before c.\n")
                .initializer("$L", end(before))
                .build());
        return constants;
    }

    /** Where {@code part} ends: its offset plus its size. */
    private static CodeBlock end(SavedState.Part part) {
        return part.offsetConstant() == null ? CodeBlock.of("$N", part.state().sizeConstant())
                : CodeBlock.of("$N + $N", part.offsetConstant(), part.state().sizeConstant());
    }

    /** Where {@code part} starts, as a number or constant to add an offset to. */
    static CodeBlock start(SavedState.Part part) {
        return part.offsetConstant() == null ? CodeBlock.of("0") : CodeBlock.of("$N", part.offsetConstant());
    }

    /** {@code offset + STATE_X}, or just {@code offset} for the first state: where a part of a caller's state array starts. */
    static CodeBlock offsetPlus(SavedState.Part part) {
        return part.offsetConstant() == null ? CodeBlock.of("offset") : CodeBlock.of("offset + $N", part.offsetConstant());
    }


    @Override
    public List<FieldSpec> fields() {
        if (!network.carriesState()) {
            return List.of();
        }
        List<FieldSpec> fields = new ArrayList<>();
        for (LayerPlan layer : network.layers()) {
            for (StatePlan state : layer.carriedStates()) {
                fields.add(FieldSpec.builder(scalar.array(1), state.carried(), PRIVATE, FINAL)
                        .addJavadoc("When streaming: $L_t of $L, carried to the next step.\n", state.symbol(), layer.name())
                        .initializer("new $T[$N]", scalar.type(), state.sizeConstant())
                        .build());
            }
        }
        fields.add(FieldSpec.builder(boolean.class, Field.STATEFUL, PRIVATE)
                .addJavadoc("Whether sequences start from the carried state and carry their last one on.\n")
                .build());
        if (network.has(Capability.ENCODER)) {
            fields.add(FieldSpec.builder(int.class, Field.LAST_STEPS, PRIVATE)
                    .addJavadoc("Steps of the last sequence run: its final state is in that row.\n")
                    .build());
        }
        if (!network.has(Capability.STREAMING)) {
            return fields;
        }
        fields.add(FieldSpec.builder(scalar.array(2), Field.STEP_INPUTS, PRIVATE, FINAL)
                .addJavadoc("A step's input as a sequence of one, for the projection the sequence methods use.\n")
                .initializer("new $T[1][]", scalar.type())
                .build());
        fields.add(FieldSpec.builder(int[].class, Field.STEP_TOKENS, PRIVATE, FINAL)
                .addJavadoc("A step's token as a sequence of one.\n")
                .initializer("new int[1]")
                .build());
        fields.add(FieldSpec.builder(scalar.array(2), Field.STEP_OUTPUTS, PRIVATE, FINAL)
                .addJavadoc("A step's output as a sequence of one.\n")
                .initializer("new $T[1][]", scalar.type())
                .build());
        return fields;
    }

    /**
     * The carried state's private helpers, and the public methods of the capabilities the network
     * declares: {@code Streaming}'s, an {@code Encoder}'s final state, a {@code Decoder}'s initial
     * state gradient and its BPTT from one. A bidirectional network declares none of them (the
     * validator sees to it).
     */
    @Override
    public List<MethodSpec> methods() {
        if (!network.carriesState()) {
            return List.of();
        }
        List<MethodSpec> methods = new ArrayList<>();
        if (network.has(Capability.STREAMING)) {
            methods.addAll(List.of(resetState(), setStateful(), isStateful(), stateSize(), saveState(), restoreState()));
        }
        if (network.has(Capability.ENCODER)) {
            methods.add(finalState());
        }
        if (network.has(Capability.DECODER)) {
            methods.add(initialStateGradient());
        }
        if (network.has(Capability.STREAMING)) {
            methods.addAll(List.of(denseStep(), tokenStep()));
        }
        methods.addAll(List.of(restore(), carry()));
        if (network.has(Capability.ENCODER)) {
            methods.add(backpropagateFromState());
        }
        return methods;
    }

    private MethodSpec stateSize() {
        return publicOverride(Method.STATE_SIZE).returns(int.class).addStatement("return $N", savedState.sizeConstant())
                .build();
    }

    /** The final state of the last sequence run: row T of every layer's h (and c), laid out as saveState's. */
    private MethodSpec finalState() {
        MethodSpec.Builder method = publicOverride(Method.FINAL_STATE).addParameter(Scalar.stateArray(1), "into")
                .addParameter(int.class, "offset")
                .addStatement("$T.state($S, into, offset, $N)", CHECKS, "into", savedState.sizeConstant());
        for (SavedState.Part part : savedState.parts()) {
            StatePlan state = part.state();
            method.addStatement(scalar.copyState("$N, $N * $N, into, $L, $N", state.steps(),
                    Field.LAST_STEPS, state.rowWidth(), offsetPlus(part), state.sizeConstant()));
        }
        return method.build();
    }

    /** What the initial state received in the last backward pass: BPTT's carried gradients after t = 1. */
    private MethodSpec initialStateGradient() {
        MethodSpec.Builder method = publicOverride(Method.INITIAL_STATE_GRADIENT).addParameter(Scalar.stateArray(1), "into")
                .addParameter(int.class, "offset")
                .addStatement("$T.state($S, into, offset, $N)", CHECKS, "into", savedState.sizeConstant());
        for (LayerPlan layer : network.layers()) {
            method.addCode(layerEmitters.get(layer.index()).copyStartGradient("into", savedState));
        }
        return method.build();
    }

    /**
     * BPTT from a given ∂L/∂(final state) and no output loss: an encoder's backward pass, whose
     * final state a decoder started from. Top layer first, as {@code backpropagate}.
     */
    private MethodSpec backpropagateFromState() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.BACKPROPAGATE_FROM_STATE)
                .addModifiers(PRIVATE)
                .addJavadoc("BPTT from ∂L/∂(final state) in {@code gradient} at {@code offset}, as saveState lays a\n"
                        + "state out, with no loss at the output: adds every gradient but the first layer's ∂L/∂W_ih.\n")
                .addParameter(int.class, "steps")
                .addParameter(Scalar.stateArray(1), "gradient")
                .addParameter(int.class, "offset");
        LayerPlan top = network.topLayer();
        if (network.mapping() == dev.unfold.Mapping.MANY_TO_MANY) {
            method.addComment("the output is not part of this loss: nothing arrives from above")
                    .addStatement("$T.fill($N, $N, (steps + 1) * $N, $L)", Arrays.class, top.statesGradient(),
                            top.widthConstant(), top.widthConstant(), scalar.zero());
        }
        EntryPointsEmitter.addLayersTopDown(method, network, layerEmitters,
                layer -> layer.backwardFrom("gradient", savedState));
        return method.build();
    }

    private MethodSpec saveState() {
        return copyCarried(publicOverride(Method.SAVE_STATE).addParameter(Scalar.stateArray(1), "into")
                .addParameter(int.class, "offset"), true);
    }

    private MethodSpec restoreState() {
        MethodSpec.Builder method = publicOverride(Method.RESTORE_STATE).addParameter(Scalar.stateArray(1), "from")
                .addParameter(int.class, "offset");
        return copyCarried(method, false).toBuilder().addCode(feedback.forget()).build();
    }

    /** Copies every carried array to ({@code save}) or from the caller's array, one after another. */
    private MethodSpec copyCarried(MethodSpec.Builder method, boolean save) {
        String other = save ? "into" : "from";
        // a restored state is read: a NaN in it would reach every later output
        method.addStatement("$T.$L($S, $N, offset, $N)", CHECKS, save ? "state" : "finiteState",
                other, other, savedState.sizeConstant());
        if (!save) {
            method.addCode(scalar.checkStateRange("$S, $N, offset, offset + $N, $S", other, other,
                    savedState.sizeConstant(), "a state"));
        }
        for (SavedState.Part part : savedState.parts()) {
            StatePlan state = part.state();
            if (save) {
                method.addStatement(scalar.copyState("$N, 0, into, $L, $N", state.carried(), offsetPlus(part),
                        state.sizeConstant()));
            } else {
                method.addStatement(scalar.copyState("from, $L, $N, 0, $N", offsetPlus(part), state.carried(),
                        state.sizeConstant()));
            }
        }
        return method.build();
    }


    private MethodSpec setStateful() {
        return publicOverride(Method.SET_STATEFUL)
                .addParameter(boolean.class, Field.STATEFUL)
                .addStatement("this.$N = $N", Field.STATEFUL, Field.STATEFUL)
                .build();
    }

    private MethodSpec isStateful() {
        return publicOverride(Method.IS_STATEFUL)
                .returns(boolean.class)
                .addStatement("return $N", Field.STATEFUL)
                .build();
    }

    private MethodSpec resetState() {
        MethodSpec.Builder method = publicOverride(Method.RESET_STATE);
        for (LayerPlan layer : network.layers()) {
            for (StatePlan state : layer.carriedStates()) {
                method.addStatement("$T.fill($N, $L)", Arrays.class, state.carried(), scalar.zero());
            }
        }
        return method.addCode(new BatchStreamsEmitter(network).forget()).addCode(feedback.forget()).build();
    }

    private MethodSpec denseStep() {
        return publicOverride(Method.STEP)
                .addParameter(scalar.array(1), "x")
                .addParameter(scalar.array(1), "y")
                .addStatement("$T.step(x, $N)", CHECKS, Constant.INPUT)
                .addStatement("$T.output(y, $N)", CHECKS, network.output().sizeConstant())
                .addStatement("$N[0] = x", Field.STEP_INPUTS)
                .addCode(run(CodeBlock.of("$N($N, 1)", network.layers().get(0).methods().projectInputs(), Field.STEP_INPUTS)))
                .addStatement("$N[0] = null", Field.STEP_INPUTS)
                .build();
    }

    private MethodSpec tokenStep() {
        return publicOverride(Method.STEP)
                .addParameter(int.class, "token")
                .addParameter(scalar.array(1), "y")
                .addStatement("$T.token(token, $N)", CHECKS, Constant.INPUT)
                .addStatement("$T.output(y, $N)", CHECKS, network.output().sizeConstant())
                .addStatement("$N[0] = token", Field.STEP_TOKENS)
                .addCode(run(CodeBlock.of("$N($N, 1)", network.layers().get(0).methods().projectTokens(), Field.STEP_TOKENS)))
                .build();
    }

    /** A sequence of one step from the carried state, its prediction into y, and its state carried on. */
    private CodeBlock run(CodeBlock projectFirstLayer) {
        return CodeBlock.builder()
                .addStatement("$N(1)", Method.RESERVE)
                .addStatement("$N()", network.helpers().restoreCarriedState())
                .addStatement(projectFirstLayer)
                .add(feedback.stepFeed())
                .addStatement("$N(1)", Method.ADVANCE)
                .addStatement("$N[0] = y", Field.STEP_OUTPUTS)
                .addStatement("$N($N, 1)", Method.PREDICT, Field.STEP_OUTPUTS)
                .addStatement("$N[0] = null", Field.STEP_OUTPUTS)
                .add(feedback.stepKeep())
                .addStatement("$N(1)", Method.CARRY_STATE)
                .build();
    }

    private MethodSpec restore() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(network.helpers().restoreCarriedState())
                .addModifiers(PRIVATE)
                .addJavadoc("Puts the carried states where the recurrences start: row 0 of each layer's buffers.\n");
        for (LayerPlan layer : network.layers()) {
            for (StatePlan state : layer.carriedStates()) {
                method.addStatement("$T.arraycopy($N, 0, $N, 0, $N)", System.class, state.carried(), state.steps(),
                        state.sizeConstant());
            }
        }
        return method.build();
    }

    private MethodSpec carry() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.CARRY_STATE)
                .addModifiers(PRIVATE)
                .addJavadoc("Keeps each layer's state after the last step, row {@code steps}, for the next call.\n")
                .addParameter(int.class, "steps");
        for (LayerPlan layer : network.layers()) {
            for (StatePlan state : layer.carriedStates()) {
                method.addStatement("$T.arraycopy($N, steps * $N, $N, 0, $N)", System.class, state.steps(),
                        state.rowWidth(), state.carried(), state.sizeConstant());
            }
        }
        return method.build();
    }

    private static MethodSpec.Builder publicOverride(String name) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(PUBLIC);
    }
}
