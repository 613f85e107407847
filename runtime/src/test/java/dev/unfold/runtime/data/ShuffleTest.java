package dev.unfold.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShuffleTest {

    @Test
    void identityCountsFromZero() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, Shuffle.identity(4));
        assertArrayEquals(new int[0], Shuffle.identity(0));
        assertThrows(IllegalArgumentException.class, () -> Shuffle.identity(-1));
    }

    @Test
    void aShuffleIsAPermutation() {
        int[] order = Shuffle.identity(100);
        Shuffle.inPlace(order, new Random(7));
        assertFalse(Arrays.equals(Shuffle.identity(100), order), "100 elements left in place by chance");
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Shuffle.identity(100), sorted);
    }

    @Test
    void theSameSeedGivesTheSameOrder() {
        int[] first = Shuffle.identity(50);
        int[] second = Shuffle.identity(50);
        Shuffle.inPlace(first, new Random(3));
        Shuffle.inPlace(second, new Random(3));
        assertArrayEquals(first, second);
        int[] splittable = Shuffle.identity(50);
        int[] again = Shuffle.identity(50);
        Shuffle.inPlace(splittable, new SplittableRandom(3));
        Shuffle.inPlace(again, new SplittableRandom(3));
        assertArrayEquals(splittable, again);
    }

    @Test
    void theAlgorithmIsDurstenfeldsFisherYates() {
        // Written out: for i = n − 1 down to 1, swap i with random.nextInt(i + 1). Pinning the
        // algorithm pins every order a seed produces, and so every run of a seeded sample.
        Random draws = new Random(11);
        int[] expected = {10, 20, 30, 40, 50};
        for (int i = expected.length - 1; i > 0; i--) {
            int j = draws.nextInt(i + 1);
            int swap = expected[i];
            expected[i] = expected[j];
            expected[j] = swap;
        }
        int[] order = {10, 20, 30, 40, 50};
        Shuffle.inPlace(order, new Random(11));
        assertArrayEquals(expected, order);
    }

    @Test
    void everyPositionIsReachedAboutEquallyOften() {
        // Each of the 3! orders of three elements should come up about 1/6 of the time.
        Random random = new Random(5);
        int[] counts = new int[6];
        int trials = 60_000;
        for (int t = 0; t < trials; t++) {
            int[] order = {0, 1, 2};
            Shuffle.inPlace(order, random);
            counts[order[0] * 2 + (order[1] > order[2] ? 1 : 0)]++;
        }
        for (int count : counts) {
            assertEquals(trials / 6.0, count, trials * 0.01, Arrays.toString(counts));
        }
    }

    @Test
    void emptyAndSingleOrdersStayAsTheyAre() {
        int[] empty = {};
        Shuffle.inPlace(empty, new Random(1));
        int[] single = {4};
        Shuffle.inPlace(single, new Random(1));
        assertArrayEquals(new int[] {4}, single);
    }
}
