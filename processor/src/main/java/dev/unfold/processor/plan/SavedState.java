package dev.unfold.processor.plan;

import java.util.List;

/**
 * How a saved state lays out the states a network carries (saveState, finalState, what an encoder
 * hands on, a batch's per-sequence states): layer after layer, bottom first, each layer's states in
 * its cell's order, h then c. The generated class names the whole size and where each state
 * starts, so that the code copying them reads {@code offset + STATE_LOWER_C}, not a number.
 *
 * @param sizeConstant the constant holding the values of a whole saved state
 * @param parts every carried state, in the order of the layout
 */
public record SavedState(String sizeConstant, List<Part> parts) {

    /**
     * One carried state's place in the layout.
     *
     * @param layer the index of the layer carrying it
     * @param state where that layer keeps it (its forward direction's: a layer that carries state
     *     has no other)
     * @param offsetConstant the constant holding where it starts; null for the first state, which
     *     starts at 0
     */
    public record Part(int layer, StatePlan state, String offsetConstant) {}

    /** The parts of {@code layer}, in its cell's order. */
    public List<Part> of(LayerPlan layer) {
        return parts.stream().filter(part -> part.layer() == layer.index()).toList();
    }
}
