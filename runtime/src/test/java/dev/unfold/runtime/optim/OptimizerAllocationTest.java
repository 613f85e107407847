package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Parameters;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A training step after the backward pass allocates nothing: the schedule setting the rate, the
 * penalty, clipping either way and every optimizer's step, 1,000 times after warm-up.
 */
class OptimizerAllocationTest {

    static Stream<Named<Function<Parameters, Optimizer>>> optimizers() {
        return Optimizers.all().stream();
    }

    /** Gradients drawn once; each call starts from them again, so nothing grows over thousands of calls. */
    private static double[][] gradients(Parameters parameters) {
        Optimizers.randomGradients(parameters, new Random(4));
        double[][] gradients = new double[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            gradients[p] = parameters.get(p).gradient().data.clone();
        }
        return gradients;
    }

    private static void reset(Parameters parameters, double[][] gradients) {
        for (int p = 0; p < gradients.length; p++) {
            System.arraycopy(gradients[p], 0, parameters.get(p).gradient().data, 0, gradients[p].length);
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void scheduledStepAllocatesNothing(Function<Parameters, Optimizer> make) {
        Parameters parameters = Optimizers.network(1);
        double[][] gradients = gradients(parameters);
        Optimizer optimizer = make.apply(parameters);
        LearningRateSchedule schedule = LearningRateSchedule.warmUp(100, LearningRateSchedule.cosine(1e-3, 1e-5, 5_000));
        AllocationMeter.assertNoAllocation(optimizer.getClass().getSimpleName() + ".step", () -> {
            reset(parameters, gradients);
            schedule.applyTo(optimizer);
            optimizer.step();
        });
        assertTrue(optimizer.steps() >= 4_000);
    }

    @Test
    void penaltiesAndClippingAllocateNothing() {
        Parameters parameters = Optimizers.network(1);
        double[][] gradients = gradients(parameters);
        Penalty penalty = Penalty.l1AndL2(1e-4, 1e-3);
        Penalty withBiases = Penalty.l2(1e-3).includingBiases();
        AllocationMeter.assertNoAllocation("penalties and clipping", () -> {
            reset(parameters, gradients);
            penalty.addTo(parameters);
            withBiases.value(parameters);
            Clipping.clipValue(parameters, 0.5);
            Clipping.clipGlobalNorm(parameters, 1);
            parameters.zeroGradients();
        });
    }

    @Test
    void everyScheduleAllocatesNothing() {
        LearningRateSchedule[] schedules = {
            LearningRateSchedule.constant(0.1),
            LearningRateSchedule.stepDecay(0.1, 10, 0.5),
            LearningRateSchedule.exponential(0.1, 0.999),
            LearningRateSchedule.cosine(0.1, 0.001, 500),
            LearningRateSchedule.warmUp(50, LearningRateSchedule.exponential(0.1, 0.999)),
        };
        Sgd sgd = new Sgd(Optimizers.network(1), 0.1);
        long[] step = {0};
        AllocationMeter.assertNoAllocation("the schedules", () -> {
            sgd.restoreSteps(step[0]++ % 1_000);
            for (LearningRateSchedule schedule : schedules) {
                schedule.applyTo(sgd);
            }
        });
    }
}
