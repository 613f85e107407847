package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adam's and AdamW's first updates against values worked out by hand, with β1 = 0.5 and β2 = 0.75
 * so that the moments and bias corrections are easy to follow, and their option checks. ε = 1e-8
 * is kept in the expected values.
 */
class AdamTest {
    private static final double TOLERANCE = 1e-14;
    private static final double EPSILON = 1e-8;

    @Test
    void firstStepIsTheRateTimesTheGradientsSign() {
        Adam adam = new Adam(Weights.of(1, -2), 0.1, Adam.Options.DEFAULTS.withBetas(0.5, 0.75));
        // m = 0.5 g = [1, −2];  v = 0.25 g² = [1, 4];  η/(1 − 0.5) = 0.2;  √v/√(1 − 0.75) = [2, 4]
        // θ = [1 − 0.2·1/(2 + ε), −2 + 0.2·2/(4 + ε)] ≈ [0.9, −1.9]
        double[] first = {1 - 0.2 * 1 / (2 + EPSILON), -2 + 0.2 * 2 / (4 + EPSILON)};
        assertArrayEquals(first, Weights.step(adam, 2, -4), TOLERANCE);
        // m = 0.5·[1, −2] + 0.5·[0, 4] = [0.5, 1];  v = 0.75·[1, 4] + 0.25·[0, 16] = [0.75, 7]
        // step size η/(1 − 0.25) = 0.1/0.75;  √(1 − 0.5625) = √0.4375;  √v/√0.4375 = [√(12/7), √16 = 4]
        double stepSize = 0.1 / 0.75;
        double[] second = {first[0] - stepSize * 0.5 / (Math.sqrt(12.0 / 7) + EPSILON),
                           first[1] - stepSize * 1 / (4 + EPSILON)};
        assertArrayEquals(second, Weights.step(adam, 0, 4), TOLERANCE);
        assertArrayEquals(new double[] {0.5, 1}, adam.state().get("exp_avg/w"), 0);
        assertArrayEquals(new double[] {0.75, 7}, adam.state().get("exp_avg_sq/w"), 0);
        assertEquals(List.of("exp_avg/w", "exp_avg_sq/w"), List.copyOf(adam.state().keySet()));
    }

    @Test
    void adamWeightDecayIsAddedToTheGradient() {
        Adam adam = new Adam(Weights.of(1, -2), 0.1, Adam.Options.DEFAULTS.withBetas(0.5, 0.75).withWeightDecay(0.5));
        // g = [1.5 + 0.5·1, −3 + 0.5·(−2)] = [2, −4]: then as the first step above
        assertArrayEquals(new double[] {1 - 0.2 * 1 / (2 + EPSILON), -2 + 0.2 * 2 / (4 + EPSILON)},
                Weights.step(adam, 1.5, -3), TOLERANCE);
    }

    @Test
    void adamWShrinksTheWeightsByTheRateTimesTheDecayThenTakesAdamsStep() {
        AdamW adamW = new AdamW(Weights.of(1, -2), 0.1, AdamW.Options.DEFAULTS.withBetas(0.5, 0.75).withWeightDecay(0.5));
        // θ ← θ (1 − 0.1·0.5) = [0.95, −1.9], then Adam's first step: θ = [0.95 − 0.2·1/(2 + ε), −1.9 + 0.2·2/(4 + ε)]
        double[] first = {0.95 - 0.2 * 1 / (2 + EPSILON), -1.9 + 0.2 * 2 / (4 + EPSILON)};
        assertArrayEquals(first, Weights.step(adamW, 2, -4), TOLERANCE);
        // θ ← 0.95 θ1, then Adam's second step from the moments above (the gradient, not the decay, fills them)
        double stepSize = 0.1 / 0.75;
        double[] second = {0.95 * first[0] - stepSize * 0.5 / (Math.sqrt(12.0 / 7) + EPSILON),
                           0.95 * first[1] - stepSize * 1 / (4 + EPSILON)};
        assertArrayEquals(second, Weights.step(adamW, 0, 4), TOLERANCE);
    }

    @Test
    void adamWDecayFollowsTheScheduledRate() {
        AdamW adamW = new AdamW(Weights.of(1), 0.1, AdamW.Options.DEFAULTS.withBetas(0.5, 0.75).withWeightDecay(0.5));
        adamW.setLearningRate(0.2);
        // θ ← 1·(1 − 0.2·0.5) = 0.9;  m = 1, v = 1;  step size 0.2/0.5 = 0.4;  √v/√0.25 = 2
        // θ = 0.9 − 0.4·1/(2 + ε)
        assertArrayEquals(new double[] {0.9 - 0.4 / (2 + EPSILON)}, Weights.step(adamW, 2), TOLERANCE);
    }

    @Test
    void defaultsArePyTorchsAndOnlyAdamWDecaysByDefault() {
        assertEquals(new Adam.Options(0.9, 0.999, 1e-8, 0), Adam.Options.DEFAULTS);
        assertEquals(new AdamW.Options(0.9, 0.999, 1e-8, 0.01), AdamW.Options.DEFAULTS);
        assertEquals(0.01, new AdamW(Weights.of(1), 1e-3).options().weightDecay());
    }

    @Test
    void optionsAreCheckedWithTheirRangeAndValue() {
        assertEquals("beta1 must be in [0, 1), got 1.0", assertThrows(
                IllegalArgumentException.class, () -> Adam.Options.DEFAULTS.withBetas(1, 0.999)).getMessage());
        assertEquals("beta2 must be in [0, 1), got -0.5", assertThrows(
                IllegalArgumentException.class, () -> new Adam(Weights.of(1), 0.1, 0.9, -0.5, 1e-8)).getMessage());
        assertEquals("epsilon must be positive and finite, got 0.0", assertThrows(
                IllegalArgumentException.class, () -> AdamW.Options.DEFAULTS.withEpsilon(0)).getMessage());
        assertEquals("weight decay must be non-negative and finite, got -0.01", assertThrows(
                IllegalArgumentException.class, () -> AdamW.Options.DEFAULTS.withWeightDecay(-0.01)).getMessage());
        assertEquals("learning rate must be positive and finite, got NaN", assertThrows(
                IllegalArgumentException.class, () -> new AdamW(Weights.of(1), Double.NaN)).getMessage());
    }
}
