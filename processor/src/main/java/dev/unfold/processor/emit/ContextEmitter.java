package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.CHECKS;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.GeneratedNames.Constant;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.List;

/**
 * The context vector a network declared with {@code context = C} reads at every step (as a
 * captioning network reads an image's features: equations.md (7.1)): its width, the vector {@code setContext}
 * sets, and b + R x, which the first layer's projection adds in place of b. Networks without a
 * context get nothing from here.
 */
final class ContextEmitter implements GeneratedPart {
    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final LayerPlan first;

    ContextEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.first = network.layers().get(0);
    }

    @Override
    public List<FieldSpec> constants() {
        if (!network.hasContext()) {
            return List.of();
        }
        return List.of(FieldSpec.builder(int.class, Constant.CONTEXT, PRIVATE, STATIC, FINAL)
                .addJavadoc("Width of the context vector x, which $L reads at every step through R.\n", first.name())
                .initializer("$L", network.context())
                .build());
    }

    @Override
    public List<FieldSpec> fields() {
        if (!network.hasContext()) {
            return List.of();
        }
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(FieldSpec.builder(scalar.array(1), Field.CONTEXT_VECTOR, PRIVATE, FINAL)
                .addJavadoc("The context x of the sequences to come, as setContext set it; zero until then.\n")
                .initializer("new $T[$N]", scalar.type(), Constant.CONTEXT)
                .build());
        fields.addAll(batchFields());
        if (network.runsOneSequenceAtATime()) {
            fields.add(FieldSpec.builder(scalar.array(1), Field.KEPT_CONTEXT, PRIVATE, FINAL)
                    .addJavadoc("setContext's x, kept while a batch runs each sequence with its own context.\n")
                    .initializer("new $T[$N]", scalar.type(), Constant.CONTEXT)
                    .build());
        }
        for (DirectionPlan direction : first.directions()) {
            fields.add(FieldSpec.builder(scalar.array(1), direction.contextBias(), PRIVATE, FINAL)
                    .addJavadoc("b + R x of $L$L, which its projection adds at every step.\n", first.name(),
                            direction.reverse() ? "'s reverse direction" : "")
                    .initializer("new $T[$N]", scalar.type(), first.gateRowsConstant())
                    .build());
        }
        return fields;
    }

    /** The batch's contexts, as setContexts copies them. */
    private List<FieldSpec> batchFields() {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(FieldSpec.builder(scalar.array(2), Field.BATCH_CONTEXTS, PRIVATE)
                .addJavadoc("The contexts of the batched calls to come, one row per sequence, as setContexts copied"
                        + " them;\ngrows with the largest batch.\n")
                .initializer("new $T[0][]", scalar.type())
                .build());
        fields.add(FieldSpec.builder(int.class, Field.BATCH_CONTEXT_COUNT, PRIVATE)
                .addJavadoc("How many contexts setContexts gave: a batch must have as many sequences.\n")
                .build());
        return fields;
    }

    @Override
    public List<MethodSpec> methods() {
        if (!network.hasContext()) {
            return List.of();
        }
        if (network.runsOneSequenceAtATime()) {
            return List.of(contextSize(), setContext(), contextBiases(), setContexts());
        }
        return List.of(contextSize(), setContext(), contextBiases(), setContexts(), batchContextBiases());
    }

    private MethodSpec contextSize() {
        return NetworkEmitter.override(Method.CONTEXT_SIZE, com.palantir.javapoet.TypeName.INT)
                .addStatement("return $N", Constant.CONTEXT)
                .build();
    }

    private MethodSpec setContext() {
        return NetworkEmitter.override(Method.SET_CONTEXT, com.palantir.javapoet.TypeName.VOID)
                .addParameter(Scalar.stateArray(1), "x")
                .addStatement("$T.context(x, $N)", CHECKS, Constant.CONTEXT)
                .addCode(scalar.checkStateRange("$S, x, 0, $N, $S", "context", Constant.CONTEXT, "a context"))
                .addStatement(scalar.copyState("x, 0, $N, 0, $N", Field.CONTEXT_VECTOR, Constant.CONTEXT))
                .build();
    }

    /** One context per sequence of the batched calls to come, copied so that the caller may reuse its rows. */
    private MethodSpec setContexts() {
        return NetworkEmitter.override(Method.SET_CONTEXTS, com.palantir.javapoet.TypeName.VOID)
                .addParameter(Scalar.stateArray(2), "contexts")
                .addStatement("$T.contexts(contexts, $N)", CHECKS, Constant.CONTEXT)
                .addCode(scalar.checkStateRange("$S, contexts, $N, $S", "contexts", Constant.CONTEXT, "a context"))
                .beginControlFlow("if ($N.length < contexts.length)", Field.BATCH_CONTEXTS)
                .addStatement("$N = new $T[contexts.length][$N]", Field.BATCH_CONTEXTS, scalar.type(),
                        Constant.CONTEXT)
                .endControlFlow()
                .beginControlFlow("for (int b = 0; b < contexts.length; b++)")
                .addStatement(scalar.copyState("contexts[b], 0, $N[b], 0, $N", Field.BATCH_CONTEXTS,
                        Constant.CONTEXT))
                .endControlFlow()
                .addStatement("$N = contexts.length", Field.BATCH_CONTEXT_COUNT)
                .build();
    }

    /**
     * b + R x_b for every lane b of a batch, from the current weights and the contexts setContexts
     * gave; lanes past the batch read no context.
     */
    private MethodSpec batchContextBiases() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.BATCH_CONTEXT_BIASES)
                .addModifiers(PRIVATE)
                .addJavadoc("b + R x_b for every lane b and direction of $L, from the current weights and the\n"
                        + "batch's contexts.\n", first.name())
                .addParameter(int.class, "batch")
                .addParameter(int.class, "lanes")
                .addCode(BiasPairEmitter.sumBiases(first));
        for (DirectionPlan direction : first.directions()) {
            String rows = direction.batch().contextBias();
            method.beginControlFlow("for (int m = 0; m < $N; m++)", first.gateRowsConstant())
                    .addStatement("$T row = $N[m]", scalar.array(1), rows)
                    .addStatement("$T bias = $N[m]", scalar.type(), direction.bias().valueField())
                    .beginControlFlow("for (int b = 0; b < batch; b++)")
                    .addStatement("$T x = $N[b]", scalar.array(1), Field.BATCH_CONTEXTS)
                    .addStatement("$T sum = bias", scalar.type())
                    .beginControlFlow("for (int j = 0; j < $N; j++)", Constant.CONTEXT)
                    .addStatement("sum += $N[m * $N + j] * x[j]", direction.weightContext().valueField(),
                            Constant.CONTEXT)
                    .endControlFlow()
                    .addStatement("row[b] = sum")
                    .endControlFlow()
                    .addStatement("$T.fill(row, batch, lanes, bias)", java.util.Arrays.class)
                    .endControlFlow();
        }
        return method.build();
    }

    /** b + R x from the weights as they are now: training changes both between calls. */
    private MethodSpec contextBiases() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(network.helpers().contextBiases())
                .addModifiers(PRIVATE)
                .addJavadoc("b + R x for every direction of $L, from the current weights and context.\n", first.name())
                .addCode(BiasPairEmitter.sumBiases(first));
        for (DirectionPlan direction : first.directions()) {
            method.beginControlFlow("for (int m = 0; m < $N; m++)", first.gateRowsConstant())
                    .addStatement("$T sum = $N[m]", scalar.type(), direction.bias().valueField())
                    .beginControlFlow("for (int j = 0; j < $N; j++)", Constant.CONTEXT)
                    .addStatement("sum += $N[m * $N + j] * $N[j]", direction.weightContext().valueField(),
                            Constant.CONTEXT, Field.CONTEXT_VECTOR)
                    .endControlFlow()
                    .addStatement("$N[m] = sum", direction.contextBias())
                    .endControlFlow();
        }
        return method.build();
    }
}
