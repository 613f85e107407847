package dev.unfold.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.Arrays;

/**
 * PyTorch's LSTM, gates in its order i, f, g, o stacked in W_ih and W_hh:
 * <pre>
 * i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)      a = W_ih x_t + b + W_hh h_{t−1}
 * c_t = f ⊙ c_{t−1} + i ⊙ g
 * h_t = o ⊙ tanh(c_t)
 * </pre>
 * The recurrence leaves the four activations of each step in the gate buffer and c_t in the cell
 * buffer; BPTT reads them back and carries δc through the forget gates. A projecting LSTM's h_t is
 * W_hr (o ⊙ tanh(c_t)), whose matrix phases {@link ProjectionEmitter} writes around the equations.
 */
final class LstmCellEmitter extends CellEmitter {

    LstmCellEmitter(LayerPlan layer, DirectionPlan direction, Scalar scalar, boolean gradientAtEveryStep,
                    String summaryGradient, boolean traced) {
        super(layer, direction, scalar, gradientAtEveryStep, summaryGradient, traced);
    }

    @Override
    MethodSpec recur() {
        String gates = direction.preactivations();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentColumns())
                .beginControlFlow(recurrenceLoop())
                .add(bindStates())
                .add(bindRows())
                .add("// a = W_ih x_t + b (already in $N) + W_hh $L, for the four gates at once\n", gates,
                        previousState())
                .add(addRecurrentProductToGates())
                .add(forwardEquations())
                .add(layer.projects() ? projection().project() : CodeBlock.of(""))
                .endControlFlow()
                .build();
        return method(direction.recur(), "The " + which() + "LSTM recurrence of " + layer.name() + " for "
                        + stepRange() + ", from h = c = 0 (PyTorch's nn.LSTM; equations.md (4.1)–(4.4)).\n")
                .addCode(code)
                .build();
    }

    @Override
    MethodSpec backward() {
        String deltas = direction.deltas();
        CodeBlock code = CodeBlock.builder()
                .add(copyRecurrentRows())
                .beginControlFlow(bpttLoop())
                .add(traceStateGradient())
                .add(bindStateIf(gradientAtEveryStep)) // the step's output gradient is read at state
                .add(bindRows())
                .add(layer.projects() ? projection().stateGradient(gradientAtEveryStep) : CodeBlock.of(""))
                .add(backwardEquations())
                .add("// W_hhᵀ δa_t: the gradient $L receives through the recurrence\n", previousState())
                .addStatement("$T.fill($N, $L)", Arrays.class, direction.dhNext(), scalar.zero())
                .add(addTransposedRecurrentProduct(ElementwiseLayout.GATE, layer.gateRowsConstant()))
                .endControlFlow()
                .build();
        return method(direction.backward(), "Backpropagation through time for " + subject() + " (LSTM), against the recurrence.\n"
                        + "Leaves the gate pre-activations' gradients δa_t in row t of " + deltas
                        + (layer.projects() ? ", and δh_t in row t of " + direction.projection().stateGradients() : "")
                        + ".\n")
                .addCode(code)
                .build();
    }

    private ProjectionEmitter projection() {
        return new ProjectionEmitter(layer, direction, scalar);
    }

    @Override
    CodeBlock cellParameterGradients() {
        return layer.projects() ? projection().weightGradient() : CodeBlock.of("");
    }

    @Override
    String cellParameterGradientsInWords() {
        return layer.projects() ? ProjectionEmitter.weightGradientInWords() : "";
    }
}
