package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RMSprop's first updates against values worked out by hand, with α = 0.5 so that the averages are
 * easy to follow, and its option checks. ε = 1e-8 is kept in the expected values.
 */
class RmsPropTest {
    private static final double TOLERANCE = 1e-14;
    private static final double EPSILON = 1e-8;
    private static final RmsProp.Options HALF = RmsProp.Options.DEFAULTS.withAlpha(0.5);

    @Test
    void stepIsDividedByTheRunningRootMeanSquare() {
        RmsProp rmsProp = new RmsProp(Weights.of(1, -2), 0.1, HALF);
        // v = 0.5·0 + 0.5·[4, 16] = [2, 8], √v = [√2, 2√2];  θ = [1 − 0.1·2/√2, −2 + 0.1·4/(2√2)] = [1 − 0.1√2, −2 + 0.1√2]
        double[] first = {1 - 0.1 * 2 / (Math.sqrt(2) + EPSILON), -2 + 0.1 * 4 / (2 * Math.sqrt(2) + EPSILON)};
        assertArrayEquals(first, Weights.step(rmsProp, 2, -4), TOLERANCE);
        // v = 0.5·[2, 8] + 0.5·[4, 0] = [3, 4];  θ = [θ1 − 0.1·2/√3, θ1 − 0]
        double[] second = {first[0] - 0.1 * 2 / (Math.sqrt(3) + EPSILON), first[1]};
        assertArrayEquals(second, Weights.step(rmsProp, 2, 0), TOLERANCE);
        assertArrayEquals(new double[] {3, 4}, rmsProp.state().get("square_avg/w"), 0);
    }

    @Test
    void centeredDividesByTheStandardDeviation() {
        RmsProp rmsProp = new RmsProp(Weights.of(1, -2), 0.1, HALF.withCentering());
        // v = [2, 8], a = 0.5·[2, −4] = [1, −2];  v − a² = [1, 4];  θ = [1 − 0.1·2/1, −2 + 0.1·4/2] = [0.8, −1.8]
        double[] first = {1 - 0.1 * 2 / (1 + EPSILON), -2 + 0.1 * 4 / (2 + EPSILON)};
        assertArrayEquals(first, Weights.step(rmsProp, 2, -4), TOLERANCE);
        // v = [3, 4], a = 0.5·[1, −2] + 0.5·[2, 0] = [1.5, −1];  v − a² = [0.75, 3];  θ = [0.8 − 0.1·2/√0.75, −1.8]
        double[] second = {first[0] - 0.1 * 2 / (Math.sqrt(0.75) + EPSILON), first[1]};
        assertArrayEquals(second, Weights.step(rmsProp, 2, 0), TOLERANCE);
        assertArrayEquals(new double[] {1.5, -1}, rmsProp.state().get("grad_avg/w"), 0);
    }

    @Test
    void momentumAccumulatesTheScaledGradients() {
        RmsProp rmsProp = new RmsProp(Weights.of(1, -2), 0.1, HALF.withMomentum(0.5));
        // r = √[2, 8] + ε;  b = g/r = [2/√2, −4/(2√2)] = [√2, −√2];  θ = [1 − 0.1√2, −2 + 0.1√2]
        double[] b = {2 / (Math.sqrt(2) + EPSILON), -4 / (2 * Math.sqrt(2) + EPSILON)};
        double[] first = {1 - 0.1 * b[0], -2 - 0.1 * b[1]};
        assertArrayEquals(first, Weights.step(rmsProp, 2, -4), TOLERANCE);
        // r = √[3, 4] + ε;  b = 0.5·[√2, −√2] + [2/√3, 0];  θ = θ1 − 0.1 b
        b = new double[] {0.5 * b[0] + 2 / (Math.sqrt(3) + EPSILON), 0.5 * b[1]};
        double[] second = {first[0] - 0.1 * b[0], first[1] - 0.1 * b[1]};
        assertArrayEquals(second, Weights.step(rmsProp, 2, 0), TOLERANCE);
        assertArrayEquals(b, rmsProp.state().get("momentum/w"), TOLERANCE);
    }

    @Test
    void stateHoldsOnlyTheArraysTheOptionsUse() {
        assertEquals(List.of("square_avg/w"), List.copyOf(new RmsProp(Weights.of(1), 0.1).state().keySet()));
        assertEquals(List.of("square_avg/w", "momentum/w", "grad_avg/w"), List.copyOf(
                new RmsProp(Weights.of(1), 0.1, HALF.withMomentum(0.9).withCentering()).state().keySet()));
    }

    @Test
    void optionsAreCheckedWithTheirRangeAndValue() {
        assertEquals("alpha must be in [0, 1), got 1.0", assertThrows(
                IllegalArgumentException.class, () -> RmsProp.Options.DEFAULTS.withAlpha(1)).getMessage());
        assertEquals("momentum must be in [0, 1), got -0.1", assertThrows(
                IllegalArgumentException.class, () -> RmsProp.Options.DEFAULTS.withMomentum(-0.1)).getMessage());
        assertEquals("epsilon must be positive and finite, got -1.0E-8", assertThrows(
                IllegalArgumentException.class, () -> RmsProp.Options.DEFAULTS.withEpsilon(-1e-8)).getMessage());
        assertEquals("weight decay must be non-negative and finite, got -0.01", assertThrows(
                IllegalArgumentException.class, () -> RmsProp.Options.DEFAULTS.withWeightDecay(-0.01)).getMessage());
    }

    @Test
    void defaultsArePyTorchs() {
        assertEquals(new RmsProp.Options(0.99, 1e-8, 0, 0, false), RmsProp.Options.DEFAULTS);
    }
}
