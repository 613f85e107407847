package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.DROPOUT_MASKS;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.processor.plan.DropoutPlan;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.List;

/**
 * Dropout in training (equations.md (16.1)–(16.5)), for a network with a layer that declares it:
 * the rates, where the masks are drawn from ({@code drawMasks}, the runtime's {@code Dropout}),
 * and the methods a {@code backward} opens and closes its pass with, which draw every mask of the
 * call and raise the {@code dropping} flag the layers' methods read. Nothing for any other network.
 *
 * <p>The layers drop where they read: {@link LayerEmitter} and {@link CellEmitter} for one
 * sequence, {@link BatchLayerEmitter} and {@link BatchCellEmitter} for a batch.
 */
final class DropoutEmitter implements GeneratedPart {
    private final NetworkPlan network;

    DropoutEmitter(NetworkPlan network) {
        this.network = network;
    }

    @Override
    public List<FieldSpec> constants() {
        List<FieldSpec> constants = new ArrayList<>();
        for (LayerPlan layer : network.layers()) {
            DropoutPlan dropout = layer.dropout();
            if (dropout == null) {
                continue;
            }
            if (dropout.dropsInput()) {
                constants.add(FieldSpec.builder(Scalar.PROBABILITY, dropout.inputRateConstant(), PRIVATE, STATIC, FINAL)
                        .addJavadoc("p of dropout on the input of $L in training.\n", layer.name())
                        .initializer("$L", dropout.inputRate())
                        .build());
            }
            if (dropout.dropsRecurrent()) {
                constants.add(FieldSpec.builder(Scalar.PROBABILITY, dropout.recurrentRateConstant(), PRIVATE, STATIC, FINAL)
                        .addJavadoc("p of dropout on the previous state of $L where it enters W_hh, in training.\n",
                                layer.name())
                        .initializer("$L", dropout.recurrentRate())
                        .build());
            }
        }
        return constants;
    }

    @Override
    public List<FieldSpec> fields() {
        if (!network.hasDropout()) {
            return List.of();
        }
        return List.of(
                FieldSpec.builder(long.class, Field.DROPOUT_SEED, PRIVATE)
                        .addJavadoc("The seed backward draws its dropout masks from: see drawMasks.\n").build(),
                FieldSpec.builder(long.class, Field.DROPOUT_DRAW, PRIVATE)
                        .addJavadoc("The draw backward takes its dropout masks from: a trainer's step.\n").build(),
                FieldSpec.builder(long.class, Field.DROPOUT_SEQUENCE, PRIVATE)
                        .addJavadoc("Sequences dropped since drawMasks: the number of the next backward's first.\n")
                        .build(),
                FieldSpec.builder(boolean.class, Field.DROPPING, PRIVATE)
                        .addJavadoc("Whether the pass running is backward's, which drops; forward, loss and step never do.\n")
                        .build());
    }

    @Override
    public List<MethodSpec> methods() {
        if (!network.hasDropout()) {
            return List.of();
        }
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(NetworkEmitter.override(Method.DRAW_MASKS, TypeName.VOID)
                .addParameter(long.class, "seed")
                .addParameter(long.class, "draw")
                .addStatement("$N = seed", Field.DROPOUT_SEED)
                .addStatement("$N = draw", Field.DROPOUT_DRAW)
                .addStatement("$N = 0", Field.DROPOUT_SEQUENCE)
                .build());
        methods.add(begin());
        if (!network.runsOneSequenceAtATime()) {
            methods.add(batchBegin());
        }
        methods.add(MethodSpec.methodBuilder(Method.END_DROPOUT)
                .addModifiers(PRIVATE)
                .addJavadoc("Ends a backward pass: the passes after it do not drop, and the next backward takes the\n"
                        + "sequence numbers after this one's {@code sequences}.\n")
                .addParameter(int.class, "sequences")
                .addStatement("$N = false", Field.DROPPING)
                .addStatement("$N += sequences", Field.DROPOUT_SEQUENCE)
                .build());
        return methods;
    }

