package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Adagrad's first updates against values worked out by hand, and its option checks. Gradients are
 * chosen so that the sums are perfect squares; ε is kept in the expected values because ε = 1e-10
 * moves them by about 1e-12, more than the tolerance.
 */
class AdagradTest {
    private static final double TOLERANCE = 1e-14;
    private static final double EPSILON = 1e-10;

    @Test
    void eachEntryIsScaledByTheRootOfItsSumOfSquaredGradients() {
        Adagrad adagrad = new Adagrad(Weights.of(1, -2), 0.1);
        // s = [9, 16], √s = [3, 4];  θ = [1 − 0.1·3/(3 + ε), −2 + 0.1·4/(4 + ε)] ≈ [0.9, −1.9]
        double[] first = {1 - 0.1 * 3 / (3 + EPSILON), -2 + 0.1 * 4 / (4 + EPSILON)};
        assertArrayEquals(first, Weights.step(adagrad, 3, -4), TOLERANCE);
        // s = [9 + 16, 16 + 9] = [25, 25], √s = 5;  θ ≈ [0.9 − 0.08, −1.9 − 0.06] = [0.82, −1.96]
        double[] second = {first[0] - 0.1 * 4 / (5 + EPSILON), first[1] - 0.1 * 3 / (5 + EPSILON)};
        assertArrayEquals(second, Weights.step(adagrad, 4, 3), TOLERANCE);
        assertArrayEquals(new double[] {25, 25}, adagrad.state().get("sum/w"), 0);
    }

    @Test
    void rateDecaysWithTheStepAndSumsStartAtTheInitialAccumulatorValue() {
        Adagrad adagrad = new Adagrad(Weights.of(1, -2), 0.1,
                Adagrad.Options.DEFAULTS.withLearningRateDecay(1).withInitialAccumulatorValue(7));
        // step 1: η1 = 0.1/(1 + 0·1) = 0.1;  s = [7 + 9, 7 + 0] = [16, 7];  θ ≈ [1 − 0.1·3/4, −2] = [0.925, −2]
        double[] first = {1 - 0.1 * 3 / (4 + EPSILON), -2};
        assertArrayEquals(first, Weights.step(adagrad, 3, 0), TOLERANCE);
        // step 2: η2 = 0.1/(1 + 1·1) = 0.05;  s = [16 + 9, 7 + 9] = [25, 16]
        // θ ≈ [0.925 + 0.05·3/5, −2 − 0.05·3/4] = [0.955, −2.0375]
        double[] second = {first[0] + 0.05 * 3 / (5 + EPSILON), -2 - 0.05 * 3 / (4 + EPSILON)};
        assertArrayEquals(second, Weights.step(adagrad, -3, 3), TOLERANCE);
    }

    @Test
    void weightDecayAddsToTheGradientBeforeItIsSquared() {
        Adagrad adagrad = new Adagrad(Weights.of(2, -2), 0.1, Adagrad.Options.DEFAULTS.withWeightDecay(0.5));
        // g = [2 + 0.5·2, −3 + 0.5·(−2)] = [3, −4];  s = [9, 16];  θ ≈ [2 − 0.1, −2 + 0.1]
        assertArrayEquals(new double[] {2 - 0.1 * 3 / (3 + EPSILON), -2 + 0.1 * 4 / (4 + EPSILON)},
                Weights.step(adagrad, 2, -3), TOLERANCE);
    }

    @Test
    void optionsAreCheckedWithTheirRangeAndValue() {
        assertEquals("learning rate decay must be non-negative and finite, got -0.1", assertThrows(
                IllegalArgumentException.class, () -> Adagrad.Options.DEFAULTS.withLearningRateDecay(-0.1)).getMessage());
        assertEquals("initial accumulator value must be non-negative and finite, got -1.0", assertThrows(
                IllegalArgumentException.class, () -> Adagrad.Options.DEFAULTS.withInitialAccumulatorValue(-1))
                .getMessage());
        assertEquals("epsilon must be positive and finite, got 0.0", assertThrows(
                IllegalArgumentException.class, () -> Adagrad.Options.DEFAULTS.withEpsilon(0)).getMessage());
        assertEquals("weight decay must be non-negative and finite, got Infinity", assertThrows(
                IllegalArgumentException.class, () -> Adagrad.Options.DEFAULTS.withWeightDecay(Double.POSITIVE_INFINITY))
                .getMessage());
        assertEquals("learning rate must be positive and finite, got -0.01", assertThrows(
                IllegalArgumentException.class, () -> new Adagrad(Weights.of(1), -0.01)).getMessage());
    }

    @Test
    void defaultsArePyTorchs() {
        assertEquals(new Adagrad.Options(0, 0, 0, 1e-10), Adagrad.Options.DEFAULTS);
    }
}
