package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.STATE_GRADIENT_TRACE;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.processor.cell.LstmCell;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.GeneratedNames.Field;
import dev.unfold.processor.plan.GeneratedNames.Method;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.List;

/**
 * Gradient diagnostics (equations.md (11.2)): the switch {@code traceStateGradients}, and the
 * one block each BPTT step opens with, which while tracing hands ‖δh_t‖'s terms (and an LSTM's f_t) to
 * the runtime's {@code StateGradientTrace}. Off, a step costs the branch and nothing else; the
 * trace itself is created when tracing is first turned on.
 */
final class StateGradientTraceEmitter implements GeneratedPart {
    /** Whether the network is {@code Traceable}: only then does it have this part's members. */
    private final boolean traced;

    StateGradientTraceEmitter(NetworkPlan network) {
        this.traced = network.has(Capability.TRACEABLE);
    }

    @Override
    public List<FieldSpec> fields() {
        if (!traced) {
            return List.of();
        }
        return List.of(
                FieldSpec.builder(boolean.class, Field.STATE_GRADIENT_TRACING, PRIVATE)
                        .addJavadoc("Whether BPTT records ‖∂L/∂h_t‖ (and an LSTM's f_t) in $N.\n", Field.STATE_GRADIENT_TRACE)
                        .build(),
                FieldSpec.builder(STATE_GRADIENT_TRACE, Field.STATE_GRADIENT_TRACE, PRIVATE)
                        .addJavadoc("What the last traced backward pass recorded; null until tracing is turned on.\n")
                        .build());
    }

    @Override
    public List<MethodSpec> methods() {
        if (!traced) {
            return List.of();
        }
        return List.of(
                NetworkEmitter.override(Method.TRACE_STATE_GRADIENTS, TypeName.VOID)
                        .addParameter(boolean.class, "on")
                        .beginControlFlow("if (on && $N == null)", Field.STATE_GRADIENT_TRACE)
                        .addStatement("$N = new $T($N)", Field.STATE_GRADIENT_TRACE, STATE_GRADIENT_TRACE, Field.LAYERS)
                        .endControlFlow()
                        .addStatement("$N = on", Field.STATE_GRADIENT_TRACING)
                        .build(),
                NetworkEmitter.override(Method.STATE_GRADIENT_NORMS, TypeName.VOID)
                        .addParameter(int.class, "layer")
                        .addParameter(int.class, "direction")
                        .addParameter(Scalar.stateArray(1), "into")
                        .addStatement("$T.traced($N).norms(layer, direction, into)", STATE_GRADIENT_TRACE, Field.STATE_GRADIENT_TRACE)
                        .build(),
                NetworkEmitter.override(Method.CELL_STATE_GRADIENT_NORMS, TypeName.VOID)
                        .addParameter(int.class, "layer")
                        .addParameter(int.class, "direction")
                        .addParameter(Scalar.stateArray(1), "into")
                        .addStatement("$T.traced($N).cellNorms(layer, direction, into)", STATE_GRADIENT_TRACE, Field.STATE_GRADIENT_TRACE)
                        .build(),
                NetworkEmitter.override(Method.FORGET_GATES, TypeName.VOID)
                        .addParameter(int.class, "layer")
                        .addParameter(int.class, "direction")
                        .addParameter(Scalar.stateArray(2), "into")
                        .addStatement("$T.traced($N).forgetGates(layer, direction, into)", STATE_GRADIENT_TRACE, Field.STATE_GRADIENT_TRACE)
                        .build());
    }

    /**
     * The one block that opens a BPTT step, before the step changes the carried gradient: while
     * tracing, it records ‖δh_t‖ = ‖(∂L/∂h_t from above) + (what step t∓1 passed back)‖, the sum
     * the cell forms, and for a cell that carries c (the LSTM) also f_t, whose products carry δc
     * back, and ‖f_{t+1} ⊙ δc_{t+1}‖, what c_t receives along the cell state. One branch a step
     * when tracing is off.
     */
    static CodeBlock step(LayerPlan layer, DirectionPlan direction, boolean gradientAtEveryStep) {
        CodeBlock row = direction.reverse()
                ? CodeBlock.of("t * $N + $N", layer.widthConstant(), layer.stateConstant())
                : CodeBlock.of("t * $N", layer.widthConstant());
        boolean carriesCell = layer.cell().carriedStates().contains(LstmCell.CELL_STATE);
        CodeBlock.Builder code = CodeBlock.builder()
                .add(carriesCell
                        ? "// diagnostics: ‖δh_t‖, f_t and ‖f_{t+1} ⊙ δc_{t+1}‖ (equations.md (11.2), (4.8)), recorded only while tracing\n"
                        : "// diagnostics: ‖δh_t‖ (equations.md (11.2)), recorded only while tracing\n")
                .beginControlFlow("if ($N)", Field.STATE_GRADIENT_TRACING)
                .addStatement("$N.stateGradient($L, t, steps, $L, $L, $N, $N)", Field.STATE_GRADIENT_TRACE, slot(layer, direction),
                        gradientAtEveryStep ? layer.statesGradient() : "null", row, direction.dhNext(),
                        layer.stateConstant());
        if (carriesCell) {
            // the forget gate is block 1 of the gates the recurrence kept, in PyTorch's order i, f, g, o
            code.addStatement("$N.forgetGates($L, t, steps, $N, t * $N + $N, $N)", Field.STATE_GRADIENT_TRACE, slot(layer, direction),
                            direction.preactivations(), layer.gateRowsConstant(), layer.hiddenConstant(),
                            layer.hiddenConstant())
                    .addStatement("$N.cellGradient($L, t, steps, $N, $N)", Field.STATE_GRADIENT_TRACE, slot(layer, direction),
                            direction.state(LstmCell.CELL_STATE).gradient(), layer.hiddenConstant());
        }
        return code.endControlFlow().build();
    }

    /** The batched backward pass refuses while tracing: the trace is one sequence's. */
    static CodeBlock refuseBatch() {
        return CodeBlock.builder().addStatement("$T.refuseBatch($N)", STATE_GRADIENT_TRACE, Field.STATE_GRADIENT_TRACING).build();
    }

    private static int slot(LayerPlan layer, DirectionPlan direction) {
        return 2 * layer.index() + (direction.reverse() ? 1 : 0);
    }
}