    /** Draws one sequence's masks ({@code tokens} null for dense input) and starts dropping. */
    private MethodSpec begin() {
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("long key = $T.sequenceKey($N, $N, $N)", DROPOUT_MASKS, Field.DROPOUT_SEED,
                        Field.DROPOUT_DRAW, Field.DROPOUT_SEQUENCE);
        for (LayerPlan layer : network.layers()) {
            DropoutPlan dropout = layer.dropout();
            if (dropout == null) {
                continue;
            }
            if (dropout.dropsInput()) {
                int site = DropoutPlan.inputSite(layer.index());
                if (layer.readsNetworkInput()) {
                    code.beginControlFlow("if (tokens == null)")
                            .addStatement("$T.fillSteps($N, $N, steps, key, $L, $N)", DROPOUT_MASKS,
                                    dropout.inputMask(), layer.inputConstant(), site, dropout.inputRateConstant())
                            .nextControlFlow("else")
                            .add("// a one-hot x_t ⊙ m_t is zero but at its token: only those entries are read\n")
                            .addStatement("$T.fillTokens($N, $N, tokens, steps, key, $L, $N)", DROPOUT_MASKS,
                                    dropout.inputMask(), layer.inputConstant(), site, dropout.inputRateConstant())
                            .endControlFlow();
                } else {
                    code.addStatement("$T.fillSteps($N, $N, steps, key, $L, $N)", DROPOUT_MASKS, dropout.inputMask(),
                            layer.inputConstant(), site, dropout.inputRateConstant());
                }
            }
            for (int d = 0; d < dropout.recurrentMasks().size(); d++) {
                code.addStatement("$T.fill($N, $N, key, $L, $N)", DROPOUT_MASKS, dropout.recurrentMasks().get(d),
                        layer.stateConstant(), DropoutPlan.recurrentSite(layer.index(), d),
                        dropout.recurrentRateConstant());
            }
        }
        code.addStatement("$N = true", Field.DROPPING);
        return MethodSpec.methodBuilder(Method.BEGIN_DROPOUT)
                .addModifiers(PRIVATE)
                .addJavadoc("Starts a backward pass over one sequence: draws its masks (equations.md (16.5)), the\n"
                        + "input's at every step and each recurrent one once, and has the layers drop.\n")
                .addParameter(int[].class, "tokens")
                .addParameter(int.class, "steps")
                .addCode(code.build())
                .build();
    }

    /**
     * Draws a batch's masks, lane b's those of sequence b of the call, and starts dropping; the
     * first layer's dense input is dropped where the batch's inputs are gathered.
     */
    private MethodSpec batchBegin() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (LayerPlan layer : network.layers()) {
            DropoutPlan dropout = layer.dropout();
            if (dropout == null) {
                continue;
            }
            if (dropout.dropsInput()) {
                int site = DropoutPlan.inputSite(layer.index());
                if (layer.readsNetworkInput()) {
                    code.beginControlFlow("if (tokens != null)")
                            .addStatement("$T.fillTokenRows($N, tokens, steps, batch, $N, $N, $N, $L, $N)",
                                    DROPOUT_MASKS, dropout.batchTokenKeep(), Field.DROPOUT_SEED, Field.DROPOUT_DRAW,
                                    Field.DROPOUT_SEQUENCE, site, dropout.inputRateConstant())
                            .endControlFlow();
                } else {
                    code.addStatement("$T.fillRows($N, $N, steps, batch, lanes, $N, $N, $N, $L, $N)", DROPOUT_MASKS,
                            dropout.batchInputMask(), layer.inputConstant(), Field.DROPOUT_SEED, Field.DROPOUT_DRAW,
                            Field.DROPOUT_SEQUENCE, site, dropout.inputRateConstant());
                }
            }
            for (int d = 0; d < dropout.batchRecurrentMasks().size(); d++) {
                code.addStatement("$T.fillLanes($N, $N, batch, lanes, $N, $N, $N, $L, $N)", DROPOUT_MASKS,
                        dropout.batchRecurrentMasks().get(d), layer.stateConstant(), Field.DROPOUT_SEED,
                        Field.DROPOUT_DRAW, Field.DROPOUT_SEQUENCE, DropoutPlan.recurrentSite(layer.index(), d),
                        dropout.recurrentRateConstant());
            }
        }
        code.addStatement("$N = true", Field.DROPPING);
        return MethodSpec.methodBuilder(Method.BATCH_BEGIN_DROPOUT)
                .addModifiers(PRIVATE)
                .addJavadoc("Starts a batched backward pass: draws each lane's masks, lane b those sequence b of the\n"
                        + "call would draw alone (equations.md (16.5)), and has the layers drop.\n")
                .addParameter(int[][].class, "tokens")
                .addParameter(int.class, "batch")
                .addParameter(int.class, "steps")
                .addParameter(int.class, "lanes")
                .addCode(code.build())
                .build();
    }

    /**
     * The first layer's dense batch input dropped in place once gathered, when it drops its input;
     * nothing otherwise. Only backward drops.
     */
    static CodeBlock dropBatchInputs(NetworkPlan network) {
        LayerPlan first = network.layers().get(0);
        if (!first.dropsInput()) {
            return CodeBlock.of("");
        }
        return CodeBlock.builder()
                .beginControlFlow("if ($N)", Field.DROPPING)
                .add("// x_t ⊙ m_t of every lane   (equations.md (16.1))\n")
                .addStatement("$T.dropRows($N, $N, steps, batch, $N, $N, $N, $L, $N)", DROPOUT_MASKS,
                        network.batch().inputs(), first.inputConstant(), Field.DROPOUT_SEED, Field.DROPOUT_DRAW,
                        Field.DROPOUT_SEQUENCE, DropoutPlan.inputSite(0), first.dropout().inputRateConstant())
                .endControlFlow()
                .build();
    }
}
