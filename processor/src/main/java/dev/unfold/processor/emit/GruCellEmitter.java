package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.ACTIVATIONS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.GruCell;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;

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

    GruCellEmitter(LayerPlan layer, DirectionPlan direction, boolean gradientAtEveryStep, String summaryGradient) {
        super(layer, direction, gradientAtEveryStep, summaryGradient);
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
                .addStatement("int gate = t * $N", layer.gateRowsConstant())
                .addStatement("int product = t * $N", hidden)
                .add("// r and z: W_ih x_t + b (already in $N) + W_hr $L and W_hz $L; n: W_hn $L + b_hn,\n",
                        gates, previousState(), previousState(), previousState())
                .add("// kept apart, since r gates it. All three in one pass over $L.\n", previousState())
                .addStatement("$T.arraycopy($N, gate, $N, 0, 2 * $N)", System.class, gates, sums, hidden)
                .addStatement("$T.arraycopy($N, 0, $N, 2 * $N, $N)", System.class, direction.cellParameter(GruCell.HIDDEN_BIAS).valueField(),
                        sums, hidden, hidden)
                .add(addRecurrentProductToSums())
                .addStatement("$T.arraycopy($N, 0, $N, gate, 2 * $N)", System.class, sums, gates, hidden)
                .addStatement("$T.arraycopy($N, 2 * $N, $N, product, $N)", System.class, sums, hidden, hn, hidden)
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("double r = $T.sigmoid($N[gate + k])", ACTIVATIONS, gates)
                .addStatement("double z = $T.sigmoid($N[gate + $N + k])", ACTIVATIONS, gates, hidden)
                .addStatement("double n = $T.tanh($N[gate + 2 * $N + k] + r * $N[product + k])", ACTIVATIONS, gates,
                        hidden, hn)
                .add("// keep the activations for BPTT\n")
                .addStatement("$N[gate + k] = r", gates)
                .addStatement("$N[gate + $N + k] = z", gates, hidden)
                .addStatement("$N[gate + 2 * $N + k] = n", gates, hidden)
                .add("// h_t = (1 − z) ⊙ n + z ⊙ $L\n", previousState())
                .addStatement("$N[state + k] = (1 - z) * n + z * $N[previous + k]", layer.states(), layer.states())
                .endControlFlow()
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
        String gates = direction.preactivations();
        String deltas = direction.deltas();
        String hiddenDeltas = direction.hiddenDeltas();
        String dhNext = direction.dhNext();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentRows())
                .beginControlFlow(bpttLoop())
                .add(traceStateGradient())
                .add(bindStates())
                .addStatement("int gate = t * $N", layer.gateRowsConstant())
                .addStatement("int product = t * $N", hidden)
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("double r = $N[gate + k]", gates)
                .addStatement("double z = $N[gate + $N + k]", gates, hidden)
                .addStatement("double n = $N[gate + 2 * $N + k]", gates, hidden)
                .add(gradientAtEveryStep
                        ? "// δh_t = (∂L/∂h_t from above) + what $L passed back\n"
                        : "// δh_t = what $L passed back, plus the output's gradient at the last step\n",
                        "step " + laterStep())
                .addStatement("double dh = $L", totalStateGradient())
                .add("// through h_t = (1 − z) ⊙ n + z ⊙ h_prev, then each gate's non-linearity   (equations.md (5.6)–(5.8))\n")
                .addStatement("double dn = dh * (1 - z) * (1 - n * n)")
                .addStatement("double dz = dh * ($N[previous + k] - n) * z * (1 - z)", layer.states())
                .addStatement("double dr = dn * $N[product + k] * r * (1 - r)", direction.hiddenProducts())
                .add("// input side: W_ih and b see δa = [δr ; δz ; δn]\n")
                .addStatement("$N[gate + k] = dr", deltas)
                .addStatement("$N[gate + $N + k] = dz", deltas, hidden)
                .addStatement("$N[gate + 2 * $N + k] = dn", deltas, hidden)
                .add("// hidden side: W_hh and b_hn see [δr ; δz ; r ⊙ δn], since r gates W_hn h_prev + b_hn   (equations.md (5.10))\n")
                .addStatement("$N[gate + k] = dr", hiddenDeltas)
                .addStatement("$N[gate + $N + k] = dz", hiddenDeltas, hidden)
                .addStatement("$N[gate + 2 * $N + k] = r * dn", hiddenDeltas, hidden)
                .add("// the direct path: $L reaches h_t with weight z   (equations.md (5.9))\n", previousState())
                .addStatement("$N[k] = dh * z", dhNext)
                .endControlFlow()
                .add("// + W_hhᵀ δa^h_t: the rest of what $L receives\n", previousState())
                .add(addTransposedRecurrentProduct("gate", layer.gateRowsConstant()))
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
