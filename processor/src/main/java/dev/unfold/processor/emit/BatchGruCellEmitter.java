package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.cell.GruCell;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import java.util.Arrays;

/** {@link GruCellEmitter}'s equations over a batch (see {@link BatchCellEmitter}). */
final class BatchGruCellEmitter extends BatchCellEmitter {

    BatchGruCellEmitter(BatchPlan network, LayerPlan layer, DirectionPlan direction, CodeBlock seed) {
        super(network, layer, direction, seed);
    }

    private CodeBlock bindRows() {
        return CodeBlock.builder()
                .addStatement("int gate = t * $N", layer.gateRowsConstant())
                .addStatement("int product = t * $N", layer.hiddenConstant())
                .build();
    }

    private CodeBlock bindGateRows(String buffer, String r, String z, String n) {
        String hidden = layer.hiddenConstant();
        return CodeBlock.builder()
                .addStatement("double[] $N = $N[gate + k]", r, buffer)
                .addStatement("double[] $N = $N[gate + $N + k]", z, buffer, hidden)
                .addStatement("double[] $N = $N[gate + 2 * $N + k]", n, buffer, hidden)
                .build();
    }

    @Override
    MethodSpec recur() {
        String hidden = layer.hiddenConstant();
        String gates = batch.preactivations();
        String hn = batch.hiddenProducts();
        String weightHh = direction.weightHh().valueField();
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(bindRows())
                .add("// r and z: W_ih x_t + b (already in $N) + W_hr $L and W_hz $L\n", gates, previousState(),
                        previousState())
                .addStatement("$T.addProduct($N, 0, 2 * $N, $N, $N, previous, $N, gate, lanes)", BATCH_KERNELS,
                        weightHh, hidden, hidden, layerBatch.states(), gates)
                .add("// n's hidden side W_hn $L + b_hn, kept apart, since r gates it\n", previousState())
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("$T.fill($N[product + k], 0, lanes, $N[k])", Arrays.class, hn,
                        direction.cellParameter(GruCell.HIDDEN_BIAS).valueField())
                .endControlFlow()
                .addStatement("$T.addProduct($N, 2 * $N, $N, $N, $N, previous, $N, product, lanes)", BATCH_KERNELS,
                        weightHh, hidden, hidden, hidden, layerBatch.states(), hn)
                .add("// r, z = σ(a): a block of rows each, kept for BPTT\n")
                .addStatement("$T.sigmoid($N, gate, 2 * $N, lanes)", BATCH_KERNELS, gates, hidden)
                .add("// n = tanh(a_n + r ⊙ (W_hn $L + b_hn))\n", previousState())
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("double[] r = $N[gate + k]", gates)
                .addStatement("double[] n = $N[gate + 2 * $N + k]", gates, hidden)
                .addStatement("double[] hiddenN = $N[product + k]", hn)
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("n[b] += r[b] * hiddenN[b]")
                .endControlFlow()
                .endControlFlow()
                .addStatement("$T.tanh($N, gate + 2 * $N, $N, lanes)", BATCH_KERNELS, gates, hidden, hidden)
                .add("// h_t = (1 − z) ⊙ n + z ⊙ $L\n", previousState())
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("double[] z = $N[gate + $N + k]", gates, hidden)
                .addStatement("double[] n = $N[gate + 2 * $N + k]", gates, hidden)
                .addStatement("double[] previousH = $N[previous + k]", layerBatch.states())
                .addStatement("double[] h = $N[state + k]", layerBatch.states())
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("h[b] = (1 - z[b]) * n[b] + z[b] * previousH[b]")
                .endControlFlow()
                .endControlFlow()
                .add("// sequences that have ended keep a zero state\n")
                .add(clearEnded(layerBatch.states(), "state", hidden))
                .endControlFlow()
                .build();
        return batchMethod(batch.recur(), "The " + which() + "GRU recurrence of " + layer.name() + " for "
                        + stepRange() + " over a batch, from h = 0.\n")
                .addCode(code)
                .build();
    }

