package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCHES;
import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.SavedState;
import dev.unfold.processor.plan.Scalar;
import dev.unfold.processor.plan.StatePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-sequence states in the batched pass, for sequence to sequence in batches: an encoder's
 * {@code finalStates} (each sequence's state at its own last step) and its
 * {@code backwardFromStates} (BPTT seeded at each sequence's own last step, which the masked pass
 * reaches with nothing carried for that lane, so the seed is simply added there); a decoder's
 * {@code setInitialStates} (each lane's row 0 instead of zero) and {@code initialStateGradients}
 * (what BPTT carries out of step 1, lane by lane). States are laid out as {@code saveState} lays
 * one out. Networks that cannot carry state, or run a batch one sequence after another, get
 * nothing from here.
 */
final class BatchStateEmitter {
    private final NetworkPlan network;
    /** The type the network computes in. */
    private final Scalar scalar;
    private final BatchPlan batch;
    /** Where each carried state sits in a sequence's row of states, and the row's size. */
    private final SavedState savedState;
    private final String stateSize;

    BatchStateEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.batch = network.batch();
        this.savedState = network.savedState();
        this.stateSize = savedState.sizeConstant();
    }

    /** Whether the network's batches can start from, and hand on, per-sequence states. */
    /**
     * Whether the batched pass starts from given states or hands on final ones: only an encoder's or
     * a decoder's does (neither has a bidirectional layer nor, the validator sees to it, feeds its
     * output back, which runs one sequence at a time).
     */
    static boolean applies(NetworkPlan network) {
        return (network.has(Capability.ENCODER) || network.has(Capability.DECODER))
                && network.layers().stream().noneMatch(LayerPlan::isBidirectional) && !network.runsOneSequenceAtATime();
    }

    boolean applies() {
        return applies(network);
    }

    List<FieldSpec> fields() {
        if (!applies()) {
            return List.of();
        }
        return List.of(
                FieldSpec.builder(scalar.array(2), Field.BATCH_INITIAL_STATES, PRIVATE)
                        .addJavadoc("The batch's initial states, one row per sequence, as setInitialStates copied them.\n")
                        .initializer("new $T[0][]", scalar.type())
                        .build(),
                FieldSpec.builder(int.class, Field.BATCH_INITIAL_STATE_COUNT, PRIVATE)
                        .addJavadoc("How many initial states setInitialStates gave; 0 for zero states.\n")
                        .build(),
                FieldSpec.builder(Scalar.stateArray(2), Field.BATCH_SEEDS, PRIVATE)
                        .addJavadoc("During backwardFromStates: ∂L/∂(final state) of each sequence; null otherwise.\n")
                        .build(),
                FieldSpec.builder(int.class, Field.BATCH_SEQUENCES, PRIVATE)
                        .addJavadoc("Sequences in the last batch, whose states finalStates and initialStateGradients read.\n")
                        .build());
    }

    List<MethodSpec> methods() {
        if (!applies()) {
            return List.of();
        }
        List<MethodSpec> methods = new ArrayList<>();
        if (network.has(Capability.DECODER)) {
            methods.add(setInitialStates());
            methods.add(initialStateGradients());
        }
        if (network.has(Capability.ENCODER)) {
            methods.add(finalStates());
        }
        return methods;
    }

    /** What a batched call checks once it knows its batch size, before it changes anything. */
    CodeBlock checkBatch() {
        if (!applies()) {
            return CodeBlock.of("");
        }
        return CodeBlock.of("$T.initialStateCount($N, batch);\n", BATCHES, Field.BATCH_INITIAL_STATE_COUNT);
    }

    /** What a batched call notes once it runs: the batch whose states finalStates and initialStateGradients read. */
    CodeBlock noteBatch() {
        if (!applies()) {
            return CodeBlock.of("");
        }
        return CodeBlock.of("$N = batch;\n", Field.BATCH_SEQUENCES);
    }

    /** After a layer's initial state is zeroed: each given sequence's own instead. */
    CodeBlock restoreInitialState(LayerPlan layer) {
        if (!applies()) {
            return CodeBlock.of("");
        }
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("if ($N > 0)", Field.BATCH_INITIAL_STATE_COUNT)
                .add("// each sequence starts from its own state (a decoder, from its encoder's)\n");
        for (SavedState.Part part : savedState.of(layer)) {
            StatePlan state = part.state();
            code.addStatement("$T.scatterStates($N, $N, $L, $N, 0, $N)", BATCH_KERNELS, Field.BATCH_INITIAL_STATES,
                    Field.BATCH_INITIAL_STATE_COUNT, StreamingEmitter.start(part), state.batchSteps(), state.sizeConstant());
        }
        return code.endControlFlow().build();
    }

    /** The first statement of a batched BPTT step: a sequence ending here receives its seed. */
    CodeBlock seed(LayerPlan layer, DirectionPlan direction) {
        if (!applies()) {
            return CodeBlock.of("");
        }
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("if ($N != null)", Field.BATCH_SEEDS)
                .add("// backwardFromStates: ∂L/∂(final state) enters at each sequence's own last step\n");
        for (SavedState.Part part : savedState.of(layer)) {
            StatePlan state = direction.state(part.state().state());
            code.addStatement("$T.seedEnding($N, $L, $N, t, $N, $N)", BATCH_KERNELS, Field.BATCH_SEEDS, StreamingEmitter.start(part),
                    batch.lengths(), state.batchGradient(), state.sizeConstant());
        }
        return code.endControlFlow().build();
    }

    private MethodSpec setInitialStates() {
        return NetworkEmitter.override(Method.SET_INITIAL_STATES, TypeName.VOID)
                .addParameter(Scalar.stateArray(2), "states")
                .beginControlFlow("if (states == null)")
                .addStatement("$N = 0", Field.BATCH_INITIAL_STATE_COUNT)
                .addStatement("return")
                .endControlFlow()
                .addStatement("$T.initialStates(states, $N)", BATCHES, stateSize)
                .beginControlFlow("if ($N.length < states.length)", Field.BATCH_INITIAL_STATES)
                .addStatement("$N = new $T[states.length][$N]", Field.BATCH_INITIAL_STATES, scalar.type(), stateSize)
                .endControlFlow()
                .beginControlFlow("for (int b = 0; b < states.length; b++)")
                .addStatement(scalar.copyState("states[b], 0, $N[b], 0, $N", Field.BATCH_INITIAL_STATES, stateSize))
                .endControlFlow()
                .addStatement("$N = states.length", Field.BATCH_INITIAL_STATE_COUNT)
                .build();
    }

    /** What BPTT carried out of step 1 of each lane: the gradient of its initial state. */
    private MethodSpec initialStateGradients() {
        MethodSpec.Builder method = NetworkEmitter.override(Method.INITIAL_STATE_GRADIENTS, TypeName.VOID)
                .addParameter(Scalar.stateArray(2), "into")
                .addStatement("$T.states($S, into, $N, $N)", BATCHES, "into", Field.BATCH_SEQUENCES, stateSize);
        for (SavedState.Part part : savedState.parts()) {
            StatePlan state = part.state();
            method.addStatement("$T.gatherStates($N, $N, false, 0, $N, into, $N, $L)", BATCH_KERNELS,
                    state.batchGradient(), batch.lengths(), state.sizeConstant(), Field.BATCH_SEQUENCES, StreamingEmitter.start(part));
        }
        return method.build();
    }

    /** Each lane's state at its own last step: row block lengths[b] of every layer's carried states. */
    private MethodSpec finalStates() {
        MethodSpec.Builder method = NetworkEmitter.override(Method.FINAL_STATES, TypeName.VOID)
                .addParameter(Scalar.stateArray(2), "into")
                .addStatement("$T.states($S, into, $N, $N)", BATCHES, "into", Field.BATCH_SEQUENCES, stateSize);
        for (SavedState.Part part : savedState.parts()) {
            StatePlan state = part.state();
            method.addStatement("$T.gatherStates($N, $N, true, $N, $N, into, $N, $L)", BATCH_KERNELS,
                    state.batchSteps(), batch.lengths(), state.rowWidth(), state.sizeConstant(), Field.BATCH_SEQUENCES,
                    StreamingEmitter.start(part));
        }
        return method.build();
    }
}
