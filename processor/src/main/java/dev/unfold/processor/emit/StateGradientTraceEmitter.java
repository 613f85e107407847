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
import java.util.List;

/**
 * Gradient diagnostics (issue 8; equations.md (11.2)): the switch {@code traceStateGradients}, and the
 * one line each BPTT step runs, which while tracing hands ‖δh_t‖'s terms (and an LSTM's f_t) to
 * the runtime's {@code StateGradientTrace}. Off, a step costs the branch and nothing else; the
 * trace itself is created when tracing is first turned on.
 */
final class StateGradientTraceEmitter {
    /** Whether BPTT records; a field of the network so that the branch reads one boolean. */
    static final String TRACING = "stateGradientTracing";
    /** The runtime object the records go to; null until tracing is first turned on. */
    static final String TRACE = "stateGradientTrace";

    private StateGradientTraceEmitter() {}

    static List<FieldSpec> fields() {
        return List.of(
                FieldSpec.builder(boolean.class, TRACING, PRIVATE)
                        .addJavadoc("Whether BPTT records ‖∂L/∂h_t‖ (and an LSTM's f_t) in $N.\n", TRACE)
                        .build(),
                FieldSpec.builder(STATE_GRADIENT_TRACE, TRACE, PRIVATE)
                        .addJavadoc("What the last traced backward pass recorded; null until tracing is turned on.\n")
                        .build());
    }

    static List<MethodSpec> methods() {
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
                        .addParameter(double[].class, "into")
                        .addStatement("$T.traced($N).norms(layer, direction, into)", STATE_GRADIENT_TRACE, TRACE)
                        .build(),
                NetworkEmitter.override("cellStateGradientNorms", TypeName.VOID)
                        .addParameter(int.class, "layer")
                        .addParameter(int.class, "direction")
                        .addParameter(double[].class, "into")
                        .addStatement("$T.traced($N).cellNorms(layer, direction, into)", STATE_GRADIENT_TRACE, TRACE)
                        .build(),
                NetworkEmitter.override("forgetGates", TypeName.VOID)
                        .addParameter(int.class, "layer")
                        .addParameter(int.class, "direction")
                        .addParameter(double[][].class, "into")
                        .addStatement("$T.traced($N).forgetGates(layer, direction, into)", STATE_GRADIENT_TRACE, TRACE)
                        .build());
    }

    /**
     * The first statement of a BPTT step, before the step changes the carried gradient: while
     * tracing, ‖δh_t‖ = ‖(∂L/∂h_t from above) + (what step t∓1 passed back)‖, the sum the cell forms.
     */
    static CodeBlock stateGradient(LayerPlan layer, DirectionPlan direction, boolean gradientAtEveryStep) {
        CodeBlock row = direction.reverse()
                ? CodeBlock.of("t * $N + $N", layer.widthConstant(), layer.hiddenConstant())
                : CodeBlock.of("t * $N", layer.widthConstant());
        return CodeBlock.builder()
                .add("// diagnostics: ‖δh_t‖ (equations.md (11.2)), recorded only while tracing\n")
                .addStatement("if ($N) $N.stateGradient($L, t, steps, $L, $L, $N, $N)", TRACING, TRACE,
                        slot(layer, direction), gradientAtEveryStep ? layer.statesGradient() : "null", row,
                        direction.dhNext(), layer.hiddenConstant())
                .build();
    }

    /** While tracing, f_t of an LSTM step, from the activations its recurrence kept. */
    static CodeBlock forgetGates(LayerPlan layer, DirectionPlan direction) {
        return CodeBlock.builder()
                .addStatement("if ($N) $N.forgetGates($L, t, steps, $N, t * $N + $N, $N)", TRACING, TRACE,
                        slot(layer, direction), direction.preactivations(), layer.gateRowsConstant(),
                        layer.hiddenConstant(), layer.hiddenConstant())
                .build();
    }

    /** While tracing, ‖f_{t+1} ⊙ δc_{t+1}‖: what an LSTM's c_t receives along the cell state. */
    static CodeBlock cellGradient(LayerPlan layer, DirectionPlan direction) {
        return CodeBlock.builder()
                .addStatement("if ($N) $N.cellGradient($L, t, steps, $N, $N)", TRACING, TRACE, slot(layer, direction),
                        direction.state(LstmCell.CELL_STATE).gradient(), layer.hiddenConstant())
                .build();
    }

    /** The batched backward pass refuses while tracing: the trace is one sequence's. */
    static CodeBlock refuseBatch() {
        return CodeBlock.builder().addStatement("$T.refuseBatch($N)", STATE_GRADIENT_TRACE, TRACING).build();
    }

    private static int slot(LayerPlan layer, DirectionPlan direction) {
        return 2 * layer.index() + (direction.reverse() ? 1 : 0);
    }
}
