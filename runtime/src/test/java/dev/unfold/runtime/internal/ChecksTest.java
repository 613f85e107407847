package dev.unfold.runtime.internal;

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
        assertEquals("xs", assertThrows(NullPointerException.class, () -> Checks.sequence((double[][]) null, 1)).getMessage());
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

    @Test
    void statesNameTheArgumentAndMustBeFiniteWhenRead() {
        Checks.state("into", new double[5], 1, 4);
        Checks.finiteState("from", new double[] {Double.NaN, 0, 0}, 1, 2);   // only the state's own values are read
        assertEquals("into has 5 values, too few for a state of 4 values (the network's state size) from offset 2",
                assertThrows(IllegalArgumentException.class, () -> Checks.state("into", new double[5], 2, 4))
                        .getMessage());
        assertEquals("offset is -1, expected 0 or more",
                assertThrows(IllegalArgumentException.class, () -> Checks.state("into", new double[5], -1, 4))
                        .getMessage());
        assertEquals("from[3] is -Infinity: a state must be finite", assertThrows(IllegalArgumentException.class,
                () -> Checks.finiteState("from", new double[] {0, 0, 0, Double.NEGATIVE_INFINITY}, 1, 3)).getMessage());
        assertEquals("gradient", assertThrows(NullPointerException.class,
                () -> Checks.finiteState("gradient", null, 0, 1)).getMessage());
    }

    @Test
    void indicesNameWhatTheyIndex() {
        assertEquals(1, Checks.index("d", 1, 2, "the decoders"));
        assertEquals("d is 2, expected one of [0, 2) (the decoders)", assertThrows(IllegalArgumentException.class,
                () -> Checks.index("d", 2, 2, "the decoders")).getMessage());
        assertEquals("index is -1, expected none: there are no parameters", assertThrows(IllegalArgumentException.class,
                () -> Checks.index("index", -1, 0, "parameters")).getMessage());
        assertEquals("scale must be finite, got NaN", assertThrows(IllegalArgumentException.class,
                () -> Checks.finite("scale", Double.NaN)).getMessage());
    }

    @Test
    void namedSequencesAndContexts() {
        assertEquals("source[1] is 5, outside the vocabulary [0, 5) of the network's input size",
                assertThrows(IllegalArgumentException.class, () -> Checks.tokens("source", new int[] {0, 5}, 5))
                        .getMessage());
        assertEquals("source is empty: a sequence needs at least one step", assertThrows(IllegalArgumentException.class,
                () -> Checks.sequence("source", new double[0][], 2)).getMessage());
        assertEquals("contexts[1][0] is NaN: a context must be finite", assertThrows(IllegalArgumentException.class,
                () -> Checks.contexts(new double[][] {{0}, {Double.NaN}}, 1)).getMessage());
        assertEquals("contexts is empty: give one context per sequence of the batches to come",
                assertThrows(IllegalArgumentException.class, () -> Checks.contexts(new double[0][], 1)).getMessage());
    }
}
