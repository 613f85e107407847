package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.CHECKS;
import static dev.unfold.processor.emit.NetworkEmitter.override;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.Mapping;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.emit.NetworkEmitter.Input;
import dev.unfold.processor.emit.NetworkEmitter.Target;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.GeneratedNames.Constant;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The entry points over one sequence ({@code forward}, {@code backward}, {@code loss}, an
 * encoder's {@code backwardFromState}, {@code toString}) and the pass they share: {@code reserve}
 * grows every part's per-step buffers, {@code unroll} and {@code advance} run the layers bottom-up
 * and the output, {@code backpropagate} runs BPTT top-down.
 */
final class EntryPointsEmitter implements GeneratedPart {
    private final NetworkPlan network;
    private final OutputPlan output;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final FeedbackEmitter feedback;
    private final List<LayerEmitter> layerEmitters;
    /** Every part's per-step buffers, which reserve grows. */
    private final List<StepBuffer> stepBuffers;

    EntryPointsEmitter(NetworkPlan network, List<LayerEmitter> layerEmitters, List<StepBuffer> stepBuffers) {
        this.network = network;
        this.output = network.output();
        this.scalar = network.scalar();
        this.feedback = new FeedbackEmitter(network);
        this.layerEmitters = layerEmitters;
        this.stepBuffers = stepBuffers;
    }

    @Override
    public List<FieldSpec> fields() {
        return List.of(FieldSpec.builder(int.class, Field.CAPACITY, PRIVATE)
                .addJavadoc("Steps the per-step buffers below can hold; reserve grows them.\n")
                .build());
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        for (Input input : Input.values()) {
            methods.add(forward(input));
        }
        for (Input input : Input.values()) {
            for (Target target : targets()) {
                methods.add(backward(input, target));
            }
        }
        for (Input input : Input.values()) {
            for (Target target : targets()) {
                methods.add(loss(input, target));
            }
        }
        if (network.has(Capability.ENCODER)) {
            for (Input input : Input.values()) {
                methods.add(backwardFromState(input));
            }
        }
        methods.add(toStringMethod());
        methods.add(reserve());
        methods.add(unroll());
        methods.add(advance());
        methods.add(backpropagate());
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
        MethodSpec.Builder method = override(Method.FORWARD, TypeName.VOID);
        addInputParameter(method, input);
        method.addParameter(scalar.array(2), "ys");
        checkInput(method, input);
        method.addStatement("$T.outputs(ys, $L, $N)", CHECKS, OutputEmitter.outputRows(network), output.sizeConstant());
        runForward(method, input);
        return method.addStatement("$N(ys, steps)", Method.PREDICT).build();
    }

    private MethodSpec backward(Input input, Target target) {
        MethodSpec.Builder method = override(Method.BACKWARD, Scalar.LOSS);
        addInputParameter(method, input);
        addTargetParameter(method, target);
        checkInput(method, input);
        checkTarget(method, target);
        method.addCode(feedback.prepare(input, target));
        if (network.hasDropout()) {
            // the only pass that drops: its masks are drawn once the buffers have room for them
            method.addStatement("$N(steps)", Method.RESERVE)
                    .addStatement("$N($L, steps)", Method.BEGIN_DROPOUT, input == Input.DENSE ? "null" : "tokens")
                    .beginControlFlow("try");
            runForwardInReservedBuffers(method, input, feedback.feed(target, FeedbackEmitter.FED));
        } else {
            runForward(method, input, feedback.feed(target, FeedbackEmitter.FED));
        }
        method.addStatement("$T loss = $N($L, steps)", Scalar.LOSS, Method.LOSS_AND_DELTA, target == Target.DENSE ? "targets" : "labels")
                .addStatement("$N(steps)", Method.BACKPROPAGATE);
        LayerPlan first = network.layers().get(0);
        if (input == Input.DENSE) {
            method.addStatement("$N(xs, steps)", first.methods().inputGradients());
        } else {
            method.addStatement("$N(tokens, steps)", first.methods().inputGradientsFromTokens());
        }
        method.addCode(feedback.gradientsCall()).addCode(feedback.keepTargetCall(target));
        method.addStatement("return loss");
        if (network.hasDropout()) {
            method.nextControlFlow("finally").addStatement("$N(1)", Method.END_DROPOUT).endControlFlow();
        }
        return method.build();
    }

    /** An encoder's backward pass: forward over the sequence, then BPTT from ∂L/∂(final state). */
    private MethodSpec backwardFromState(Input input) {
        MethodSpec.Builder method = override(Method.BACKWARD_FROM_STATE, TypeName.VOID);
        addInputParameter(method, input);
        method.addParameter(Scalar.stateArray(1), "gradient").addParameter(int.class, "offset");
        checkInput(method, input);
        method.addStatement("$T.finiteState($S, gradient, offset, $N)", CHECKS, "gradient",
                network.savedState().sizeConstant());
        method.addCode(scalar.checkStateRange("$S, gradient, offset, offset + $N, $S", "gradient",
                network.savedState().sizeConstant(), "a state gradient"));
        runForward(method, input);
        method.addStatement("$N(steps, gradient, offset)", Method.BACKPROPAGATE_FROM_STATE);
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
            return method.addStatement("return $N($L, steps)", Method.LOSS_AND_DELTA, target == Target.DENSE ? "targets" : "labels")
                    .build();
        }
        return method.addStatement("$T loss = $N($L, steps)", Scalar.LOSS, Method.LOSS_AND_DELTA, target == Target.DENSE ? "targets" : "labels")
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
            method.addStatement("int steps = $T.sequence(xs, $N)", CHECKS, Constant.INPUT);
        } else {
            method.addStatement("int steps = $T.tokens(tokens, $N)", CHECKS, Constant.INPUT);
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
        method.addStatement("$N(steps)", Method.RESERVE);
        runForwardInReservedBuffers(method, input, feed);
    }

    /** {@link #runForward} once the buffers are reserved. */
    private void runForwardInReservedBuffers(MethodSpec.Builder method, Input input, CodeBlock feed) {
        LayerPlan first = network.layers().get(0);
        if (input == Input.DENSE) {
            method.addStatement("$N(xs, steps)", first.methods().projectInputs());
        } else {
            method.addStatement("$N(tokens, steps)", first.methods().projectTokens());
        }
        method.addCode(feed).addStatement("$N(steps)", Method.UNROLL);
    }


    private MethodSpec toStringMethod() {
        StringBuilder text = new StringBuilder(network.className()).append(": input ").append(network.input());
        for (LayerPlan layer : network.layers()) {
            text.append(" → ").append(layer.name()).append(' ')
                    .append(layer.isBidirectional() ? "bidirectional " : "")
                    .append(layer.cell().takesActivation() ? ActivationCode.symbol(layer.activation()) : layer.cell().name())
                    .append(layer.projects() ? " of " + layer.hidden() + " projected to" : "")
                    .append(' ').append(layer.width());
            if (layer.dropout() != null) {
                text.append(" (").append(layer.dropsInput() ? "dropout " + layer.dropout().inputRate() : "")
                        .append(layer.dropsInput() && layer.dropsRecurrent() ? ", " : "")
                        .append(layer.dropsRecurrent() ? "recurrent dropout " + layer.dropout().recurrentRate() : "")
                        .append(')');
            }
        }
        text.append(" → output ").append(output.size()).append(", ").append(network.loss()).append(", ")
                .append(network.mapping()).append(", ").append(network.parameterCount()).append(" parameters");
        return override(Method.TO_STRING, ClassName.get(String.class)).addStatement("return $S", text).build();
    }

    private MethodSpec reserve() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.RESERVE)
                .addModifiers(PRIVATE)
                .addJavadoc("Grows the per-step buffers to hold {@code steps} steps (rows 1..T, plus the initial\n"
                        + "states' rows 0 and T + 1); allocates only for a sequence longer than any before.\n")
                .addParameter(int.class, "steps")
                .beginControlFlow("if (steps <= $N)", Field.CAPACITY)
                .addStatement("return")
                .endControlFlow();
        for (StepBuffer buffer : stepBuffers) {
            method.addStatement("$N = new $T[$T.bufferLength(steps, $N)]", buffer.name(), scalar.type(), CHECKS, buffer.width());
        }
        return method.addStatement("$N = steps", Field.CAPACITY).build();
    }

    private MethodSpec unroll() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.UNROLL)
                .addModifiers(PRIVATE)
                .addParameter(int.class, "steps");
        if (!network.carriesState()) { // then unroll never starts from a carried state
            method.addJavadoc("The forward pass over a sequence once the first layer's inputs are projected: every\n"
                    + "recurrence from a zero state, bottom-up, then the output logits.\n");
            for (LayerEmitter layer : layerEmitters) {
                method.addCode(layer.zeroInitialStates());
            }
            return method.addStatement("$N(steps)", Method.ADVANCE).build();
        }
        method.addJavadoc("The forward pass over a sequence once the first layer's inputs are projected: every\n"
                        + "recurrence bottom-up, then the output logits; from a zero state, or when stateful\n"
                        + "(truncated BPTT) from the state the previous call ended in, carrying this one's on.\n")
                .beginControlFlow("if ($N)", Field.STATEFUL)
                .addComment("no gradient flows into the carried state: that is the truncation")
                .addStatement("$N()", network.helpers().restoreCarriedState())
                .nextControlFlow("else");
        for (LayerEmitter layer : layerEmitters) {
            method.addCode(layer.zeroInitialStates());
        }
        return method.endControlFlow()
                .addStatement("$N(steps)", Method.ADVANCE)
                .beginControlFlow("if ($N)", Field.STATEFUL)
                .addStatement("$N(steps)", Method.CARRY_STATE)
                .endControlFlow()
                .build();
    }

    private MethodSpec advance() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.ADVANCE)
                .addModifiers(PRIVATE)
                .addJavadoc("Every recurrence bottom-up from the initial states in place, then the output logits.\n")
                .addParameter(int.class, "steps");
        if (network.has(Capability.ENCODER)) {
            method.addStatement("$N = steps", Field.LAST_STEPS);   // where finalState reads
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
            method.addStatement("$N(steps)", Method.SUMMARISE);
        }
        return method.addStatement("$N(steps)", Method.OUTPUT_LOGITS).build();
    }

    private MethodSpec backpropagate() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.BACKPROPAGATE)
                .addModifiers(PRIVATE)
                .addJavadoc("BPTT from the output down to the first layer, adding every gradient but the first\n"
                        + "layer's ∂L/∂W_ih, which depends on how the input arrived.\n")
                .addParameter(int.class, "steps")
                .addStatement("$N(steps)", Method.OUTPUT_GRADIENTS);
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
}
