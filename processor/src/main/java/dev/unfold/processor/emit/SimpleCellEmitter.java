package dev.unfold.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.SimpleCell;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;

/**
 * The simple cell h_t = σ(W_hh h_{t−1} + W_ih x_t + b), following the recurrences of equations.md
 * (3.1)–(3.5) line by line. It works in place: the layer's projection leaves u_t's input part in h_t's slot, and the
 * recurrence completes u_t and applies σ there; σ' is written in terms of h, so BPTT needs no u.
 */
final class SimpleCellEmitter extends CellEmitter {

    SimpleCellEmitter(LayerPlan layer, DirectionPlan direction, Scalar scalar, boolean gradientAtEveryStep,
                      String summaryGradient, boolean traced) {
        super(layer, direction, scalar, gradientAtEveryStep, summaryGradient, traced);
    }

    @Override
    MethodSpec recur() {
        String h = layer.states();
        String hidden = layer.hiddenConstant();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentColumns())
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(layer.readsPreviousState()
                        ? CodeBlock.of("// u = $L (already in $N) + W_hh $L\n", projected(), h, previousState())
                        : CodeBlock.of("// u = $L, already in $N: no W_hh\n", projected(), h))
                .addStatement("$T.arraycopy($N, $N, $N, 0, $N)", System.class, h, ElementwiseLayout.STATE,
                        direction.sums(), hidden)
                .add(addRecurrentProductToSums())
                .add(forwardEquations())
                .endControlFlow()
                .build();
        String activation = ActivationCode.symbol(layer.activation());
        return method(direction.recur(), direction.reverse()
                ? "g_t = " + activation + "(W_hh g_{t+1} + W_ih x_t + b) for t = T..1, from g_{T+1} = 0: the\n"
                        + "reverse direction of " + layer.name() + " (equations.md (6.1)).\n"
                : !layer.readsPreviousState()
                ? "h_t = " + activation + "(W_oh y_{t−1} + W_ih x_t + b) for t = 1..T, from y_0 = 0: the output-fed\n"
                        + "recurrence of equations.md (8.1), where W_oh (H × output) takes the place of W_hh (H × H).\n"
                : "h_t = " + activation + "(W_hh h_{t−1} + " + (layer.readsOutput() ? "W_oh y_{t−1} + " : "")
                        + "W_ih x_t + b) for t = 1..T, from h_0 = 0\n"
                        + "(equations.md (1.1), (1.2)" + (layer.readsOutput() ? ", (8.2)" : "") + ").\n")
                .addCode(code)
                .build();
    }

    /** What the projection left in a step's slot before the recurrence adds to it. */
    private String projected() {
        return layer.readsOutput() ? "W_ih x_t + b + W_oh y_{t−1}" : "W_ih x_t + b";
    }

    @Override
    MethodSpec backward() {
        String du = direction.deltas();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentRows())
                .beginControlFlow(bpttLoop())
                .add(traceStateGradient())
                .add(bindStateIf(gradientAtEveryStep || SimpleCell.derivativeReadsOutput(layer.activation())))
                .add(bindRows())
                .add(backwardEquations())
                .add("// W_hhᵀ δu_t: the gradient $L receives through the recurrence\n", previousState())
                .addStatement("$T.fill($N, $L)", java.util.Arrays.class, direction.dhNext(), scalar.zero())
                .add(addTransposedRecurrentProduct(ElementwiseLayout.ROW, layer.hiddenConstant()))
                .endControlFlow()
                .build();
        return method(direction.backward(), "Backpropagation through time for " + subject() + ", against the recurrence (equations.md (3.1), (3.2)).\n"
                        + "Leaves δu_t in row t of " + du + ".\n")
                .addCode(code)
                .build();
    }
}
