package dev.unfold.processor.emit;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.unfold.processor.cell.CellParameter;
import dev.unfold.processor.plan.BiasPair;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.ParameterPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's two biases, for the layers declared with {@code biases = Biases.TWO} (equations.md
 * (18.1)–(18.3)). Everything else in the class reads one bias b (and a GRU's b_hn) and sums their
 * gradients, as for a layer with one bias; here b and b_hn are arrays of the class, summed from the
 * parameters b_ih and b_hh before each projection, and their gradients are split back onto b_ih and
 * b_hh at the end of each layer's gradient sums. Networks without such a layer get nothing from here.
 */
final class BiasPairEmitter implements GeneratedPart {
    private final NetworkPlan network;
    private final Scalar scalar;

    BiasPairEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
    }

    /** The statement a projection or a context bias starts with: b from b_ih and b_hh as they are now. */
    static CodeBlock sumBiases(LayerPlan layer) {
        return !layer.twoBiases() ? CodeBlock.of("")
                : CodeBlock.of("$N();   // b = b_ih + b_hh from the weights as they are now   (equations.md (18.1))\n",
                        layer.methods().sumBiases());
    }

    /** The statement a layer's gradient sums end with: ∂L/∂b onto ∂L/∂b_ih and ∂L/∂b_hh. */
    static CodeBlock splitBiasGradients(LayerPlan layer) {
        return !layer.twoBiases() ? CodeBlock.of("")
                : CodeBlock.of("$N();   // ∂L/∂b_ih and ∂L/∂b_hh from ∂L/∂b   (equations.md (18.3))\n",
                        layer.methods().splitBiasGradients());
    }

    @Override
    public List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        for (LayerPlan layer : network.layers()) {
            for (DirectionPlan direction : layer.directions()) {
                if (direction.biasPair() == null) {
                    continue;
                }
                for (ParameterPlan summed : direction.biasPair().summed()) {
                    fields.add(FieldSpec.builder(scalar.array(1), summed.valueField(), PRIVATE, FINAL)
                            .addJavadoc("$L of $L: [$L], from b_ih and b_hh before each projection (equations.md (18.1), (18.2)).\n",
                                    summed.symbol(), layer.name() + (direction.reverse() ? " (reverse)" : ""),
                                    summed.rowsConstant())
                            .initializer("new $T[$N]", scalar.type(), summed.rowsConstant())
                            .build());
                    fields.add(FieldSpec.builder(scalar.array(1), summed.gradientField(), PRIVATE, FINAL)
                            .addJavadoc("∂L/∂$L while a layer's gradients are summed; split onto b_ih and b_hh, then"
                                    + " cleared.\n", summed.symbol())
                            .initializer("new $T[$N]", scalar.type(), summed.rowsConstant())
                            .build());
                }
            }
        }
        return fields;
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        for (LayerPlan layer : network.layers()) {
            if (layer.twoBiases()) {
                methods.add(sum(layer));
                methods.add(split(layer));
            }
        }
        return methods;
    }

    /**
     * The gate blocks of b_hh, in order, each either merging into b or being the cell bias it names
     * (a GRU's n block: b_hn); runs of merging blocks are one range.
     */
    private record Rows(int firstBlock, int blocks, ParameterPlan cellBias) {}

    private static List<Rows> rows(LayerPlan layer, DirectionPlan direction) {
        List<Rows> rows = new ArrayList<>();
        int merging = 0;
        for (int block = 0; block < layer.cell().gateCount(); block++) {
            ParameterPlan cellBias = null;
            for (CellParameter parameter : layer.cell().ownParameters()) {
                if (layer.cell().hiddenBiasBlock(parameter) == block) {
                    cellBias = direction.cellParameter(parameter);
                }
            }
            if (cellBias == null) {
                merging++;
                continue;
            }
            if (merging > 0) {
                rows.add(new Rows(block - merging, merging, null));
                merging = 0;
            }
            rows.add(new Rows(block, 1, cellBias));
        }
        if (merging > 0) {
            rows.add(new Rows(layer.cell().gateCount() - merging, merging, null));
        }
        return rows;
    }

    /** "0", "LSTM_HIDDEN", "2 * LSTM_HIDDEN": where block {@code block} starts. */
    private static CodeBlock start(LayerPlan layer, int block) {
        return block == 0 ? CodeBlock.of("0") : block == 1 ? CodeBlock.of("$N", layer.hiddenConstant())
                : CodeBlock.of("$L * $N", block, layer.hiddenConstant());
    }

    /** The end of {@code rows}: the gate rows' constant when they reach it. */
    private static CodeBlock end(LayerPlan layer, Rows rows) {
        int end = rows.firstBlock() + rows.blocks();
        return end == layer.cell().gateCount() ? CodeBlock.of("$N", layer.gateRowsConstant()) : start(layer, end);
    }

    private MethodSpec sum(LayerPlan layer) {
        boolean hasCellBias = layer.directions().get(0).biasPair().summed().size() > 1;
        MethodSpec.Builder method = MethodSpec.methodBuilder(layer.methods().sumBiases())
                .addModifiers(PRIVATE)
                .addJavadoc("b = b_ih + b_hh for every direction of $L (equations.md (18.1)), the one bias its projection"
                        + " adds,\nfrom PyTorch's two biases as they are now: training changes them between calls.$L\n",
                        layer.name(), hasCellBias ? "\nWhere r multiplies b_hh's rows inside the recurrence, b takes b_ih's"
                                + " alone and b_hh's go to b_hn\n(equations.md (18.2))." : "");
        for (DirectionPlan direction : layer.directions()) {
            BiasPair pair = direction.biasPair();
            ParameterPlan bias = direction.bias();
            for (Rows rows : rows(layer, direction)) {
                CodeBlock from = start(layer, rows.firstBlock());
                if (rows.cellBias() == null) {
                    method.beginControlFlow("for (int m = $L; m < $L; m++)", from, end(layer, rows))
                            .addStatement("$N[m] = $N[m] + $N[m]", bias.valueField(), pair.input().valueField(),
                                    pair.hidden().valueField())
                            .endControlFlow();
                } else {
                    method.beginControlFlow("for (int k = 0; k < $N; k++)", layer.hiddenConstant())
                            .addStatement("$N[$L + k] = $N[$L + k]", bias.valueField(), from,
                                    pair.input().valueField(), from)
                            .addStatement("$N[k] = $N[$L + k]", rows.cellBias().valueField(), pair.hidden().valueField(),
                                    from)
                            .endControlFlow();
                }
            }
        }
        return method.build();
    }

    private MethodSpec split(LayerPlan layer) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(layer.methods().splitBiasGradients())
                .addModifiers(PRIVATE)
                .addJavadoc("∂L/∂b_ih = ∂L/∂b and ∂L/∂b_hh = ∂L/∂b (b_hh's rows inside the recurrence: ∂L/∂b_hn) for"
                        + " every direction\nof $L (equations.md (18.3)), added to their gradients; the sums of ∂L/∂b"
                        + " are then cleared for the next call.\n", layer.name());
        for (DirectionPlan direction : layer.directions()) {
            BiasPair pair = direction.biasPair();
            ParameterPlan bias = direction.bias();
            method.beginControlFlow("for (int m = 0; m < $N; m++)", layer.gateRowsConstant())
                    .addStatement("$N[m] += $N[m]", pair.input().gradientField(), bias.gradientField())
                    .endControlFlow();
            for (Rows rows : rows(layer, direction)) {
                CodeBlock from = start(layer, rows.firstBlock());
                if (rows.cellBias() == null) {
                    method.beginControlFlow("for (int m = $L; m < $L; m++)", from, end(layer, rows))
                            .addStatement("$N[m] += $N[m]", pair.hidden().gradientField(), bias.gradientField())
                            .endControlFlow();
                } else {
                    method.beginControlFlow("for (int k = 0; k < $N; k++)", layer.hiddenConstant())
                            .addStatement("$N[$L + k] += $N[k]", pair.hidden().gradientField(), from,
                                    rows.cellBias().gradientField())
                            .endControlFlow();
                }
            }
            for (ParameterPlan summed : pair.summed()) {
                method.addStatement("$T.fill($N, 0)", Arrays.class, summed.gradientField());
            }
        }
        return method.build();
    }
}
