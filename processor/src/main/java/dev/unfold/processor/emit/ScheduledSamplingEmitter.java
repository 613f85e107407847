package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.CHECKS;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.processor.emit.NetworkEmitter.Input;
import dev.unfold.processor.emit.NetworkEmitter.Target;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Scheduled sampling (Bengio et al., 2015) for a network that feeds its output back: with a set
 * probability, {@code backward} feeds step t + 1 the network's own prediction ŷ_t instead of the
 * target y_t. Which it is depends on ŷ_t, so the choice is made first, running forward step by
 * step from where the pass will start; what was chosen is laid out as the targets are, and the
 * teacher-forced pass then trains on it unchanged ({@link FeedbackEmitter}). Probability 0 skips
 * all of this.
 */
final class ScheduledSamplingEmitter {
    private final String output;
    /** The type the network computes in. */
    private final Scalar scalar;

    ScheduledSamplingEmitter(NetworkPlan network) {
        this.output = network.output().sizeConstant();
        this.scalar = network.scalar();
    }

    List<FieldSpec> fields() {
        return List.of(
                FieldSpec.builder(Scalar.PROBABILITY, Field.SAMPLING_PROBABILITY, PRIVATE)
                        .addJavadoc("Scheduled sampling: how often backward feeds the own prediction instead of the"
                                + " target; 0 is teacher forcing.\n")
                        .build(),
                FieldSpec.builder(Random.class, Field.SAMPLING_RANDOM, PRIVATE)
                        .addJavadoc("The coin flips of scheduled sampling.\n")
                        .build(),
                FieldSpec.builder(scalar.array(2), Field.SAMPLED_TARGETS, PRIVATE)
                        .addJavadoc("What scheduled sampling chose to feed, laid out as the targets; grows with the"
                                + " longest sequence.\n")
                        .initializer("new $T[0][]", scalar.type())
                        .build(),
                FieldSpec.builder(int[].class, Field.SAMPLED_LABELS, PRIVATE)
                        .addJavadoc("The same for class labels.\n")
                        .initializer("new int[0]")
                        .build(),
                FieldSpec.builder(scalar.array(1), Field.SAMPLED_OUTPUT, PRIVATE, FINAL)
                        .addJavadoc("A step's prediction while scheduled sampling chooses.\n")
                        .initializer("new $T[$N]", scalar.type(), output)
                        .build());
    }

