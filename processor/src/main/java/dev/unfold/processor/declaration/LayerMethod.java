package dev.unfold.processor.declaration;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Recurrence;

/**
 * A method that declares a layer, or was probably meant to: it carries {@code @Recurrent} or
 * {@code @Bidirectional}, or it is abstract and returns {@code Layer}.
 *
 * @param name the method name, which names the layer
 * @param anchor the method
 * @param recurrent the {@code @Recurrent} values, or null when the annotation is missing
 * @param bidirectional the method with its {@code @Bidirectional} annotation, or null when absent
 * @param parameterCount how many parameters the method declares (a layer takes none)
 * @param isGeneric whether the method declares type parameters
 * @param isAbstract whether the method has no body
 * @param returnsLayer whether the method returns {@code dev.unfold.runtime.Layer}
 * @param returnType the declared return type, for messages
 */
public record LayerMethod(
        String name,
        Anchor anchor,
        Recurrent recurrent,
        Anchor bidirectional,
        int parameterCount,
        boolean isGeneric,
        boolean isAbstract,
        boolean returnsLayer,
        String returnType) {

    public boolean isBidirectional() {
        return bidirectional != null;
    }

    /** The values of one {@code @Recurrent} annotation. */
    public record Recurrent(Located<Integer> hidden, Located<Activation> activation, Located<Cell> cell,
                            Located<Recurrence> recurrence) {}
}
