package dev.unfold.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.GruCell;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;

/**
 * PyTorch's GRU, gates in its order r, z, n stacked in W_ih and W_hh:
 * <pre>
 * r = σ(W_ir x_t + W_hr h_{t−1} + b_r)        z = σ(W_iz x_t + W_hz h_{t−1} + b_z)
 * n = tanh(W_in x_t + b_in + r ⊙ (W_hn h_{t−1} + b_hn))
 * h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 * </pre>
 * b_r and b_z are PyTorch's input and hidden biases summed; b_hn sits inside r's product, so it
 * stays a parameter of its own. The recurrence keeps r, z, n and W_hn h_{t−1} + b_hn per step.
 */
final class GruCellEmitter extends CellEmitter {

    GruCellEmitter(LayerPlan layer, DirectionPlan direction, Scalar scalar, boolean gradientAtEveryStep,
                   String summaryGradient, boolean traced) {
        super(layer, direction, scalar, gradientAtEveryStep, summaryGradient, traced);
    }

    @Override
    MethodSpec recur() {
        String hidden = layer.hiddenConstant();
        String gates = direction.preactivations();
        String hn = direction.hiddenProducts();
        String sums = direction.sums();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentColumns())
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(bindRows())
                .add("// r and z: W_ih x_t + b (already in $N) + W_hr $L and W_hz $L; n: W_hn $L + b_hn,\n",
                        gates, previousState(), previousState(), previousState())
                .add("// kept apart, since r gates it. All three in one pass over $L.\n", previousState())
                .addStatement("$T.arraycopy($N, $N, $N, 0, 2 * $N)", System.class, gates, ElementwiseLayout.GATE, sums,
                        hidden)
                .addStatement("$T.arraycopy($N, 0, $N, 2 * $N, $N)", System.class, direction.cellParameter(GruCell.HIDDEN_BIAS).valueField(),
                        sums, hidden, hidden)
                .add(addRecurrentProductToSums())
                .addStatement("$T.arraycopy($N, 0, $N, $N, 2 * $N)", System.class, sums, gates, ElementwiseLayout.GATE,
                        hidden)
                .addStatement("$T.arraycopy($N, 2 * $N, $N, $N, $N)", System.class, sums, hidden, hn,
                        ElementwiseLayout.PRODUCT, hidden)
                .add(forwardEquations())
                .endControlFlow()
                .build();
        return method(direction.recur(), "The " + which() + "GRU recurrence of " + layer.name() + " for "
                        + stepRange() + ", from h = 0 (PyTorch's nn.GRU; equations.md (5.1)–(5.4)).\n")
                .addCode(code)
                .build();
    }

    @Override
    MethodSpec backward() {
        String hidden = layer.hiddenConstant();
        String deltas = direction.deltas();
        String hiddenDeltas = direction.hiddenDeltas();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentRows())
                .beginControlFlow(bpttLoop())
                .add(traceStateGradient())
                .add(bindStates())
                .add(bindRows())
                .add(backwardEquations())
                .add("// + W_hhᵀ δa^h_t: the rest of what $L receives\n", previousState())
                .add(addTransposedRecurrentProduct(ElementwiseLayout.GATE, layer.gateRowsConstant()))
                .endControlFlow()
                .build();
        return method(direction.backward(), "Backpropagation through time for " + subject() + " (GRU), against the recurrence.\n"
                        + "Leaves the input-side gradients in row t of " + deltas + " and the hidden-side ones in "
                        + hiddenDeltas + ".\n")
                .addCode(code)
                .build();
    }

    /** ∂L/∂b_hn: b_hn sits where the hidden side's n block does, so it sums r ⊙ δn (equations.md (5.10)). */
    @Override
    CodeBlock cellParameterGradients() {
        return CodeBlock.builder()
                .beginControlFlow("for (int k = 0; k < $N; k++)", layer.hiddenConstant())
                .addStatement("$N[k] += $N[row + 2 * $N + k]",
                        direction.cellParameter(GruCell.HIDDEN_BIAS).gradientField(), direction.hiddenDeltas(),
                        layer.hiddenConstant())
                .endControlFlow()
                .build();
    }

    @Override
    String cellParameterGradientsInWords() {
        return ",\nand ∂L/∂b_hn from the n block of the hidden-side deltas   (equations.md (5.10))";
    }
}
