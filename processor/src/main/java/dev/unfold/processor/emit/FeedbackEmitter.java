package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.CHECKS;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.Loss;
import dev.unfold.processor.emit.NetworkEmitter.Input;
import dev.unfold.processor.emit.NetworkEmitter.Target;
import dev.unfold.processor.plan.DirectionPlan;
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
 * Output-to-hidden recurrence (equations.md (8.1), h_t = σ(W_oh y_{t−1} + W_ih x_t + b),
 * with or without W_hh h_{t−1}) and its teacher forcing. In training the first layer reads the
 * previous target, known before the pass starts, so W_oh y_{t−1} is added to the projection like
 * W_ih x_t and the layers still run one after another over the whole sequence; y_{t−1} is data,
 * so no gradient flows through it and ∂L/∂W_oh = Σ_t δa_t y_{t−1}ᵀ. Running free, ŷ_{t−1} exists
 * only once step t − 1 has reached the output, so {@code forward} goes step by step through
 * {@code step}, which feeds each prediction to the next step in the form the targets take.
 * Scheduled sampling's choice of what to feed is {@link ScheduledSamplingEmitter}'s. Networks whose
 * first layer reads only its own state get nothing from here.
 */
final class FeedbackEmitter implements GeneratedPart {
    /**
     * The local a training call binds to the previous outputs its steps read: the targets, or what
     * scheduled sampling chose; the projection and ∂L/∂W_oh both read it.
     */
    static final String FED = "fed";

    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final LayerPlan first;
    private final DirectionPlan direction;
    private final String output;

    FeedbackEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.first = network.layers().get(0);
        this.direction = first.directions().get(0);
        this.output = network.output().sizeConstant();
    }

    boolean feedsBack() {
        return network.feedsBackOutput();
    }

    @Override
    public List<FieldSpec> fields() {
        if (!feedsBack()) {
            return List.of();
        }
        List<FieldSpec> fields = new ArrayList<>(List.of(
                FieldSpec.builder(scalar.array(1), Field.FED_BACK, PRIVATE, FINAL)
                        .addJavadoc("What the next step's $L reads through W_oh: the last prediction when running free,\n"
                                + "the last target after a stateful training call; zero at the start.\n", first.name())
                        .initializer("new $T[$N]", scalar.type(), output)
                        .build(),
                FieldSpec.builder(Scalar.stateArray(1), Field.FREE_RUN_STATE, PRIVATE, FINAL)
                        .addJavadoc("The carried state, kept while a forward pass that is not stateful runs free.\n")
                        .initializer("new $T[$N]", Scalar.STATE, network.savedState().sizeConstant())
                        .build(),
                FieldSpec.builder(scalar.array(1), Field.FREE_RUN_FED_BACK, PRIVATE, FINAL)
                        .addJavadoc("The fed-back output, kept for the same reason.\n")
                        .initializer("new $T[$N]", scalar.type(), output)
                        .build()));
        fields.addAll(new ScheduledSamplingEmitter(network).fields());
        return fields;
    }

    @Override
    public List<MethodSpec> methods() {
        if (!feedsBack()) {
            return List.of();
        }
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(feedTargets());
        methods.add(feedLabels());
        methods.add(feedStep());
        methods.add(gradients(Target.DENSE));
        methods.add(gradients(Target.LABELS));
        methods.add(keepTarget(Target.DENSE));
        methods.add(keepTarget(Target.LABELS));
        methods.add(keepPrediction());
        methods.addAll(new ScheduledSamplingEmitter(network).methods());
        return methods;
    }

    /** A free-running forward pass: every step through {@code step}, each fed the previous prediction. */
    MethodSpec forward(Input input) {
        MethodSpec.Builder method = NetworkEmitter.override(Method.FORWARD, TypeName.VOID);
        CodeBlock step;
        if (input == Input.DENSE) {
            method.addParameter(scalar.array(2), "xs")
                    .addStatement("int steps = $T.sequence(xs, $N)", CHECKS, Constant.INPUT);
            step = CodeBlock.of("$N(xs[t], ys[t])", Method.STEP);
        } else {
            method.addParameter(int[].class, "tokens")
                    .addStatement("int steps = $T.tokens(tokens, $N)", CHECKS, Constant.INPUT);
            step = CodeBlock.of("$N(tokens[t], ys[t])", Method.STEP);
        }
        return method.addParameter(scalar.array(2), "ys")
                .addStatement("$T.outputs(ys, steps, $N)", CHECKS, output)
                .addComment("running free, step t reads ŷ_{t−1}, which exists only once step t − 1 is through: step by step")
                .beginControlFlow("if (!$N)", Field.STATEFUL)
                .addComment("from zero, leaving the state that streaming carries as it was")
                .addStatement("$N($N, 0)", Method.SAVE_STATE, Field.FREE_RUN_STATE)
                .addStatement("$T.arraycopy($N, 0, $N, 0, $N)", System.class, Field.FED_BACK, Field.FREE_RUN_FED_BACK, output)
                .addStatement("$N()", Method.RESET_STATE)
                .endControlFlow()
                .beginControlFlow("for (int t = 0; t < steps; t++)")
                .addStatement(step)
                .endControlFlow()
                .beginControlFlow("if (!$N)", Field.STATEFUL)
                .addStatement("$N($N, 0)", Method.RESTORE_STATE, Field.FREE_RUN_STATE)
                .addStatement("$T.arraycopy($N, 0, $N, 0, $N)", System.class, Field.FREE_RUN_FED_BACK, Field.FED_BACK, output)
                .endControlFlow()
                .build();
    }

    /** What {@code backward} starts with: the previous outputs its steps read (see {@link ScheduledSamplingEmitter}). */
    CodeBlock prepare(Input input, Target target) {
        return feedsBack() ? new ScheduledSamplingEmitter(network).prepare(input, target) : CodeBlock.of("");
    }

    /** What a training call adds after the projection: the previous outputs in {@code source} through W_oh. */
    CodeBlock feed(Target target, String source) {
        return feedsBack()
                ? CodeBlock.of("$L($L, steps);   // step t reads y_{t−1}\n",
                        target == Target.DENSE ? Method.FEED_TARGETS : Method.FEED_LABELS, source)
                : CodeBlock.of("");
    }

    /** What a backward pass adds after BPTT: ∂L/∂W_oh, from what {@link #prepare} chose. */
    CodeBlock gradientsCall() {
        return feedsBack() ? CodeBlock.of("$N($N, steps);\n", Method.FEEDBACK_GRADIENTS, FED) : CodeBlock.of("");
    }

    /** What a training call ends with: a stateful network's next sequence starts from this one's last target. */
    CodeBlock keepTargetCall(Target target) {
        return feedsBack()
                ? CodeBlock.builder()
                        .beginControlFlow("if ($N)", Field.STATEFUL)
                        .addStatement("$N($L, steps)", Method.FEED_BACK, target == Target.DENSE ? "targets" : "labels")
                        .endControlFlow()
                        .build()
                : CodeBlock.of("");
    }

    /** What a streaming step adds after its projection, and what it keeps after its prediction. */
    CodeBlock stepFeed() {
        return feedsBack() ? CodeBlock.of("$N();   // + W_oh ŷ_{t−1}\n", network.helpers().feedStep()) : CodeBlock.of("");
    }

    CodeBlock stepKeep() {
        return feedsBack() ? CodeBlock.of("$N(y);\n", Method.KEEP_PREDICTION) : CodeBlock.of("");
    }

    /** What resetState and restoreState add: no previous output before a sequence's first step. */
    CodeBlock forget() {
        return feedsBack()
                ? CodeBlock.of("$T.fill($N, $L);   // no previous output yet\n", Arrays.class, Field.FED_BACK, scalar.zero())
                : CodeBlock.of("");
    }

    private String buffer() {
        return LayerEmitter.preactivationBuffer(first, direction);
    }

    /** Row t of the pre-activations += W_oh v, for a dense v at {@code vector}. */
    private CodeBlock addProduct(String vector) {
        return CodeBlock.builder()
                .addStatement("int row = $L", LayerEmitter.preactivationRow(first, direction))
                .beginControlFlow("for (int m = 0; m < $N; m++)", first.gateRowsConstant())
                .addStatement("$T sum = 0", scalar.type())
                .beginControlFlow("for (int j = 0; j < $N; j++)", output)
                .addStatement("sum += $N[m * $N + j] * $L[j]", direction.weightOutput().valueField(), output, vector)
                .endControlFlow()
                .addStatement("$N[row + m] += sum", buffer())
                .endControlFlow()
                .build();
    }

    private MethodSpec.Builder method(String name, String javadoc) {
        return MethodSpec.methodBuilder(name).addModifiers(PRIVATE).addJavadoc("$L", javadoc);
    }

    private MethodSpec feedTargets() {
        return method(Method.FEED_TARGETS, "Teacher forcing: adds W_oh y_{t−1} to row t of " + first.name() + "'s pre-activations,"
                        + " from y_0 = 0\n(or, stateful, the last target of the sequence before).\n")
                .addParameter(scalar.array(2), "targets")
                .addParameter(int.class, "steps")
                .beginControlFlow("if ($N)", Field.STATEFUL)
                .addStatement("$N()", network.helpers().feedStep())
                .endControlFlow()
                .beginControlFlow("for (int t = 2; t <= steps; t++)")
                .addStatement("$T y = targets[t - 2]", scalar.array(1))
                .addCode(addProduct("y"))
                .endControlFlow()
                .build();
    }

    private MethodSpec feedLabels() {
        return method(Method.FEED_LABELS, "Teacher forcing with class labels: y_{t−1} is one-hot, so W_oh y_{t−1} is column\n"
                        + "labels[t − 2] of W_oh.\n")
                .addParameter(int[].class, "labels")
                .addParameter(int.class, "steps")
                .beginControlFlow("if ($N)", Field.STATEFUL)
                .addStatement("$N()", network.helpers().feedStep())
                .endControlFlow()
                .beginControlFlow("for (int t = 2; t <= steps; t++)")
                .addStatement("int label = labels[t - 2]")
                .addStatement("int row = $L", LayerEmitter.preactivationRow(first, direction))
                .beginControlFlow("for (int m = 0; m < $N; m++)", first.gateRowsConstant())
                .addStatement("$N[row + m] += $N[m * $N + label]", buffer(), direction.weightOutput().valueField(), output)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private MethodSpec feedStep() {
        return method(network.helpers().feedStep(), "Adds W_oh times the fed-back output to row 1: the first step of a call.\n")
                .addStatement("int t = 1")
                .addCode(addProduct(Field.FED_BACK))
                .build();
    }

    /** ∂L/∂W_oh = Σ_t δa_t y_{t−1}ᵀ, y_{t−1} being the fed-back output at t = 1 when stateful. */
    private MethodSpec gradients(Target target) {
        String deltas = direction.deltas();
        String rows = first.gateRowsConstant();
        String gradient = direction.weightOutput().gradientField();
        MethodSpec.Builder method = method(Method.FEEDBACK_GRADIENTS, "∂L/∂W_oh = Σ_t δa_t y_{t−1}ᵀ: the previous target is"
                        + " data, so nothing flows through it.\n")
                .addParameter(target == Target.DENSE ? scalar.array(2) : TypeName.get(int[].class),
                        target == Target.DENSE ? "targets" : "labels")
                .addParameter(int.class, "steps")
                .beginControlFlow("if ($N)", Field.STATEFUL)
                .beginControlFlow("for (int m = 0; m < $N; m++)", rows)
                .addStatement("$T delta = $N[$N + m]", scalar.type(), deltas, rows)
                .beginControlFlow("for (int j = 0; j < $N; j++)", output)
                .addStatement("$N[m * $N + j] += delta * $N[j]", gradient, output, Field.FED_BACK)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int t = 2; t <= steps; t++)")
                .addStatement("int row = t * $N", rows);
        if (target == Target.DENSE) {
            method.addStatement("$T y = targets[t - 2]", scalar.array(1))
                    .beginControlFlow("for (int m = 0; m < $N; m++)", rows)
                    .addStatement("$T delta = $N[row + m]", scalar.type(), deltas)
                    .beginControlFlow("for (int j = 0; j < $N; j++)", output)
                    .addStatement("$N[m * $N + j] += delta * y[j]", gradient, output)
                    .endControlFlow()
                    .endControlFlow();
        } else {
            method.addStatement("int label = labels[t - 2]")
                    .beginControlFlow("for (int m = 0; m < $N; m++)", rows)
                    .addStatement("$N[m * $N + label] += $N[row + m]", gradient, output, deltas)
                    .endControlFlow();
        }
        return method.endControlFlow().build();
    }

    private MethodSpec keepTarget(Target target) {
        MethodSpec.Builder method = method(Method.FEED_BACK, "Keeps the last target for the first step of the next"
                        + " sequence, which a stateful network continues.\n")
                .addParameter(target == Target.DENSE ? scalar.array(2) : TypeName.get(int[].class),
                        target == Target.DENSE ? "targets" : "labels")
                .addParameter(int.class, "steps");
        if (target == Target.DENSE) {
            return method.addStatement("$T.arraycopy(targets[steps - 1], 0, $N, 0, $N)", System.class, Field.FED_BACK, output)
                    .build();
        }
        return method.addStatement("$T.fill($N, $L)", Arrays.class, Field.FED_BACK, scalar.zero())
                .addStatement("$N[labels[steps - 1]] = 1", Field.FED_BACK)
                .build();
    }

    /** The prediction in the form the targets take, which is what the layer learned to read. */
    private MethodSpec keepPrediction() {
        MethodSpec.Builder method = method(Method.KEEP_PREDICTION, keepPredictionDoc())
                .addParameter(scalar.array(1), "y");
        if (network.loss() == Loss.MSE) {
            return method.addStatement("$T.arraycopy(y, 0, $N, 0, $N)", System.class, Field.FED_BACK, output).build();
        }
        if (network.loss() == Loss.BINARY_CROSS_ENTROPY) {
            return method.beginControlFlow("for (int k = 0; k < $N; k++)", output)
                    .addStatement("$N[k] = y[k] >= 0.5 ? 1 : 0", Field.FED_BACK)
                    .endControlFlow()
                    .build();
        }
        return method.addStatement("int best = 0")
                .beginControlFlow("for (int k = 1; k < $N; k++)", output)
                .beginControlFlow("if (y[k] > y[best])")
                .addStatement("best = k")
                .endControlFlow()
                .endControlFlow()
                .addStatement("$T.fill($N, $L)", Arrays.class, Field.FED_BACK, scalar.zero())
                .addStatement("$N[best] = 1", Field.FED_BACK)
                .build();
    }

    private String keepPredictionDoc() {
        return switch (network.loss()) {
            case MSE -> "Feeds the prediction ŷ_t to the next step as it is: the targets were real values.\n";
            case BINARY_CROSS_ENTROPY -> "Feeds each output rounded to 0 or 1 to the next step, as the targets were.\n";
            case CROSS_ENTROPY -> "Feeds the one-hot of the most probable class to the next step, as the targets"
                    + " were (greedy).\n";
        };
    }
}
