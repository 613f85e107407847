package dev.unfold.runtime;

/**
 * A network with a layer that declares dropout ({@code @Recurrent(dropout = p)} or
 * {@code recurrentDropout = p}): the generated class implements it, and only then. Dropout is
 * used by {@code backward} alone (equations.md (16.1)–(16.4)): {@code forward}, {@code loss} and
 * {@code step} use the weights as they are and are deterministic.
 *
 * <p>A mask is a pure function of (seed, draw, sequence, layer, direction, step, unit), so there is
 * no random state to save: a {@link dev.unfold.runtime.train.Trainer} calls {@link #drawMasks} with
 * its seed and its step before each update, and a run resumed from a checkpoint draws the same
 * masks as one that never stopped. Each {@code backward} since the last {@code drawMasks} takes the
 * next sequence numbers (a batch of B takes B, lane b the b-th), so a batch draws the masks its
 * sequences would draw one by one in order, and two calls never share masks.
 */
public interface Dropout extends SequenceModel {

    /**
     * Draws the masks of the following {@code backward} calls from {@code seed} and {@code draw},
     * starting again at sequence 0. Calling it before each {@code backward} holds the masks fixed,
     * as gradient checks need. A new network draws from seed 0, draw 0.
     */
    void drawMasks(long seed, long draw);
}
