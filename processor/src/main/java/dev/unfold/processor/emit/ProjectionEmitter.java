package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.BATCH_KERNELS;

import com.palantir.javapoet.CodeBlock;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.ProjectionPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.Arrays;

/**
 * The matrix phases of a projecting LSTM (PyTorch's {@code proj_size}, equations.md (4.9)–(4.12)),
 * which stand around the cell's element-wise equations as W_hh's product does: after the forward
 * equations have left m_t = o_t ⊙ tanh(c_t), h_t = W_hr m_t; before the BPTT equations, δh_t and
 * δm_t = W_hrᵀ δh_t, which the equations read in place of δh_t; after BPTT, ∂L/∂W_hr = Σ_t δh_t m_tᵀ.
 * Each for one sequence and for a batch, the lanes innermost. The offsets {@code state} (h_t in the
 * layer's states) and {@code cell} (row t of c_t, and of m_t) must be bound.
 */
final class ProjectionEmitter {
    private final LayerPlan layer;
    private final DirectionPlan direction;
    private final ProjectionPlan projection;
    private final Scalar scalar;
    /** The constants of P and H. */
    private final String size;
    private final String hidden;

    ProjectionEmitter(LayerPlan layer, DirectionPlan direction, Scalar scalar) {
        this.layer = layer;
        this.direction = direction;
        this.projection = direction.projection();
        this.scalar = scalar;
        this.size = layer.stateConstant();
        this.hidden = layer.hiddenConstant();
    }

    /** h_t = W_hr m_t for one sequence, into this direction's part of row t of the layer's states. */
    CodeBlock project() {
        return CodeBlock.builder()
                .add("// h_t = W_hr m_t: the $N values the step outputs   (equations.md (4.10))\n", size)
                .beginControlFlow("for (int p = 0; p < $N; p++)", size)
                .addStatement("$T sum = $L", scalar.type(), scalar.zero())
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("sum += $N[p * $N + k] * $N[$N + k]", projection.weight().valueField(), hidden,
                        projection.steps(), ElementwiseLayout.CELL)
                .endControlFlow()
                .addStatement("$N[$N + p] = sum", layer.states(), ElementwiseLayout.STATE)
                .endControlFlow()
                .build();
    }

