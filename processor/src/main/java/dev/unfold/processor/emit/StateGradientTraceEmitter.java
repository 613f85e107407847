package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.STATE_GRADIENT_TRACE;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.unfold.processor.cell.LstmCell;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.List;

/**
 * Gradient diagnostics (equations.md (11.2)): the switch {@code traceStateGradients}, and the
 * one block each BPTT step opens with, which while tracing hands ‖δh_t‖'s terms (and an LSTM's f_t) to
 * the runtime's {@code StateGradientTrace}. Off, a step costs the branch and nothing else; the
 * trace itself is created when tracing is first turned on.
 */
final class StateGradientTraceEmitter {
    /** Whether BPTT records; a field of the network so that the branch reads one boolean. */
    static final String TRACING = "stateGradientTracing";
    /** The runtime object the records go to; null until tracing is first turned on. */
    static final String TRACE = "stateGradientTrace";

    private StateGradientTraceEmitter() {}

    static List<FieldSpec> fields(Scalar scalar) {
        return List.of(
                FieldSpec.builder(boolean.class, TRACING, PRIVATE)
                        .addJavadoc("Whether BPTT records ‖∂L/∂h_t‖ (and an LSTM's f_t) in $N.\n", TRACE)
                        .build(),
                FieldSpec.builder(STATE_GRADIENT_TRACE, TRACE, PRIVATE)
                        .addJavadoc("What the last traced backward pass recorded; null until tracing is turned on.\n")
                        .build());
    }

    static List<MethodSpec> methods(Scalar scalar) {
        return List.of(
                NetworkEmitter.override("traceStateGradients", TypeName.VOID)
                        .addParameter(boolean.class, "on")
                        .beginControlFlow("if (on && $N == null)", TRACE)
                        .addStatement("$N = new $T(layers)", TRACE, STATE_GRADIENT_TRACE)
                        .endControlFlow()
                        .addStatement("$N = on", TRACING)
                        .build(),
                NetworkEmitter.override("stateGradientNorms", TypeName.VOID)
                        .addParameter(int.class, "layer")
                        .addParameter(int.class, "direction")
                        .addParameter(scalar.array(1), "into")
                        .addStatement("$T.traced($N).norms(layer, direction, into)", STATE_GRADIENT_TRACE, TRACE)
                        .build(),
                NetworkEmitter.override("cellStateGradientNorms", TypeName.VOID)
                        .addParameter(int.class, "layer")
                        .addParameter(int.class, "direction")
                        .addParameter(scalar.array(1), "into")
                        .addStatement("$T.traced($N).cellNorms(layer, direction, into)", STATE_GRADIENT_TRACE, TRACE)
                        .build(),
                NetworkEmitter.override("forgetGates", TypeName.VOID)
                        .addParameter(int.class, "layer")
                        .addParameter(int.class, "direction")
                        .addParameter(scalar.array(2), "into")
                        .addStatement("$T.traced($N).forgetGates(layer, direction, into)", STATE_GRADIENT_TRACE, TRACE)
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
                ? CodeBlock.of("t * $N + $N", layer.widthConstant(), layer.hiddenConstant())
                : CodeBlock.of("t * $N", layer.widthConstant());
        boolean carriesCell = layer.cell().carriedStates().contains(LstmCell.CELL_STATE);
        CodeBlock.Builder code = CodeBlock.builder()
                .add(carriesCell
                        ? "// diagnostics: ‖δh_t‖, f_t and ‖f_{t+1} ⊙ δc_{t+1}‖ (equations.md (11.2), (4.8)), recorded only while tracing\n"
                        : "// diagnostics: ‖δh_t‖ (equations.md (11.2)), recorded only while tracing\n")
                .beginControlFlow("if ($N)", TRACING)
                .addStatement("$N.stateGradient($L, t, steps, $L, $L, $N, $N)", TRACE, slot(layer, direction),
                        gradientAtEveryStep ? layer.statesGradient() : "null", row, direction.dhNext(),
                        layer.hiddenConstant());
        if (carriesCell) {
            // the forget gate is block 1 of the gates the recurrence kept, in PyTorch's order i, f, g, o
            code.addStatement("$N.forgetGates($L, t, steps, $N, t * $N + $N, $N)", TRACE, slot(layer, direction),
                            direction.preactivations(), layer.gateRowsConstant(), layer.hiddenConstant(),
                            layer.hiddenConstant())
                    .addStatement("$N.cellGradient($L, t, steps, $N, $N)", TRACE, slot(layer, direction),
                            direction.state(LstmCell.CELL_STATE).gradient(), layer.hiddenConstant());
        }
        return code.endControlFlow().build();
    }

    /** The batched backward pass refuses while tracing: the trace is one sequence's. */
    static CodeBlock refuseBatch() {
        return CodeBlock.builder().addStatement("$T.refuseBatch($N)", STATE_GRADIENT_TRACE, TRACING).build();
    }

    private static int slot(LayerPlan layer, DirectionPlan direction) {
        return 2 * layer.index() + (direction.reverse() ? 1 : 0);
    }
}
