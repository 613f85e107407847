package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCHES;
import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.SavedState;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.List;

/**
 * Stateful batches: B streams carried from one batched call to the next, truncated BPTT over many
 * streams at once. While the network is stateful, lane b of a batch starts from stream b's state
 * (scattered into row 0 as a decoder's initial states are) and each lane's state at its own last
 * step is gathered back (as an encoder's final states are), so the gradient stops at the carried
 * state exactly as in the single-sequence stateful calls. The streams are kept apart from the
 * single carried state, and {@code streamCount}, {@code saveStates} and {@code restoreStates} hand
 * them over as {@code saveState} hands over one state. A network that feeds its output back runs a
 * batch one sequence at a time and refuses batches while stateful: it keeps the public methods but
 * none of the batched pass's hooks.
 */
final class BatchStreamsEmitter implements GeneratedPart {
    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final SavedState savedState;
    private final String stateSize;

    BatchStreamsEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.savedState = network.savedState();
        this.stateSize = savedState.sizeConstant();
    }

    /** Whether the network carries streams at all: one that streams, with no bidirectional layer. */
    private boolean carriesStreams() {
        return network.carriesState() && network.has(Capability.STREAMING);
    }

    /** Whether its batched pass continues the streams: not one that runs a batch one sequence at a time. */
    boolean applies() {
        return carriesStreams() && !network.runsOneSequenceAtATime();
    }

    @Override
    public List<FieldSpec> fields() {
        if (!carriesStreams()) {
            return List.of();
        }
        return List.of(
                FieldSpec.builder(scalar.array(2), Field.BATCH_STREAM_STATES, PRIVATE)
                        .addJavadoc("Stateful batches: each stream's carried state, one row per stream, laid out as saveState's.\n")
                        .initializer("new $T[0][]", scalar.type())
                        .build(),
                FieldSpec.builder(int.class, Field.BATCH_STREAM_COUNT, PRIVATE)
                        .addJavadoc("Streams carried from the last stateful batch; 0 when the next one starts from zero.\n")
                        .build());
    }

    @Override
    public List<MethodSpec> methods() {
        if (!carriesStreams()) {
            return List.of();
        }
        MethodSpec streamCount = NetworkEmitter.override(Method.STREAM_COUNT, TypeName.INT)
                .addStatement("return $N", Field.BATCH_STREAM_COUNT)
                .build();
        if (!applies()) {
            return List.of(streamCount, saveStates(), restoreStates());
        }
        return List.of(streamCount, saveStates(), restoreStates(), carryStreams());
    }

    /** What {@code resetState} adds: the streams are forgotten with the single state. */
    CodeBlock forget() {
        if (!carriesStreams()) {
            return CodeBlock.of("");
        }
        return CodeBlock.of("$N = 0;   // the next stateful batch starts new streams from zero\n", Field.BATCH_STREAM_COUNT);
    }

    /** What a batched call checks before it changes anything: a stateful batch has one sequence per stream. */
    CodeBlock checkBatch() {
        if (!applies()) {
            return CodeBlock.of("");
        }
        return CodeBlock.of("$T.streamCount($N, $N, batch);\n", BATCHES, Field.STATEFUL, Field.BATCH_STREAM_COUNT);
    }

    /** After a layer's initial state is zeroed (or a decoder's given one scattered): each stream's own. */
    CodeBlock restoreInitialState(LayerPlan layer) {
        if (!applies()) {
            return CodeBlock.of("");
        }
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("if ($N && $N > 0)", Field.STATEFUL, Field.BATCH_STREAM_COUNT)
                .add("// each stream continues from the state its previous chunk ended in\n");
        for (SavedState.Part part : savedState.of(layer)) {
            StatePlan state = part.state();
            code.addStatement("$T.scatterStates($N, $N, $L, $N, 0, $N)", BATCH_KERNELS, Field.BATCH_STREAM_STATES,
                    Field.BATCH_STREAM_COUNT, StreamingEmitter.start(part), state.batchSteps(), state.sizeConstant());
        }
        return code.endControlFlow().build();
    }

    /** After the batched forward pass: the streams' states carried on, when stateful. */
    CodeBlock carry() {
        if (!applies()) {
            return CodeBlock.of("");
        }
        return CodeBlock.of("$N(batch);\n", Method.BATCH_CARRY_STREAMS);
    }

    /** Each lane's state at its own last step kept as its stream's, once the forward pass has run. */
    private MethodSpec carryStreams() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(Method.BATCH_CARRY_STREAMS)
                .addModifiers(PRIVATE)
                .addJavadoc("When stateful: keeps each sequence's state after its own last step as its stream's, for the\n"
                        + "next batch. Allocates only for more streams than before.\n")
                .addParameter(int.class, "batch")
                .beginControlFlow("if (!$N)", Field.STATEFUL)
                .addStatement("return")
                .endControlFlow()
                .beginControlFlow("if ($N.length < batch)", Field.BATCH_STREAM_STATES)
                .addStatement("$N = new $T[batch][$N]", Field.BATCH_STREAM_STATES, scalar.type(), stateSize)
                .endControlFlow();
        for (SavedState.Part part : savedState.parts()) {
            StatePlan state = part.state();
            method.addStatement("$T.gatherStates($N, $N, true, $N, $N, $N, batch, $L)", BATCH_KERNELS,
                    state.batchSteps(), network.batch().lengths(), state.rowWidth(), state.sizeConstant(),
                    Field.BATCH_STREAM_STATES, StreamingEmitter.start(part));
        }
        return method.addStatement("$N = batch", Field.BATCH_STREAM_COUNT).build();
    }

    private MethodSpec saveStates() {
        return NetworkEmitter.override(Method.SAVE_STATES, TypeName.VOID)
                .addParameter(Scalar.stateArray(2), "into")
                .addStatement("$T.streamStates($S, into, $N, $N)", BATCHES, "into", Field.BATCH_STREAM_COUNT, stateSize)
                .beginControlFlow("for (int b = 0; b < $N; b++)", Field.BATCH_STREAM_COUNT)
                .addStatement(scalar.copyState("$N[b], 0, into[b], 0, $N", Field.BATCH_STREAM_STATES, stateSize))
                .endControlFlow()
                .build();
    }

    private MethodSpec restoreStates() {
        return NetworkEmitter.override(Method.RESTORE_STATES, TypeName.VOID)
                .addParameter(Scalar.stateArray(2), "from")
                .addStatement("int streams = $T.restoredStreams(from, $N)", BATCHES, stateSize)
                .addCode(scalar.checkStateRange("$S, from, $N, $S", "from", stateSize, "a state"))
                .beginControlFlow("if ($N.length < streams)", Field.BATCH_STREAM_STATES)
                .addStatement("$N = new $T[streams][$N]", Field.BATCH_STREAM_STATES, scalar.type(), stateSize)
                .endControlFlow()
                .beginControlFlow("for (int b = 0; b < streams; b++)")
                .addStatement(scalar.copyState("from[b], 0, $N[b], 0, $N", Field.BATCH_STREAM_STATES, stateSize))
                .endControlFlow()
                .addStatement("$N = streams", Field.BATCH_STREAM_COUNT)
                .build();
    }
}
