package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer takes the steps torch.optim takes, given the same gradients, over five steps,
 * for several option combinations, some under a learning-rate schedule
 * (tools/pytorch-fixtures.py, OPTIMIZER_RUNS). The gradients' entries span 1e-3 to 10.
 */
class OptimizerParityTest {
    /**
     * Both sides follow the same formulas in double precision, in the same order of operations;
     * PyTorch's vectorised kernels may fuse a multiply and an add where Java rounds twice, which
     * moves the last bits, nothing more.
     */
    private static final double TOLERANCE = 1e-14;

    private static final Map<String, SafeTensors.Tensor> FIXTURE = read();

    private static Map<String, SafeTensors.Tensor> read() {
        try {
            return SafeTensors.read(Path.of(OptimizerParityTest.class.getResource("/optimizers.safetensors").toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void replay(String run, Function<Parameters, Optimizer> optimizer) {
        replay(run, optimizer, null);
    }

    private static void replay(String run, Function<Parameters, Optimizer> optimizer, LearningRateSchedule schedule) {
        double[] initial = FIXTURE.get("initial").values();
        double[] gradients = FIXTURE.get("gradients").values();
        double[] expected = FIXTURE.get(run).values();
        int size = initial.length;
        Parameter parameter = Parameter.vector("p", size);
        System.arraycopy(initial, 0, parameter.value().data, 0, size);
        Optimizer step = optimizer.apply(new Parameters(List.of(parameter)));
        int steps = gradients.length / size;
        assertEquals(5, steps);
        for (int k = 0; k < steps; k++) {
            System.arraycopy(gradients, k * size, parameter.gradient().data, 0, size);
            if (schedule != null) {
                schedule.applyTo(step);
            }
            step.step();
            double[] after = Arrays.copyOfRange(expected, k * size, (k + 1) * size);
            assertArrayEquals(after, parameter.value().data, TOLERANCE, run + " after step " + (k + 1));
        }
        assertEquals(steps, step.steps());
    }

    @Test
    void sgdMatchesTorchOptimSgd() {
        replay("sgd", parameters -> new Sgd(parameters, 0.1));
    }

    @Test
    void sgdWithMomentumMatches() {
        replay("sgd_momentum", parameters -> Sgd.withMomentum(parameters, 0.1, 0.9));
    }

    @Test
    void sgdWithNesterovMomentumMatches() {
        replay("sgd_nesterov", parameters -> Sgd.nesterov(parameters, 0.1, 0.9));
    }

    @Test
    void sgdWithDampenedMomentumAndWeightDecayMatches() {
        replay("sgd_dampening_weight_decay", parameters -> new Sgd(parameters, 0.05,
                Sgd.Options.PLAIN.withMomentum(0.8).withDampening(0.3).withWeightDecay(0.01)));
    }

    @Test
    void sgdWithNesterovMomentumAndWeightDecayMatches() {
        replay("sgd_nesterov_weight_decay", parameters -> new Sgd(parameters, 0.05,
                Sgd.Options.PLAIN.withNesterovMomentum(0.5).withWeightDecay(0.1)));
    }

    @Test
    void sgdWithMomentumUnderStepDecayMatchesStepLr() {
        replay("sgd_momentum_step_lr", parameters -> Sgd.withMomentum(parameters, 0.1, 0.9),
                LearningRateSchedule.stepDecay(0.1, 2, 0.5));
    }

    @Test
    void adagradMatchesTorchOptimAdagrad() {
        replay("adagrad", parameters -> new Adagrad(parameters, 0.1));
    }

    @Test
    void adagradWithEveryOptionMatches() {
        replay("adagrad_options", parameters -> new Adagrad(parameters, 0.1, Adagrad.Options.DEFAULTS
                .withLearningRateDecay(0.05).withWeightDecay(0.02).withInitialAccumulatorValue(0.5).withEpsilon(1e-6)));
    }

    @Test
    void adagradWithRateDecayUnderExponentialScheduleMatchesExponentialLr() {
        replay("adagrad_exponential_lr",
                parameters -> new Adagrad(parameters, 0.1, Adagrad.Options.DEFAULTS.withLearningRateDecay(0.1)),
                LearningRateSchedule.exponential(0.1, 0.8));
    }

    @Test
    void rmsPropMatchesTorchOptimRmsProp() {
        replay("rmsprop", parameters -> new RmsProp(parameters, 0.01));
    }

    @Test
    void rmsPropWithMomentumMatches() {
        replay("rmsprop_momentum", parameters -> new RmsProp(parameters, 0.01, RmsProp.Options.DEFAULTS.withMomentum(0.9)));
    }

    @Test
    void centeredRmsPropMatches() {
        replay("rmsprop_centered", parameters -> new RmsProp(parameters, 0.01, RmsProp.Options.DEFAULTS.withCentering()));
    }

    @Test
    void rmsPropWithEveryOptionMatches() {
        replay("rmsprop_everything", parameters -> new RmsProp(parameters, 0.005, RmsProp.Options.DEFAULTS
                .withAlpha(0.9).withEpsilon(1e-6).withWeightDecay(0.05).withMomentum(0.7).withCentering()));
    }

    @Test
    void adamMatchesTorchOptimAdam() {
        replay("adam", parameters -> new Adam(parameters, 0.01));
    }

    @Test
    void adamWithOtherBetasAndEpsilonMatches() {
        replay("adam_custom", parameters -> new Adam(parameters, 0.05, 0.8, 0.99, 1e-6));
    }

    @Test
    void adamWithWeightDecayInTheGradientMatches() {
        replay("adam_weight_decay", parameters -> new Adam(parameters, 0.01, Adam.Options.DEFAULTS.withWeightDecay(0.1)));
    }

    @Test
    void adamWMatchesTorchOptimAdamWWithItsDefaultWeightDecay() {
        replay("adamw", parameters -> new AdamW(parameters, 0.01));
    }

    @Test
    void adamWWithOtherBetasEpsilonAndWeightDecayMatches() {
        replay("adamw_custom", parameters -> new AdamW(parameters, 0.05,
                AdamW.Options.DEFAULTS.withBetas(0.8, 0.99).withEpsilon(1e-6).withWeightDecay(0.2)));
    }

    @Test
    void adamWDecaysWeightsAtTheScheduledRateLikeCosineAnnealingLr() {
        replay("adamw_cosine_lr", parameters -> new AdamW(parameters, 0.01, AdamW.Options.DEFAULTS.withWeightDecay(0.1)),
                LearningRateSchedule.cosine(0.01, 0.001, 4));
    }
}