    List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(setScheduledSampling());
        for (Input input : Input.values()) {
            for (Target target : Target.values()) {
                methods.add(sampleFeeds(input, target));
            }
        }
        return methods;
    }

    /**
     * What {@code backward} starts with: the previous outputs its steps will read, {@code fed} — the
     * targets (teacher forcing), or with scheduled sampling a mix of targets and own predictions.
     */
    CodeBlock prepare(Input input, Target target) {
        String sequence = input == Input.DENSE ? "xs" : "tokens";
        return target == Target.DENSE
                ? CodeBlock.of("$T $N = $N > 0 ? $N($L, targets, steps) : targets;\n", scalar.array(2),
                        FeedbackEmitter.FED, Field.SAMPLING_PROBABILITY, Method.SAMPLE_FEEDS, sequence)
                : CodeBlock.of("int[] $N = $N > 0 ? $N($L, labels, steps) : labels;\n", FeedbackEmitter.FED,
                        Field.SAMPLING_PROBABILITY, Method.SAMPLE_FEEDS, sequence);
    }

    private MethodSpec setScheduledSampling() {
        return NetworkEmitter.override(Method.SET_SCHEDULED_SAMPLING, TypeName.VOID)
                .addParameter(Scalar.PROBABILITY, "probability")
                .addParameter(Random.class, "random")
                .addStatement("$T.sampling(probability, random)", CHECKS)
                .addStatement("$N = probability", Field.SAMPLING_PROBABILITY)
                .addStatement("$N = random", Field.SAMPLING_RANDOM)
                .build();
    }

    /**
     * Scheduled sampling's choice, made running forward step by step from where the pass will start:
     * after each step, the own prediction (in the targets' form) with the set probability, else the
     * target, is what the next step reads. Leaves the carried state as it was.
     */
    private MethodSpec sampleFeeds(Input input, Target target) {
        boolean dense = target == Target.DENSE;
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.SAMPLE_FEEDS)
                .addModifiers(PRIVATE)
                .returns(dense ? scalar.array(2) : TypeName.get(int[].class))
                .addJavadoc("Scheduled sampling: what step t + 1 reads, for t = 1..T − 1, chosen while running step by"
                        + " step;\nlaid out as the $L, so that teacher forcing's methods take it as they are.\n",
                        dense ? "targets" : "labels");
        CodeBlock step;
        if (input == Input.DENSE) {
            method.addParameter(scalar.array(2), "xs");
            step = CodeBlock.of("$N(xs[t], $N)", Method.STEP, Field.SAMPLED_OUTPUT);
        } else {
            method.addParameter(int[].class, "tokens");
            step = CodeBlock.of("$N(tokens[t], $N)", Method.STEP, Field.SAMPLED_OUTPUT);
        }
        method.addParameter(dense ? scalar.array(2) : TypeName.get(int[].class), dense ? "targets" : "labels")
                .addParameter(int.class, "steps");
        if (dense) {
            method.beginControlFlow("if ($N.length < steps)", Field.SAMPLED_TARGETS)
                    .addStatement("$N = new $T[steps][$N]", Field.SAMPLED_TARGETS, scalar.type(), output)
                    .endControlFlow();
        } else {
            method.beginControlFlow("if ($N.length < steps)", Field.SAMPLED_LABELS)
                    .addStatement("$N = new int[steps]", Field.SAMPLED_LABELS)
                    .endControlFlow();
        }
        method.addStatement("$N($N, 0)", Method.SAVE_STATE, Field.FREE_RUN_STATE)
                .addStatement("$T.arraycopy($N, 0, $N, 0, $N)", System.class, Field.FED_BACK, Field.FREE_RUN_FED_BACK, output)
                .beginControlFlow("if (!$N)", Field.STATEFUL)
                .addStatement("$N()", Method.RESET_STATE)
                .endControlFlow()
                .beginControlFlow("for (int t = 0; t < steps - 1; t++)")
                .addStatement(step)
                .addComment("the step left its own prediction in $N, in the targets' form", Field.FED_BACK)
                .beginControlFlow("if ($N.nextDouble() >= $N)", Field.SAMPLING_RANDOM, Field.SAMPLING_PROBABILITY);
        if (dense) {
            method.addStatement("$T.arraycopy(targets[t], 0, $N, 0, $N)", System.class, Field.FED_BACK, output)
                    .endControlFlow()
                    .addStatement("$T.arraycopy($N, 0, $N[t], 0, $N)", System.class, Field.FED_BACK, Field.SAMPLED_TARGETS, output);
        } else {
            method.addStatement("$T.fill($N, $L)", Arrays.class, Field.FED_BACK, scalar.zero())
                    .addStatement("$N[labels[t]] = 1", Field.FED_BACK)
                    .endControlFlow()
                    .addStatement("int chosen = 0")
                    .beginControlFlow("while ($N[chosen] == 0)", Field.FED_BACK)
                    .addStatement("chosen++")
                    .endControlFlow()
                    .addStatement("$N[t] = chosen", Field.SAMPLED_LABELS);
        }
        return method.endControlFlow()
                .addStatement("$N($N, 0)", Method.RESTORE_STATE, Field.FREE_RUN_STATE)
                .addStatement("$T.arraycopy($N, 0, $N, 0, $N)", System.class, Field.FREE_RUN_FED_BACK, Field.FED_BACK, output)
                .addStatement("return $N", dense ? Field.SAMPLED_TARGETS : Field.SAMPLED_LABELS)
                .build();
    }
}