    /**
     * For one sequence, before the BPTT equations of step t: δh_t, kept in row t for ∂L/∂W_hr,
     * and δm_t = W_hrᵀ δh_t. ∂L/∂h_t from above is read only when it comes at every step.
     */
    CodeBlock stateGradient(boolean gradientFromAbove) {
        String dh = projection.stateGradients();
        CodeBlock.Builder code = CodeBlock.builder()
                .add(gradientFromAbove
                        ? "// δh_t = (∂L/∂h_t from above) + what the later step passed back, kept for ∂L/∂W_hr\n"
                        : "// δh_t = what the later step passed back (and the output's gradient at the last step),"
                                + " kept for ∂L/∂W_hr\n")
                .beginControlFlow("for (int p = 0; p < $N; p++)", size);
        if (gradientFromAbove) {
            code.addStatement("$N[t * $N + p] = $N[$N + p] + $N[p]", dh, size, layer.statesGradient(),
                    ElementwiseLayout.STATE, direction.dhNext());
        } else {
            code.addStatement("$N[t * $N + p] = $N[p]", dh, size, direction.dhNext());
        }
        return code.endControlFlow()
                .add("// δm_t = W_hrᵀ δh_t: what m_t = o ⊙ tanh(c_t) receives   (equations.md (4.11))\n")
                .addStatement("$T.fill($N, $L)", Arrays.class, projection.gradient(), scalar.zero())
                .beginControlFlow("for (int p = 0; p < $N; p++)", size)
                .addStatement("$T delta = $N[t * $N + p]", scalar.type(), dh, size)
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("$N[k] += $N[p * $N + k] * delta", projection.gradient(), projection.weight().valueField(),
                        hidden)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** For one sequence, inside recurrentGradients' loop over t: ∂L/∂W_hr += δh_t m_tᵀ. */
    CodeBlock weightGradient() {
        return CodeBlock.builder()
                .add("// ∂L/∂W_hr += δh_t m_tᵀ   (equations.md (4.12))\n")
                .beginControlFlow("for (int p = 0; p < $N; p++)", size)
                .addStatement("$T delta = $N[t * $N + p]", scalar.type(), projection.stateGradients(), size)
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("$N[p * $N + k] += delta * $N[t * $N + k]", projection.weight().gradientField(), hidden,
                        projection.steps(), hidden)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** What {@link #weightGradient} sums, for the javadoc of recurrentGradients. */
    static String weightGradientInWords() {
        return ", and ∂L/∂W_hr = Σ_t δh_t m_tᵀ   (equations.md (4.12))";
    }

    /** h_t = W_hr m_t for every sequence of a batch: one product. */
    CodeBlock projectBatch() {
        String states = layer.batch().states();
        return CodeBlock.builder()
                .add("// h_t = W_hr m_t: the $N values the step outputs, every sequence, one product   (equations.md (4.10))\n",
                        size)
                .beginControlFlow("for (int p = 0; p < $N; p++)", size)
                .addStatement("$T.fill($N[$N + p], 0, lanes, $L)", Arrays.class, states, ElementwiseLayout.STATE,
                        scalar.zero())
                .endControlFlow()
                .addStatement("$T.addProduct($N, $N, $N, $N, $N, $N, $N, lanes)", BATCH_KERNELS,
                        projection.weight().valueField(), size, hidden, projection.batchSteps(), ElementwiseLayout.CELL,
                        states, ElementwiseLayout.STATE)
                .build();
    }

    /** For a batch, before the BPTT equations of step t: δh_t of every lane, kept, and δm_t = W_hrᵀ δh_t. */
    CodeBlock batchStateGradient() {
        return CodeBlock.builder()
                .add("// δh_t = (∂L/∂h_t from above) + what the later step passed back, kept for ∂L/∂W_hr\n")
                .beginControlFlow("for (int p = 0; p < $N; p++)", size)
                .addStatement("$T dh = $N[t * $N + p]", scalar.array(1), projection.batchStateGradients(), size)
                .addStatement("$T above = $N[$N + p]", scalar.array(1), layer.batch().statesGradient(),
                        ElementwiseLayout.STATE)
                .addStatement("$T dhLater = $N[p]", scalar.array(1), direction.batch().dhNext())
                .beginControlFlow("for (int b = 0; b < lanes; b++)")
                .addStatement("dh[b] = above[b] + dhLater[b]")
                .endControlFlow()
                .endControlFlow()
                .add("// δm_t = W_hrᵀ δh_t: what m_t = o ⊙ tanh(c_t) receives   (equations.md (4.11))\n")
                .beginControlFlow("for (int k = 0; k < $N; k++)", hidden)
                .addStatement("$T.fill($N[k], 0, lanes, $L)", Arrays.class, projection.batchGradient(), scalar.zero())
                .endControlFlow()
                .addStatement("$T.addTransposedProduct($N, $N, $N, $N, t * $N, $N, 0, lanes)", BATCH_KERNELS,
                        projection.weight().valueField(), size, hidden, projection.batchStateGradients(), size,
                        projection.batchGradient())
                .build();
    }

    /** For a batch, after BPTT: ∂L/∂W_hr = Σ_t Σ_b δh_t m_tᵀ, every step and lane in one pass. */
    CodeBlock batchWeightGradient() {
        return CodeBlock.builder()
                .add("// ∂L/∂W_hr = Σ_t Σ_b δh_t m_tᵀ: every step and sequence in one product   (equations.md (4.12))\n")
                .addStatement("$T.addOuterProducts($N, $N, $N, $N, $N, $N, steps, $N, $N, $N, lanes)", BATCH_KERNELS,
                        projection.batchStateGradients(), size, size, projection.batchSteps(), hidden, hidden, size,
                        hidden, projection.weight().gradientField())
                .build();
    }
}
