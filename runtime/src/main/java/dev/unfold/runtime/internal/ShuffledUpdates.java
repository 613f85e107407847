package dev.unfold.runtime.internal;

import dev.unfold.runtime.data.Shuffle;
import java.util.Random;

/**
 * What every kind of shuffled training data shares: {@code count} examples in updates of up to
 * {@code batchSize}, in an order each epoch's seed shuffles (Fisher–Yates over
 * {@link java.util.Random}, whose sequence is specified, so the same seed gives the same order on
 * every JVM). The training data that holds it says what an update does with its examples.
 */
public final class ShuffledUpdates {
    private final int[] order;
    private final int batchSize;

    public ShuffledUpdates(int count, int batchSize) {
        this.order = Shuffle.identity(count);
        this.batchSize = (int) Checks.atLeastOne("batch size", batchSize);
    }

    /** Updates in one epoch. */
    public int updates() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** Puts the examples in the order of the epoch that {@code seed} starts. */
    public void shuffle(long seed) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Shuffle.inPlace(order, new Random(seed));
    }

    /** The largest number of examples in one update. */
    public int batchSize() {
        return batchSize;
    }

    /** The example at position {@code i} of this epoch's order. */
    public int example(int i) {
        return order[i];
    }

    /** The position in the order of update {@code update}'s first example. */
    public int first(int update) {
        if (update < 0 || update >= updates()) {
            throw new IllegalArgumentException("update " + update + " is outside the epoch's " + updates() + " updates");
        }
        return update * batchSize;
    }

    /** One past the position of update {@code update}'s last example. */
    public int end(int update) {
        return Math.min(order.length, first(update) + batchSize);
    }

    /** How many examples a full update has: the batch size, or all of them when there are fewer. */
    public int fullSize() {
        return Math.min(batchSize, order.length);
    }

    /** How many examples the epoch's last update has: a full update's, or the remainder. */
    public int lastSize() {
        int remainder = order.length % fullSize();
        return remainder == 0 ? fullSize() : remainder;
    }

    /** Whether update {@code update} is full, rather than the epoch's smaller last one. */
    public boolean isFull(int update) {
        return end(update) - first(update) == fullSize();
    }

    /** The outputs of an update whose examples have these label sequences: their summed lengths. */
    public int labelCount(int update, int[][] labels) {
        int outputs = 0;
        for (int i = first(update), end = end(update); i < end; i++) {
            outputs += labels[example(i)].length;
        }
        return outputs;
    }
}
