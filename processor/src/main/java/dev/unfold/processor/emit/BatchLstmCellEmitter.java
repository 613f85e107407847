package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.ACTIVATIONS;
import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.LstmCell;
import dev.unfold.processor.plan.BatchPlan;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;

/** {@link LstmCellEmitter}'s equations over a batch (see {@link BatchCellEmitter}). */
final class BatchLstmCellEmitter extends BatchCellEmitter {

    /** c_t of every step, as batch rows. */
    private final String cellStates;
    /** During BPTT: what c_{t∓1} receives from a step, as batch rows. */
    private final String dcNext;

    BatchLstmCellEmitter(BatchPlan network, LayerPlan layer, DirectionPlan direction, CodeBlock seed) {
        super(network, layer, direction, seed);
        this.cellStates = direction.state(LstmCell.CELL_STATE).batchSteps();
        this.dcNext = direction.state(LstmCell.CELL_STATE).batchGradient();
    }

    /** Binds the four gate rows of unit k, named as the gates. */
    private CodeBlock bindGateRows(String buffer, String i, String f, String g, String o) {
        String hidden = layer.hiddenConstant();
        return CodeBlock.builder()
                .addStatement("double[] $N = $N[gate + k]", i, buffer)
                .addStatement("double[] $N = $N[gate + $N + k]", f, buffer, hidden)
                .addStatement("double[] $N = $N[gate + 2 * $N + k]", g, buffer, hidden)
                .addStatement("double[] $N = $N[gate + 3 * $N + k]", o, buffer, hidden)
                .build();
    }

    @Override
    MethodSpec recur() {
        String gates = batch.preactivations();
        String hidden = layer.hiddenConstant();
        CodeBlock code = CodeBlock.builder()
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(LstmCellEmitter.bindRows(layer, direction))
                .add("// a = W_ih x_t + b (already in $N) + W_hh $L: four gates, every sequence, one product\n",
                        gates, previousState())
                .add(addRecurrentProduct(gates, "gate"))
                .add("// i, f, o = σ(a), g = tanh(a), a block of rows each; kept for BPTT\n")
                .addStatement("$T.sigmoid($N, gate, 2 * $N, lanes)", BATCH_KERNELS, gates, hidden)
                .addStatement("$T.tanh($N, gate + 2 * $N, $N, lanes)", BATCH_KERNELS, gates, hidden, hidden)
                .addStatement("$T.sigmoid($N, gate + 3 * $N, $N, lanes)", BATCH_KERNELS, gates, hidden, hidden)
                .add("// c_t = f ⊙ c_{t−1} + i ⊙ g\n")
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("double[] i = $N[gate + k]", gates)
                .addStatement("double[] f = $N[gate + $N + k]", gates, hidden)
                .addStatement("double[] g = $N[gate + 2 * $N + k]", gates, hidden)
                .addStatement("double[] previousC = $N[previousCell + k]", cellStates)
                .addStatement("double[] c = $N[cell + k]", cellStates)
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("c[b] = f[b] * previousC[b] + i[b] * g[b]")
                .endControlFlow()
                .endControlFlow()
                .add("// h_t = o ⊙ tanh(c_t)\n")
                .addStatement("$T.tanh($N, cell, $N, state, $N, lanes)", BATCH_KERNELS, cellStates,
                        layerBatch.states(), hidden)
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("double[] o = $N[gate + 3 * $N + k]", gates, hidden)
                .addStatement("double[] h = $N[state + k]", layerBatch.states())
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("h[b] *= o[b]")
                .endControlFlow()
                .endControlFlow()
                .add("// sequences that have ended keep h = c = 0\n")
                .add(clearEnded(layerBatch.states(), "state", hidden))
                .add(clearEnded(cellStates, "cell", hidden))
                .endControlFlow()
                .build();
        return batchMethod(batch.recur(), "The " + which() + "LSTM recurrence of " + layer.name() + " for "
                        + stepRange() + " over a batch, from h = c = 0.\n")
                .addCode(code)
                .build();
    }

    @Override
    MethodSpec backward() {
        String deltas = batch.deltas();
        CodeBlock code = CodeBlock.builder()
                .add("// nothing flows back from beyond the last step\n")
                .add(zeroCarried(batch.dhNext()))
                .add(zeroCarried(dcNext))
                .beginControlFlow(bpttLoop())
                .add(seed)
                .add(bindState())
                .add(LstmCellEmitter.bindRows(layer, direction))
                .beginControlFlow("for (int k = 0; k < $N; k++)", layer.hiddenConstant())
                .add(bindGateRows(batch.preactivations(), "inputGate", "forgetGate", "candidate", "outputGate"))
                .add(bindGateRows(deltas, "dInput", "dForget", "dCandidate", "dOutput"))
                .addStatement("double[] previousC = $N[previousCell + k]", cellStates)
                .addStatement("double[] c = $N[cell + k]", cellStates)
                .addStatement("double[] above = $N[state + k]", layerBatch.statesGradient())
                .addStatement("double[] dhLater = $N[k]", batch.dhNext())
                .addStatement("double[] dcLater = $N[k]", dcNext)
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("double i = inputGate[b]")
                .addStatement("double f = forgetGate[b]")
                .addStatement("double g = candidate[b]")
                .addStatement("double o = outputGate[b]")
                .addStatement("double tanhC = $T.tanh(c[b])", ACTIVATIONS)
                .add("// δh_t = (∂L/∂h_t from above) + W_hhᵀ δa_$L   (equations.md (4.5))\n", "{" + laterStep() + "}")
                .addStatement("double dh = above[b] + dhLater[b]")
                .add("// δc_t = δh_t ⊙ o ⊙ (1 − tanh² c_t) + f_$L ⊙ δc_$L   (equations.md (4.6))\n", "{" + laterStep() + "}",
                        "{" + laterStep() + "}")
                .addStatement("double dc = dh * o * (1 - tanhC * tanhC) + dcLater[b]")
                .add("// δa = δ(gate) ⊙ gate': σ' = σ(1 − σ), tanh' = 1 − tanh²   (equations.md (4.7))\n")
                .addStatement("dInput[b] = dc * g * i * (1 - i)")
                .addStatement("dForget[b] = dc * previousC[b] * f * (1 - f)")
                .addStatement("dCandidate[b] = dc * i * (1 - g * g)")
                .addStatement("dOutput[b] = dh * tanhC * o * (1 - o)")
                .addStatement("dcLater[b] = dc * f")
                .endControlFlow()
                .endControlFlow()
                .add("// a held state passes nothing back\n")
                .add(clearEnded(deltas, "gate", layer.gateRowsConstant()))

                .add("// W_hhᵀ δa_t: the gradient $L receives through the recurrence\n", previousState())
                .add(zeroCarried(batch.dhNext()))
                .add(addTransposedRecurrentProduct("gate"))
                .endControlFlow()
                .build();
        return batchMethod(batch.backward(), "Backpropagation through time for " + subject()
                        + " (LSTM) over a batch, against the recurrence.\n"
                        + "Leaves the gate pre-activations' gradients δa_t in row block t of " + deltas + ".\n")
                .addCode(code)
                .build();
    }
}
