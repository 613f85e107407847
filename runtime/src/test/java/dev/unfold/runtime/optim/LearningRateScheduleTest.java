package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.io.SafeTensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The schedules against rates worked out by hand and against torch.optim.lr_scheduler
 * (tools/pytorch-fixtures.py, SCHEDULES), and that each is a function of the step alone.
 */
class LearningRateScheduleTest {
    /** Hand values written as decimals: the doubles differ from them by rounding alone. */
    private static final double HAND = 1e-15;
    /**
     * PyTorch updates each rate from the previous one (lr·γ, lr·(1 + …) and the recursive cosine),
     * where these compute each from the step, so the last bits drift apart over 14 steps; at rates
     * of at most 0.1, 1e-15 is some 70 units in the last place.
     */
    private static final double TORCH = 1e-15;

    private static double[] rates(LearningRateSchedule schedule, int steps) {
        double[] rates = new double[steps];
        for (int k = 0; k < steps; k++) {
            rates[k] = schedule.rate(k);
        }
        return rates;
    }

    private static double[] torch(String name) throws IOException, URISyntaxException {
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(
                Path.of(LearningRateScheduleTest.class.getResource("/schedules.safetensors").toURI()));
        return tensors.get(name).values();
    }

    @Test
    void constantIsTheSameAtEveryStep() {
        LearningRateSchedule schedule = LearningRateSchedule.constant(0.3);
        assertEquals(0.3, schedule.rate(0));
        assertEquals(0.3, schedule.rate(1_000_000_000L));
    }

    @Test
    void stepDecayMultipliesByGammaEveryNSteps() {
        // 0.1·0.5^⌊k/3⌋; halving is exact in binary, so these are the very doubles
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025},
                rates(LearningRateSchedule.stepDecay(0.1, 3, 0.5), 7), 0);
        // 2·0.1^⌊k/2⌋
        assertArrayEquals(new double[] {2, 2, 0.2, 0.2, 0.02}, rates(LearningRateSchedule.stepDecay(2, 2, 0.1), 5), HAND);
    }

    @Test
    void exponentialMultipliesByGammaEveryStep() {
        // 1·0.9^k
        assertArrayEquals(new double[] {1, 0.9, 0.81, 0.729, 0.6561}, rates(LearningRateSchedule.exponential(1, 0.9), 5),
                HAND);
    }

    @Test
    void cosineFallsHalfACosineToTheMinimumThenHoldsIt() {
        LearningRateSchedule schedule = LearningRateSchedule.cosine(0.1, 0.001, 4);
        // 0.001 + 0.099·(1 + cos(πk/4))/2:  k = 1: (1 + √2/2)/2 = 0.85355339059327376;  k = 2: 1/2;  k = 3: (1 − √2/2)/2
        double[] expected = {0.1, 0.0855017856687341, 0.0505, 0.0154982143312659, 0.001, 0.001, 0.001};
        assertArrayEquals(expected, rates(schedule, 7), HAND);
        assertEquals(0.001, schedule.rate(4), 0); // the minimum itself, not a rounding of it
        assertEquals(0.001, schedule.rate(1_000_000), 0);
    }

    @Test
    void warmUpRisesLinearlyToTheFirstRateThenFollowsTheScheduleFromItsStart() {
        // 0.2·(k + 1)/4 for k < 4, then 0.2
        assertArrayEquals(new double[] {0.05, 0.1, 0.15, 0.2, 0.2, 0.2},
                rates(LearningRateSchedule.warmUp(4, LearningRateSchedule.constant(0.2)), 6), HAND);
        // 0.1·(k + 1)/2 for k < 2, then 0.1·0.5^(k − 2)
        assertArrayEquals(new double[] {0.05, 0.1, 0.1, 0.05, 0.025},
                rates(LearningRateSchedule.warmUp(2, LearningRateSchedule.exponential(0.1, 0.5)), 5), HAND);
    }

    @Test
    void stepDecayMatchesTorchStepLr() throws Exception {
        assertArrayEquals(torch("step_lr"), rates(LearningRateSchedule.stepDecay(0.1, 3, 0.5), 14), TORCH);
    }

    @Test
    void exponentialMatchesTorchExponentialLr() throws Exception {
        assertArrayEquals(torch("exponential_lr"), rates(LearningRateSchedule.exponential(0.1, 0.9), 14), TORCH);
    }

    @Test
    void cosineMatchesTorchCosineAnnealingLrUpToItsLastStep() throws Exception {
        assertArrayEquals(torch("cosine_annealing_lr"), rates(LearningRateSchedule.cosine(0.1, 0.001, 8), 9), TORCH);
    }

    @Test
    void warmUpThenCosineMatchesTorchSequentialLrOfLinearLrAndCosineAnnealingLr() throws Exception {
        LearningRateSchedule schedule = LearningRateSchedule.warmUp(3, LearningRateSchedule.cosine(0.1, 0.001, 8));
        assertArrayEquals(torch("warm_up_then_cosine"), rates(schedule, 12), TORCH);
    }

    @Test
    void ratesDependOnTheStepAloneSoAResumedRunContinuesTheSchedule() {
        LearningRateSchedule schedule = LearningRateSchedule.warmUp(2, LearningRateSchedule.cosine(0.1, 0.01, 5));
        double[] forward = rates(schedule, 10);
        for (int k = 9; k >= 0; k--) { // backwards, and each asked twice
            assertEquals(forward[k], schedule.rate(k), 0);
            assertEquals(forward[k], schedule.rate(k), 0);
        }
        Sgd resumed = new Sgd(Weights.of(1), 1);
        resumed.restoreSteps(6);
        schedule.applyTo(resumed);
        assertEquals(forward[6], resumed.learningRate(), 0);
    }

    @Test
    void applyToSetsTheRateOfTheOptimizersNextStep() {
        LearningRateSchedule schedule = LearningRateSchedule.stepDecay(0.4, 1, 0.5);
        Sgd sgd = new Sgd(Weights.of(1), 1);
        // steps taken 0, 1, 2: rates 0.4, 0.2, 0.1; θ = 1 − (0.4 + 0.2 + 0.1)·1
        for (int k = 0; k < 3; k++) {
            schedule.applyTo(sgd);
            Weights.step(sgd, 1);
        }
        assertEquals(0.1, sgd.learningRate(), 0);
        assertEquals(1 - 0.4 - 0.2 - 0.1, Weights.values(sgd.parameters())[0], 1e-15);
    }

    @Test
    void argumentsAreCheckedWithTheirRangeAndValue() {
        assertEquals("rate must be positive and finite, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.constant(0)).getMessage());
        assertEquals("every must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.stepDecay(0.1, 0, 0.5)).getMessage());
        assertEquals("gamma must be positive and finite, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.exponential(0.1, 0)).getMessage());
        assertEquals("minimum rate must be positive and finite, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.cosine(0.1, 0, 10)).getMessage());
        assertEquals("minimum rate must be at most the initial rate 0.1, got 0.2", assertThrows(
                IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0.2, 10)).getMessage());
        assertEquals("steps must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.cosine(0.1, 0.01, 0)).getMessage());
        assertEquals("warm-up steps must be at least 1, got -3", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.warmUp(-3, LearningRateSchedule.constant(0.1))).getMessage());
        assertEquals("step must be non-negative, got -1", assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.exponential(0.1, 0.9).rate(-1)).getMessage());
    }
}
