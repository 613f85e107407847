package dev.unfold.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.unfold.processor.cell.Slot;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;

/** A cell's equations for one sequence: each slot is an element of a flat buffer, {@code gates[gate + H + k]}. */
final class SequenceLayout extends ElementwiseLayout {

    SequenceLayout(LayerPlan layer, DirectionPlan direction, Scalar scalar) {
        super(layer, direction, scalar);
    }

    @Override
    CodeBlock reference(Slot slot) {
        return CodeBlock.of("$N[$L]", buffer(slot.buffer()), offset(slot));
    }

    @Override
    String buffer(Slot.Buffer buffer) {
        return switch (buffer) {
            case GATES -> direction.preactivations();
            case DELTAS -> direction.deltas();
            case HIDDEN_DELTAS -> direction.hiddenDeltas();
            case HIDDEN, PREVIOUS_HIDDEN -> layer.states();
            case HIDDEN_FROM_ABOVE -> layer.statesGradient();
            case HIDDEN_CARRY -> direction.dhNext();
            case CELL, PREVIOUS_CELL -> direction.innerStates().get(0).steps();
            case CELL_CARRY -> direction.innerStates().get(0).gradient();
            case HIDDEN_PRODUCTS -> direction.hiddenProducts();
            case PROJECTED -> direction.projection().steps();
            case PROJECTED_GRADIENT -> direction.projection().gradient();
            case SUMS -> direction.sums();
        };
    }

    /** The step's sums are scratch, one row reused by every step. */
    @Override
    String base(Slot.Buffer buffer) {
        return buffer == Slot.Buffer.SUMS ? null : super.base(buffer);
    }
}
