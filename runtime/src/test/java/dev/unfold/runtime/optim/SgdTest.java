package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SGD's first updates against values worked out by hand, and its option checks. */
class SgdTest {
    /** The hand values are exact decimals; the doubles differ from them by rounding alone. */
    private static final double TOLERANCE = 1e-14;

    @Test
    void plainStepIsTheGradientTimesTheRate() {
        Sgd sgd = new Sgd(Weights.of(1, -2), 0.1);
        // θ ← θ − η g = [1 − 0.1·0.5, −2 − 0.1·1]
        assertArrayEquals(new double[] {0.95, -2.1}, Weights.step(sgd, 0.5, 1), TOLERANCE);
        // [0.95 − 0.1·1, −2.1 − 0.1·(−1)]
        assertArrayEquals(new double[] {0.85, -2.0}, Weights.step(sgd, 1, -1), TOLERANCE);
        assertTrue(sgd.state().isEmpty());
    }

    @Test
    void momentumBufferStartsAsTheFirstGradientThenAccumulates() {
        Sgd sgd = Sgd.withMomentum(Weights.of(1, -2), 0.1, 0.9);
        // b = g = [0.5, 1];  θ = [1 − 0.05, −2 − 0.1]
        assertArrayEquals(new double[] {0.95, -2.1}, Weights.step(sgd, 0.5, 1), TOLERANCE);
        // b = 0.9·[0.5, 1] + [1, −1] = [1.45, −0.1];  θ = [0.95 − 0.145, −2.1 + 0.01]
        assertArrayEquals(new double[] {0.805, -2.09}, Weights.step(sgd, 1, -1), TOLERANCE);
        // b = 0.9·[1.45, −0.1] + [0, 2] = [1.305, 1.91];  θ = [0.805 − 0.1305, −2.09 − 0.191]
        assertArrayEquals(new double[] {0.6745, -2.281}, Weights.step(sgd, 0, 2), TOLERANCE);
        assertArrayEquals(new double[] {1.305, 1.91}, sgd.state().get("momentum/w"), TOLERANCE);
    }

    @Test
    void nesterovStepsAlongTheGradientPlusTheDecayedBuffer() {
        Sgd sgd = Sgd.nesterov(Weights.of(1, -2), 0.1, 0.9);
        // b = [0.5, 1];  d = g + 0.9 b = [0.95, 1.9];  θ = [1 − 0.095, −2 − 0.19]
        assertArrayEquals(new double[] {0.905, -2.19}, Weights.step(sgd, 0.5, 1), TOLERANCE);
        // b = 0.9·[0.5, 1] + [1, −1] = [1.45, −0.1];  d = [1 + 1.305, −1 − 0.09] = [2.305, −1.09]
        // θ = [0.905 − 0.2305, −2.19 + 0.109]
        assertArrayEquals(new double[] {0.6745, -2.081}, Weights.step(sgd, 1, -1), TOLERANCE);
    }

    @Test
    void dampeningScalesOnlyLaterGradientsAndWeightDecayAddsToTheGradient() {
        Sgd sgd = new Sgd(Weights.of(1, -2), 0.1,
                Sgd.Options.PLAIN.withMomentum(0.5).withDampening(0.5).withWeightDecay(0.1));
        // d = g + 0.1 θ = [0.5 + 0.1, 1 − 0.2] = [0.6, 0.8];  b = d, undamped on the first step
        // θ = [1 − 0.06, −2 − 0.08]
        assertArrayEquals(new double[] {0.94, -2.08}, Weights.step(sgd, 0.5, 1), TOLERANCE);
        // d = [1 + 0.094, −1 − 0.208] = [1.094, −1.208]
        // b = 0.5·[0.6, 0.8] + (1 − 0.5)·[1.094, −1.208] = [0.847, −0.204]
        // θ = [0.94 − 0.0847, −2.08 + 0.0204]
        assertArrayEquals(new double[] {0.8553, -2.0596}, Weights.step(sgd, 1, -1), TOLERANCE);
    }

    @Test
    void scheduledRateIsTheOneTheNextStepUses() {
        Sgd sgd = new Sgd(Weights.of(1), 0.1);
        sgd.setLearningRate(0.5);
        assertEquals(0.5, sgd.learningRate());
        // θ = 1 − 0.5·0.5
        assertArrayEquals(new double[] {0.75}, Weights.step(sgd, 0.5), 0);
        assertEquals(1, sgd.steps());
    }

    @Test
    void optionsAreCheckedWithTheirRangeAndValue() {
        assertEquals("momentum must be in [0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> Sgd.Options.PLAIN.withMomentum(1)).getMessage());
        assertEquals("dampening must be in [0, 1], got -0.5", assertThrows(IllegalArgumentException.class,
                () -> Sgd.Options.PLAIN.withDampening(-0.5)).getMessage());
        assertEquals("weight decay must be non-negative and finite, got NaN", assertThrows(IllegalArgumentException.class,
                () -> Sgd.Options.PLAIN.withWeightDecay(Double.NaN)).getMessage());
        assertEquals("Nesterov momentum needs momentum in (0, 1) and dampening 0, got momentum 0.9 and dampening 0.1",
                assertThrows(IllegalArgumentException.class,
                        () -> Sgd.Options.PLAIN.withNesterovMomentum(0.9).withDampening(0.1)).getMessage());
        assertEquals("Nesterov momentum needs momentum in (0, 1) and dampening 0, got momentum 0.0 and dampening 0.0",
                assertThrows(IllegalArgumentException.class, () -> Sgd.nesterov(Weights.of(1), 0.1, 0)).getMessage());
    }

    @Test
    void learningRateMustBePositive() {
        Sgd sgd = new Sgd(Weights.of(1), 0.1);
        assertEquals("learning rate must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(0)).getMessage());
        assertEquals("learning rate must be positive and finite, got Infinity", assertThrows(
                IllegalArgumentException.class, () -> Sgd.withMomentum(Weights.of(1), Double.POSITIVE_INFINITY, 0.9))
                .getMessage());
        assertEquals(0.1, sgd.learningRate());
    }
}
