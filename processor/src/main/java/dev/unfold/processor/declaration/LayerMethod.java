package dev.unfold.processor.declaration;

import dev.unfold.Activation;
import dev.unfold.Biases;
import dev.unfold.Cell;
import dev.unfold.Recurrence;
import dev.unfold.processor.cell.CellKind;
import java.util.List;

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
 * @param returnsLayer whether the method returns the runtime's {@link RuntimeTypes#LAYER Layer}
 * @param returnType the declared return type, for messages
 * @param namesakes the inherited methods (of SequenceModel, Object or another superinterface) with
 *     the same name and no parameters, which a layer accessor of this name would override
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
        String returnType,
        List<Namesake> namesakes) {

    public boolean isBidirectional() {
        return bidirectional != null;
    }

    /**
     * An inherited method with a layer's name and no parameters.
     *
     * @param signature the method as {@code java.lang.Object.toString()}
     * @param returnType its return type, as written
     * @param isFinal whether it is final, so that nothing can override it
     * @param ofSequenceModel whether SequenceModel declares or inherits it (Object's methods aside):
     *     the generated class implements it with SequenceModel's meaning, so it cannot also be a layer
     * @param acceptsLayer whether a method returning Layer can override it (its return type is a
     *     supertype of Layer)
     */
    public record Namesake(String signature, String returnType, boolean isFinal, boolean ofSequenceModel,
                           boolean acceptsLayer) {}

    /** The values of one {@code @Recurrent} annotation. */
    public record Recurrent(Located<Integer> hidden, Located<Activation> activation, Located<Cell> cell,
                            Located<Recurrence> recurrence, Located<Integer> projection, Located<Biases> biases,
                            Located<Double> dropout, Located<Double> recurrentDropout) {

        /**
         * What the declared cell is, a projecting LSTM when {@code projection} asks for one; null
         * while its value is unresolved.
         */
        public CellKind cellKind() {
            return CellKind.of(cell.value(), projectionSize());
        }

        /** Whether the layer trains PyTorch's two biases b_ih and b_hh (false while the value is unresolved). */
        public boolean twoBiases() {
            return biases.value() == Biases.TWO;
        }

        /** P, the declared projection; 0 for none (and while its value is unresolved). */
        public int projectionSize() {
            return projection.value() == null ? 0 : projection.value();
        }

        /**
         * The size of h_t: P when the layer projects, H otherwise. Only for a valid declaration,
         * whose projection is 0 or applies (cell LSTM, 0 &lt; P &lt; H).
         */
        public int stateSize() {
            return projectionSize() > 0 ? projectionSize() : hidden.value();
        }
    }
}
