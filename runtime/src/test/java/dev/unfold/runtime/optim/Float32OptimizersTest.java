package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer on float32 parameters against the same optimizer on float64 parameters that start
 * from the same (rounded) values and are fed the same gradients (floats, so that both see them
 * exactly). The rule is: the state is double, the update computed in double from the widened weight
 * and gradient, and rounded once when stored.
 */
class Float32OptimizersTest {
    private static final int STEPS = 50;

    static Stream<Named<Function<Parameters, Optimizer>>> optimizers() {
        return Optimizers.all().stream();
    }

    /** Draws float gradients for step k: the same for both precisions. */
    private static void setGradients(Parameters parameters, long step) {
        Random random = new Random(100 + step);
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setGradient(i, (float) (random.nextGaussian() * (1 + i)));
            }
        }
    }

    /**
     * The rule itself, exactly: after every step, the float32 weights are the float64 weights rounded
     * to nearest, and the two optimizers' states are equal bit for bit, when the float64 run is put
     * back on the float32 weights before each step (so that both start each step from the same values).
     */
    @ParameterizedTest
    @MethodSource("optimizers")
    void eachFloat32StepIsTheFloat64StepRoundedOnce(Function<Parameters, Optimizer> make) {
        Parameters floats = Optimizers.network(1, Precision.FLOAT32);
        Parameters doubles = Optimizers.network(1, Precision.FLOAT64);
        Optimizer floatOptimizer = make.apply(floats);
        Optimizer doubleOptimizer = make.apply(doubles);
        for (int k = 0; k < STEPS; k++) {
            copyValues(floats, doubles);
            setGradients(floats, k);
            setGradients(doubles, k);
            floatOptimizer.step();
            doubleOptimizer.step();
            for (int p = 0; p < floats.size(); p++) {
                float[] actual = floats.get(p).floatValue().data;
                double[] unrounded = doubles.get(p).value().data;
                for (int i = 0; i < actual.length; i++) {
                    assertEquals(Float.floatToIntBits((float) unrounded[i]), Float.floatToIntBits(actual[i]),
                            floats.get(p).name() + "[" + i + "] after step " + (k + 1));
                }
            }
            for (Map.Entry<String, double[]> state : doubleOptimizer.state().entrySet()) {
                assertArrayEquals(state.getValue(), floatOptimizer.state().get(state.getKey()),
                        state.getKey() + " after step " + (k + 1) + ": double in both precisions");
            }
        }
        assertEquals(STEPS, floatOptimizer.steps());
    }

    /**
     * Run freely, the two trajectories part by the float32 roundings alone. Each step rounds each
     * weight once, by at most half an ulp, 2⁻²⁴|θ|; these optimizers' updates do not depend on θ
     * (but through a weight decay of 0.01, which shrinks a difference rather than grow it), so after
     * k steps the difference is at most the sum of the roundings, k · 2⁻²⁴ · max|θ|. The tolerance is
     * twice that, for the weight decay's coupling through the adaptive scaling, which is of order
     * η λ ≤ 10⁻³ of a difference per step; a step in float (rather than in double, rounded) would
     * miss it by the update's own rounding errors, orders of magnitude more.
     */
    @ParameterizedTest
    @MethodSource("optimizers")
    void freeRunningTrajectoriesAgreeToFloatPrecision(Function<Parameters, Optimizer> make) {
        Parameters floats = Optimizers.network(1, Precision.FLOAT32);
        Parameters doubles = Optimizers.network(1, Precision.FLOAT64);
        copyValues(floats, doubles);   // the same starting values: the float64 run starts from the rounded ones
        Optimizer floatOptimizer = make.apply(floats);
        Optimizer doubleOptimizer = make.apply(doubles);
        double largest = 0;
        double largestGap = 0;
        for (int k = 1; k <= STEPS; k++) {
            setGradients(floats, k);
            setGradients(doubles, k);
            floatOptimizer.step();
            doubleOptimizer.step();
            for (int p = 0; p < floats.size(); p++) {
                for (int i = 0; i < floats.get(p).size(); i++) {
                    largest = Math.max(largest, Math.abs(doubles.get(p).value(i)));
                }
            }
            double tolerance = 2 * k * Math.scalb(1.0, -24) * largest;
            for (int p = 0; p < floats.size(); p++) {
                Parameter parameter = floats.get(p);
                for (int i = 0; i < parameter.size(); i++) {
                    double gap = Math.abs(parameter.value(i) - doubles.get(p).value(i));
                    largestGap = Math.max(largestGap, gap);
                    assertTrue(gap <= tolerance, parameter.name() + "[" + i + "] after step " + k + ": float32 "
                            + parameter.value(i) + ", float64 " + doubles.get(p).value(i) + ", apart by " + gap
                            + ", more than " + tolerance);
                }
            }
        }
        assertTrue(largestGap > 0, "the float32 run rounds: it cannot follow the float64 run exactly");
    }

    /** A float32 step allocates nothing either: no copy of a parameter into a double buffer. */
    @ParameterizedTest
    @MethodSource("optimizers")
    void aFloat32StepAllocatesNothing(Function<Parameters, Optimizer> make) {
        Parameters parameters = Optimizers.network(1, Precision.FLOAT32);
        Optimizer optimizer = make.apply(parameters);
        LearningRateSchedule schedule = LearningRateSchedule.warmUp(100, LearningRateSchedule.cosine(1e-3, 1e-5, 5_000));
        Penalty penalty = Penalty.l1AndL2(1e-4, 1e-3);
        AllocationMeter.assertNoAllocation(optimizer.getClass().getSimpleName() + ".step on float32", () -> {
            setGradientsWithoutAllocating(parameters);
            penalty.addTo(parameters);
            Clipping.clipValue(parameters, 5);
            Clipping.clipGlobalNorm(parameters, 1);
            parameters.scaleGradients(0.5);
            schedule.applyTo(optimizer);
            optimizer.step();
        });
        assertTrue(optimizer.steps() >= 4_000);
    }

    private static void setGradientsWithoutAllocating(Parameters parameters) {
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setGradient(i, (i % 3 - 1) * 0.25 * (p + 1));
            }
        }
    }

    private static void copyValues(Parameters from, Parameters to) {
        for (int p = 0; p < from.size(); p++) {
            for (int i = 0; i < from.get(p).size(); i++) {
                to.get(p).setValue(i, from.get(p).value(i));
            }
        }
    }
}
