package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void validSequenceGivesItsLength() {
        assertEquals(3, Checks.sequence(new double[3][2], 2));
        assertEquals(4, Checks.tokens(new int[] {0, 1, 2, 1}, 3));
    }

    @Test
    void bufferTooLargeForAnArrayIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checks.bufferLength(100_000_000, 1024));
        assertEquals("a sequence of 100000000 steps needs buffers of 102400002048 values at width 1024,"
                + " more than a Java array holds: split the sequence", e.getMessage());
        assertEquals(12 * 20, Checks.bufferLength(10, 20));
    }

    @Test
    void nullArgumentsNameThemselves() {
        assertEquals("xs", assertThrows(NullPointerException.class, () -> Checks.sequence(null, 1)).getMessage());
        assertEquals("labels", assertThrows(NullPointerException.class, () -> Checks.labels(null, 1, 2)).getMessage());
    }

    @Test
    void rangeChecksNameTheRangeAndTheValue() {
        assertEquals(0.0, Checks.nonNegative("weight decay", 0.0));
        assertEquals(0.0, Checks.fraction("momentum", 0.0));
        assertEquals(1.0, Checks.unitInterval("dampening", 1.0));
        assertEquals(1, Checks.atLeastOne("every", 1));
        assertEquals("weight decay must be non-negative and finite, got -1.0E-300", assertThrows(
                IllegalArgumentException.class, () -> Checks.nonNegative("weight decay", -1e-300)).getMessage());
        assertEquals("beta2 must be in [0, 1), got 1.0", assertThrows(
                IllegalArgumentException.class, () -> Checks.fraction("beta2", 1.0)).getMessage());
        assertEquals("dampening must be in [0, 1], got NaN", assertThrows(
                IllegalArgumentException.class, () -> Checks.unitInterval("dampening", Double.NaN)).getMessage());
        assertEquals("steps must be non-negative, got -2", assertThrows(
                IllegalArgumentException.class, () -> Checks.nonNegative("steps", -2L)).getMessage());
        assertEquals("every must be at least 1, got 0", assertThrows(
                IllegalArgumentException.class, () -> Checks.atLeastOne("every", 0)).getMessage());
    }
}
