package dev.unfold.processor.plan;

import dev.unfold.Recurrence;
import dev.unfold.processor.cell.CellKind;
import dev.unfold.processor.declaration.LayerMethod;
import dev.unfold.processor.declaration.NetworkDeclaration;

/**
 * How many trainable scalars a network has: the one count the validator bounds and the generated
 * {@code PARAMETER_COUNT} states (the planner checks it against the tensors it plans). In
 * {@code long}, so that sizes whose products overflow an {@code int} are counted, not wrapped.
 */
public final class ParameterCount {
    private ParameterCount() {}

    /**
     * One direction of a layer of {@code hidden} units reading {@code input} values: G·H rows of
     * W_ih, of W_hh unless the layer reads only the previous output, of R when it reads a context
     * of {@code context} values, and of W_oh when it reads the previous output of {@code outputs}
     * values; the bias b (G·H; b_ih and b_hh, 2·G·H, with two biases), and the cell's own vectors (a GRU's b_hn): {@link CellKind#parameterCount}.
     */
    public static long ofDirection(CellKind cell, Recurrence recurrence, long input, long hidden, long context,
                                   long outputs, boolean twoBiases) {
        long columns = input
                + (recurrence == Recurrence.OUTPUT ? 0 : cell.outputSize(hidden)) // W_hh reads h_t, P values if projected
                + context
                + (recurrence == Recurrence.HIDDEN ? 0 : outputs);
        return cell.parameterCount(hidden, columns, twoBiases);
    }

    /**
     * The whole network: every layer's directions, then the output projection V (outputs × the top
     * layer's width) and c. Only the first layer reads the context. The declaration's sizes must
     * have been read (no unresolved value) and each tensor must fit in an array, as the validator
     * checks first: then no product here overflows a {@code long}.
     */
    public static long of(NetworkDeclaration network) {
        long outputs = network.output().value();
        long context = network.context().value() == null ? 0 : network.context().value();
        long width = network.input().value();
        long count = 0;
        for (LayerMethod layer : network.layerMethods()) {
            long hidden = layer.recurrent().hidden().value();
            int directions = layer.isBidirectional() ? 2 : 1;
            CellKind cell = layer.recurrent().cellKind();
            count += directions * ofDirection(cell, layer.recurrent().recurrence().value(), width, hidden, context,
                    outputs, layer.recurrent().twoBiases());
            context = 0;
            width = directions * cell.outputSize(hidden);
        }
        return count + outputs * width + outputs;
    }
}