    @Override
    MethodSpec backward() {
        CodeBlock code = CodeBlock.builder()
                .add("// nothing flows back from beyond the last step\n")
                .add(zeroCarried(batch.dhNext()))
                .beginControlFlow(bpttLoop())
                .add(seed)
                .add(bindStates())
                .add(bindRows())
                .beginControlFlow("for (int k = 0; k < $N; k++)", layer.hiddenConstant())
                .add(bindGateRows(batch.preactivations(), "reset", "update", "candidate"))
                .add(bindGateRows(batch.deltas(), "dReset", "dUpdate", "dCandidate"))
                .add(bindGateRows(batch.hiddenDeltas(), "hiddenReset", "hiddenUpdate", "hiddenCandidate"))
                .addStatement("double[] hiddenN = $N[product + k]", batch.hiddenProducts())
                .addStatement("double[] previousH = $N[previous + k]", layerBatch.states())
                .addStatement("double[] above = $N[state + k]", layerBatch.statesGradient())
                .addStatement("double[] dhLater = $N[k]", batch.dhNext())
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("double r = reset[b]")
                .addStatement("double z = update[b]")
                .addStatement("double n = candidate[b]")
                .add("// δh_t = (∂L/∂h_t from above) + what step $L passed back\n", laterStep())
                .addStatement("double dh = above[b] + dhLater[b]")
                .add("// through h_t = (1 − z) ⊙ n + z ⊙ h_prev, then each gate's non-linearity   (equations.md (5.6)–(5.8))\n")
                .addStatement("double dn = dh * (1 - z) * (1 - n * n)")
                .addStatement("double dz = dh * (previousH[b] - n) * z * (1 - z)")
                .addStatement("double dr = dn * hiddenN[b] * r * (1 - r)")
                .add("// input side: W_ih and b see δa = [δr ; δz ; δn]\n")
                .addStatement("dReset[b] = dr")
                .addStatement("dUpdate[b] = dz")
                .addStatement("dCandidate[b] = dn")
                .add("// hidden side: W_hh and b_hn see [δr ; δz ; r ⊙ δn], since r gates W_hn h_prev + b_hn   (equations.md (5.10))\n")
                .addStatement("hiddenReset[b] = dr")
                .addStatement("hiddenUpdate[b] = dz")
                .addStatement("hiddenCandidate[b] = r * dn")
                .add("// the direct path: $L reaches h_t with weight z   (equations.md (5.9))\n", previousState())
                .addStatement("dhLater[b] = dh * z")
                .endControlFlow()
                .endControlFlow()
                .add("// a held state passes nothing back\n")
                .add(clearEnded(batch.deltas(), "gate", layer.gateRowsConstant()))
                .add(clearEnded(batch.hiddenDeltas(), "gate", layer.gateRowsConstant()))
                .add("// + W_hhᵀ δa^h_t: the rest of what $L receives\n", previousState())
                .add(addTransposedRecurrentProduct("gate"))
                .endControlFlow()
                .build();
        return batchMethod(batch.backward(), "Backpropagation through time for " + subject()
                        + " (GRU) over a batch, against the recurrence.\n"
                        + "Leaves the input-side gradients in row block t of " + batch.deltas()
                        + " and the hidden-side ones in " + batch.hiddenDeltas() + ".\n")
                .addCode(code)
                .build();
    }

    /** ∂L/∂b_hn: b_hn sits where the hidden side's n block does, so it sums r ⊙ δn (equations.md (5.10)). */
    @Override
    CodeBlock cellParameterGradients() {
        String hidden = layer.hiddenConstant();
        return CodeBlock.builder()
                .add("// ∂L/∂b_hn = Σ_t Σ_b r ⊙ δn_t, the hidden side's n block\n")
                .add(BatchLayerEmitter.sumRows(batch.hiddenDeltas(), hidden, CodeBlock.of("2 * $N + m", hidden),
                        layer.gateRowsConstant(), direction.cellParameter(GruCell.HIDDEN_BIAS).gradientField()))
                .build();
    }
}
