package dev.unfold.runtime.data;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Shuffles an order of example indices in place, as a training loop does before every epoch.
 *
 * <p>The algorithm is fixed so that a seed always gives the same orders: Fisher–Yates in
 * Durstenfeld's form, for i = n − 1 down to 1 swap {@code order[i]} with {@code order[j]}, j drawn by
 * {@code random.nextInt(i + 1)}. With a {@link java.util.Random}, whose sequence its specification
 * fixes, the orders are the same on every JVM.
 */
public final class Shuffle {
    private Shuffle() {}

    /** Permutes {@code order} uniformly at random. Allocates nothing. */
    public static void inPlace(int[] order, RandomGenerator random) {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(random, "random");
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /** 0, 1, ..., n − 1: the order before the first shuffle. */
    public static int[] identity(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("the number of examples must not be negative, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
