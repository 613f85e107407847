package dev.unfold.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.unfold.processor.cell.Equations;
import dev.unfold.processor.cell.Slot;
import dev.unfold.processor.cell.Statement;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cell's equations over a batch, the lanes innermost: for each unit k every slot's batch row is
 * bound once ({@code double[] candidate = gates[gate + 2 * H + k]}), then one loop over the lanes
 * reads and writes {@code candidate[b]}: unit stride, no allocation, no call but the activations.
 */
final class BatchLayout extends ElementwiseLayout {

    /** The name each row is bound to, by the row: slots in the same row (the simple cell's u_t and h_t) share one. */
    private final Map<String, String> rowNames = new HashMap<>();

    BatchLayout(LayerPlan layer, DirectionPlan direction, Scalar scalar) {
        super(layer, direction, scalar);
    }

    /** Binds each row the equations use once for the unit, then opens the loop over the lanes. */
    @Override
    CodeBlock openUnit(Equations equations) {
        CodeBlock.Builder code = CodeBlock.builder();
        rowNames.clear();
        for (Slot slot : slotsUsed(equations)) {
            CodeBlock row = CodeBlock.of("$N[$L]", buffer(slot.buffer()), offset(slot));
            if (!rowNames.containsKey(row.toString())) {
                rowNames.put(row.toString(), slot.name());
                code.addStatement("$T $N = $L", scalar.array(1), slot.name(), row);
            }
        }
        return code.beginControlFlow("for (int b = 0; b < lanes; b++)").build();
    }

    @Override
    CodeBlock closeUnit() {
        return CodeBlock.builder().endControlFlow().build();
    }

    /** The slots the equations use, in the cell's order: only those, as Eclipse's compiler warns about an unused local. */
    private static List<Slot> slotsUsed(Equations equations) {
        Set<Slot> used = new HashSet<>();
        for (Statement statement : equations.statements()) {
            if (statement instanceof Statement.Let let) {
                used.addAll(let.value().slots());
            } else if (statement instanceof Statement.Store store) {
                used.addAll(store.value().slots());
                used.add(store.target());
            }
        }
        return equations.slots().stream().filter(used::contains).toList();
    }

    @Override
    CodeBlock reference(Slot slot) {
        return CodeBlock.of("$N[b]", rowNames.get(CodeBlock.of("$N[$L]", buffer(slot.buffer()), offset(slot)).toString()));
    }

    @Override
    String buffer(Slot.Buffer buffer) {
        return switch (buffer) {
            case GATES -> direction.batch().preactivations();
            case DELTAS -> direction.batch().deltas();
            case HIDDEN_DELTAS -> direction.batch().hiddenDeltas();
            case HIDDEN, PREVIOUS_HIDDEN, SUMS -> layer.batch().states();
            case HIDDEN_FROM_ABOVE -> layer.batch().statesGradient();
            case HIDDEN_CARRY -> direction.batch().dhNext();
            case CELL, PREVIOUS_CELL -> direction.innerStates().get(0).batchSteps();
            case CELL_CARRY -> direction.innerStates().get(0).batchGradient();
            case HIDDEN_PRODUCTS -> direction.batch().hiddenProducts();
            case PROJECTED -> direction.projection().batchSteps();
            case PROJECTED_GRADIENT -> direction.projection().batchGradient();
        };
    }
}
