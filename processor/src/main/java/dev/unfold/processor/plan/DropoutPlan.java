package dev.unfold.processor.plan;

import java.util.List;

/**
 * A layer's dropout in training (equations.md (16.1)–(16.4)): its rates and the generated names of
 * its masks and the dropped copies the training pass reads. Only {@code backward} drops; the other
 * passes read the undropped buffers. Null in a {@link LayerPlan} that declares no dropout, which
 * then generates exactly what it did before dropout existed.
 *
 * <p>Masks are keyed by site (see {@link #inputSite} and {@link #recurrentSite}): each layer's input
 * has one, shared by both directions as PyTorch drops a bidirectional layer's input once, and each
 * direction's recurrent state one.
 *
 * @param inputRate p of {@code dropout}, 0 for none
 * @param inputRateConstant the constant holding it; null when 0
 * @param recurrentRate p of {@code recurrentDropout}, 0 for none
 * @param recurrentRateConstant the constant holding it; null when 0
 * @param inputMask one sequence's input mask, a row of the input's width per step; null without input dropout
 * @param droppedInput x_t ⊙ m_t of one step, for the first layer (a layer above uses its {@code input}); null without
 * @param recurrentMasks each direction's recurrent mask (a state's size); empty without recurrent dropout
 * @param droppedStates each direction's h_{t−1} ⊙ r at one step; empty without recurrent dropout
 * @param batchInputMask a batch's input masks as batch rows, for a layer above the first; null otherwise
 * @param batchDroppedInputs a batch's dropped inputs as batch rows, for a layer above the first; null otherwise
 * @param batchTokenKeep the first layer's mask at each lane's token, a batch row per step; null otherwise
 * @param batchDroppedStates a batch's h_{t∓1} ⊙ r, rows as in the layer's batch states; null without recurrent dropout
 * @param batchRecurrentMasks each direction's recurrent mask of every lane; empty without recurrent dropout
 * @param batchDroppedGradients each direction's W_hhᵀ δ of one step before the mask; empty without recurrent dropout
 */
public record DropoutPlan(
        double inputRate,
        String inputRateConstant,
        double recurrentRate,
        String recurrentRateConstant,
        String inputMask,
        String droppedInput,
        List<String> recurrentMasks,
        List<String> droppedStates,
        String batchInputMask,
        String batchDroppedInputs,
        String batchTokenKeep,
        String batchDroppedStates,
        List<String> batchRecurrentMasks,
        List<String> batchDroppedGradients) {

    public boolean dropsInput() {
        return inputRate > 0;
    }

    public boolean dropsRecurrent() {
        return recurrentRate > 0;
    }

    /** The site of layer {@code layer}'s input mask. */
    public static int inputSite(int layer) {
        return 3 * layer;
    }

    /** The site of the recurrent mask of layer {@code layer}'s direction (0 forward, 1 reverse). */
    public static int recurrentSite(int layer, int direction) {
        return 3 * layer + 1 + direction;
    }
}
