package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.ACTIVATIONS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.LstmCell;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import java.util.Arrays;

/**
 * PyTorch's LSTM, gates in its order i, f, g, o stacked in W_ih and W_hh:
 * <pre>
 * i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)      a = W_ih x_t + b + W_hh h_{t−1}
 * c_t = f ⊙ c_{t−1} + i ⊙ g
 * h_t = o ⊙ tanh(c_t)
 * </pre>
 * The recurrence leaves the four activations of each step in the gate buffer and c_t in the cell
 * buffer; BPTT reads them back and carries δc through the forget gates.
 */
final class LstmCellEmitter extends CellEmitter {

    LstmCellEmitter(LayerPlan layer, DirectionPlan direction, boolean gradientAtEveryStep, String summaryGradient) {
        super(layer, direction, gradientAtEveryStep, summaryGradient);
    }

    /**
     * Binds {@code gate} (row t of the gates), {@code cell} (c_t) and {@code previousCell} (c_{t∓1}):
     * the same offsets in the batched pass, where they count batch rows.
     */
    static CodeBlock bindRows(LayerPlan layer, DirectionPlan direction) {
        return CodeBlock.builder()
                .addStatement("int gate = t * $N", layer.gateRowsConstant())
                .addStatement("int cell = t * $N", layer.hiddenConstant())
                .addStatement(direction.reverse() ? "int previousCell = cell + $N" : "int previousCell = cell - $N",
                        layer.hiddenConstant())
                .build();
    }

    @Override
    MethodSpec recur() {
        String hidden = layer.hiddenConstant();
        String gates = direction.preactivations();
        String c = direction.state(LstmCell.CELL_STATE).steps();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentColumns())
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(bindRows(layer, direction))
                .add("// a = W_ih x_t + b (already in $N) + W_hh $L, for the four gates at once\n", gates,
                        previousState())
                .add(addRecurrentProductToGates())
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("double i = $T.sigmoid($N[gate + k])", ACTIVATIONS, gates)
                .addStatement("double f = $T.sigmoid($N[gate + $N + k])", ACTIVATIONS, gates, hidden)
                .addStatement("double g = $T.tanh($N[gate + 2 * $N + k])", ACTIVATIONS, gates, hidden)
                .addStatement("double o = $T.sigmoid($N[gate + 3 * $N + k])", ACTIVATIONS, gates, hidden)
                .add("// keep the activations for BPTT\n")
                .addStatement("$N[gate + k] = i", gates)
                .addStatement("$N[gate + $N + k] = f", gates, hidden)
                .addStatement("$N[gate + 2 * $N + k] = g", gates, hidden)
                .addStatement("$N[gate + 3 * $N + k] = o", gates, hidden)
                .add("// c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)\n")
                .addStatement("double value = f * $N[previousCell + k] + i * g", c)
                .addStatement("$N[cell + k] = value", c)
                .addStatement("$N[state + k] = o * $T.tanh(value)", layer.states(), ACTIVATIONS)
                .endControlFlow()
                .endControlFlow()
                .build();
        return method(direction.recur(), "The " + which() + "LSTM recurrence of " + layer.name() + " for "
                        + stepRange() + ", from h = c = 0 (PyTorch's nn.LSTM; equations.md (4.1)–(4.4)).\n")
                .addCode(code)
                .build();
    }

    /** Also f_t, whose products carry δc back (equations.md (4.8)), and what c_t receives along them. */
    @Override
    CodeBlock traceStateGradient() {
        return CodeBlock.builder()
                .add(super.traceStateGradient())
                .add(StateGradientTraceEmitter.forgetGates(layer, direction))
                .add(StateGradientTraceEmitter.cellGradient(layer, direction))
                .build();
    }

    @Override
    MethodSpec backward() {
        String hidden = layer.hiddenConstant();
        String gates = direction.preactivations();
        String deltas = direction.deltas();
        String c = direction.state(LstmCell.CELL_STATE).steps();
        String dcNext = direction.state(LstmCell.CELL_STATE).gradient();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentRows())
                .beginControlFlow(bpttLoop())
                .add(traceStateGradient())
                .add(bindStateIf(gradientAtEveryStep)) // the step's output gradient is read at state
                .add(bindRows(layer, direction))
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("double i = $N[gate + k]", gates)
                .addStatement("double f = $N[gate + $N + k]", gates, hidden)
                .addStatement("double g = $N[gate + 2 * $N + k]", gates, hidden)
                .addStatement("double o = $N[gate + 3 * $N + k]", gates, hidden)
                .addStatement("double tanhC = $T.tanh($N[cell + k])", ACTIVATIONS, c)
                .add(gradientAtEveryStep
                        ? "// δh_t = (∂L/∂h_t from above) + W_hhᵀ δa_$L   (equations.md (4.5))\n"
                        : "// δh_t = W_hhᵀ δa_$L, plus the output's gradient at the last step\n",
                        "{" + laterStep() + "}")
                .addStatement("double dh = $L", totalStateGradient())
                .add("// δc_t = δh_t ⊙ o ⊙ (1 − tanh² c_t) + f_$L ⊙ δc_$L   (equations.md (4.6))\n", "{" + laterStep() + "}",
                        "{" + laterStep() + "}")
                .addStatement("double dc = dh * o * (1 - tanhC * tanhC) + $N[k]", dcNext)
                .add("// δa = δ(gate) ⊙ gate': σ' = σ(1 − σ), tanh' = 1 − tanh²   (equations.md (4.7))\n")
                .addStatement("$N[gate + k] = dc * g * i * (1 - i)", deltas)
                .addStatement("$N[gate + $N + k] = dc * $N[previousCell + k] * f * (1 - f)", deltas, hidden, c)
                .addStatement("$N[gate + 2 * $N + k] = dc * i * (1 - g * g)", deltas, hidden)
                .addStatement("$N[gate + 3 * $N + k] = dh * tanhC * o * (1 - o)", deltas, hidden)
                .add("// δc_$L = f_t ⊙ δc_t: over many steps, a product of forget gates, ∂c_t/∂c_k = diag(f_t ⊙ … ⊙ f_{k+1})"
                        + "   (equations.md (4.8))\n", direction.reverse() ? "{t+1}" : "{t−1}")
                .addStatement("$N[k] = dc * f", dcNext)
                .endControlFlow()
                .add("// W_hhᵀ δa_t: the gradient $L receives through the recurrence\n", previousState())
                .addStatement("$T.fill($N, 0.0)", Arrays.class, direction.dhNext())
                .add(addTransposedRecurrentProduct("gate", layer.gateRowsConstant()))
                .endControlFlow()
                .build();
        return method(direction.backward(), "Backpropagation through time for " + subject() + " (LSTM), against the recurrence.\n"
                        + "Leaves the gate pre-activations' gradients δa_t in row t of " + deltas + ".\n")
                .addCode(code)
                .build();
    }
}
