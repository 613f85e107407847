package dev.unfold.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void theFractionIsHeldOutForValidation() {
        Split split = Split.of(100, 0.2, 1);
        assertEquals(80, split.trainingSize());
        assertEquals(20, split.validationSize());
    }

    @Test
    void theTwoSetsCoverEveryExampleOnce() {
        Split split = Split.of(37, 0.25, 9);
        int[] all = IntStream.concat(Arrays.stream(split.training()), Arrays.stream(split.validation()))
                .sorted().toArray();
        assertArrayEquals(Shuffle.identity(37), all);
    }

    @Test
    void theValidationCountIsRoundedHalvesUp() {
        assertEquals(3, Split.of(10, 0.25, 1).validationSize()); // 2.5
        assertEquals(2, Split.of(10, 0.24, 1).validationSize()); // 2.4
        assertEquals(0, Split.of(10, 0.0, 1).validationSize());
    }

    @Test
    void theSameSeedGivesTheSameSplit() {
        assertArrayEquals(Split.of(50, 0.3, 42).validation(), Split.of(50, 0.3, 42).validation());
        assertArrayEquals(Split.of(50, 0.3, 42).training(), Split.of(50, 0.3, 42).training());
    }

    @Test
    void anotherSeedGivesAnotherSplit() {
        assertFalse(Arrays.equals(Split.of(50, 0.3, 42).validation(), Split.of(50, 0.3, 43).validation()));
    }

    @Test
    void theValidationSetIsTheTailOfTheSeededShuffle() {
        int[] order = Shuffle.identity(20);
        Shuffle.inPlace(order, new Random(8));
        int[] expected = Arrays.copyOfRange(order, 15, 20);
        Arrays.sort(expected);
        assertArrayEquals(expected, Split.of(20, 0.25, 8).validation());
    }

    @Test
    void theSetsAreInIncreasingOrder() {
        Split split = Split.of(40, 0.5, 3);
        int[] training = split.training();
        int[] sorted = training.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, training);
    }

    @Test
    void theArraysAreCopiesToShuffle() {
        Split split = Split.of(10, 0.2, 1);
        int[] training = split.training();
        Shuffle.inPlace(training, new Random(2));
        training[0] = -1;
        assertTrue(Arrays.stream(split.training()).allMatch(i -> i >= 0));
    }

    @Test
    void aFractionOutsideZeroToOneIsAClearError() {
        assertEquals("the validation fraction must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> Split.of(10, 1.0, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Split.of(10, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.of(10, Double.NaN, 1));
    }

    @Test
    void aSplitThatLeavesNothingToTrainOnIsAClearError() {
        assertEquals("a validation fraction of 0.8 holds out all 2 examples, leaving none to train on",
                assertThrows(IllegalArgumentException.class, () -> Split.of(2, 0.8, 1)).getMessage());
    }

    @Test
    void noExamplesIsAClearError() {
        assertEquals("there are 0 examples, expected at least 1 to split",
                assertThrows(IllegalArgumentException.class, () -> Split.of(0, 0.1, 1)).getMessage());
    }
}
