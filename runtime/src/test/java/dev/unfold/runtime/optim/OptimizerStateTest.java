package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checkpoint of an optimizer is its {@link Optimizer#state()} and {@link Optimizer#steps()}: an
 * optimizer restored from them over a copy of the parameters continues exactly, bit for bit, as
 * the original does, learning-rate schedule included.
 */
class OptimizerStateTest {
    private static final int BEFORE = 3;
    private static final int AFTER = 4;
    private static final LearningRateSchedule SCHEDULE =
            LearningRateSchedule.warmUp(2, LearningRateSchedule.cosine(1, 0.1, 6));

    static Stream<Named<Function<Parameters, Optimizer>>> optimizers() {
        return Optimizers.all().stream();
    }

    private static void train(Optimizer optimizer, Random gradients, int steps) {
        for (int k = 0; k < steps; k++) {
            Optimizers.randomGradients(optimizer.parameters(), gradients);
            SCHEDULE.applyTo(optimizer);
            optimizer.step();
        }
    }

    /** A fresh optimizer over a copy of {@code original}'s parameters, given its state, and its steps if asked. */
    private static Optimizer restore(Optimizer original, Function<Parameters, Optimizer> make, boolean steps) {
        Optimizer restored = make.apply(Optimizers.copy(original.parameters()));
        assertEquals(List.copyOf(original.state().keySet()), List.copyOf(restored.state().keySet()));
        for (Map.Entry<String, double[]> entry : original.state().entrySet()) {
            double[] saved = entry.getValue().clone(); // as a checkpoint file would hold it
            System.arraycopy(saved, 0, restored.state().get(entry.getKey()), 0, saved.length);
        }
        if (steps) {
            restored.restoreSteps(original.steps());
        }
        return restored;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void restoredOptimizerContinuesBitForBit(Function<Parameters, Optimizer> make) {
        Optimizer original = make.apply(Optimizers.network(1));
        train(original, new Random(2), BEFORE);
        Optimizer restored = restore(original, make, true);
        assertEquals(BEFORE, restored.steps());

        train(original, new Random(3), AFTER);
        train(restored, new Random(3), AFTER);

        assertEquals(BEFORE + AFTER, restored.steps());
        assertEquals(original.learningRate(), restored.learningRate(), 0);
        for (int p = 0; p < original.parameters().size(); p++) {
            assertArrayEquals(original.parameters().get(p).value().data, restored.parameters().get(p).value().data, 0,
                    original.parameters().get(p).name());
        }
        for (String name : original.state().keySet()) {
            assertArrayEquals(original.state().get(name), restored.state().get(name), 0, name);
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void stateArraysAreLiveAndTheMapCannotBeChanged(Function<Parameters, Optimizer> make) {
        Optimizer optimizer = make.apply(Optimizers.network(1));
        Map<String, double[]> state = optimizer.state();
        Map<String, double[]> before = new java.util.LinkedHashMap<>();
        state.forEach((name, array) -> before.put(name, array.clone()));
        train(optimizer, new Random(2), 1);
        assertSame(state, optimizer.state());
        for (Map.Entry<String, double[]> entry : state.entrySet()) {
            assertFalse(Arrays.equals(before.get(entry.getKey()), entry.getValue()), entry.getKey() + " did not change");
        }
        assertThrows(UnsupportedOperationException.class, () -> state.put("extra", new double[1]));
    }

    @Test
    void stepCountMattersWhereTheUpdateDependsOnIt() {
        // Adam's bias corrections and SGD's first momentum step read the count: arrays alone are not a checkpoint
        List<Named<Function<Parameters, Optimizer>>> countDependent = List.of(
                Named.of("SGD with momentum", parameters -> Sgd.withMomentum(parameters, 0.1, 0.9)),
                Named.of("Adam", parameters -> new Adam(parameters, 0.01)));
        for (Named<Function<Parameters, Optimizer>> make : countDependent) {
            Optimizer original = make.getPayload().apply(Optimizers.network(1));
            train(original, new Random(2), BEFORE);
            Optimizer withoutSteps = restore(original, make.getPayload(), false);
            train(original, new Random(3), 1);
            train(withoutSteps, new Random(3), 1);
            assertNotEquals(Arrays.toString(original.parameters().get(0).value().data),
                    Arrays.toString(withoutSteps.parameters().get(0).value().data), make.getName());
        }
    }

    @Test
    void stateIsNamedByKindThenParameterInAFixedOrder() {
        assertEquals(List.of(), List.copyOf(new Sgd(Optimizers.network(1), 0.1).state().keySet()));
        assertEquals(List.of("momentum/rnn.weight_hh", "momentum/rnn.bias_hh"),
                List.copyOf(Sgd.withMomentum(Optimizers.network(1), 0.1, 0.9).state().keySet()));
        assertEquals(List.of("sum/rnn.weight_hh", "sum/rnn.bias_hh"),
                List.copyOf(new Adagrad(Optimizers.network(1), 0.1).state().keySet()));
        assertEquals(List.of("exp_avg/rnn.weight_hh", "exp_avg/rnn.bias_hh", "exp_avg_sq/rnn.weight_hh",
                "exp_avg_sq/rnn.bias_hh"), List.copyOf(new AdamW(Optimizers.network(1), 0.1).state().keySet()));
        assertEquals(6, new Adam(Optimizers.network(1), 0.1).state().get("exp_avg/rnn.weight_hh").length);
    }

    @Test
    void stepsAreCountedAndRestoredStepsMustBeNonNegative() {
        Optimizer adam = new Adam(Optimizers.network(1), 0.1);
        assertEquals(0, adam.steps());
        train(adam, new Random(2), 2);
        assertEquals(2, adam.steps());
        assertEquals("steps must be non-negative, got -1",
                assertThrows(IllegalArgumentException.class, () -> adam.restoreSteps(-1)).getMessage());
        adam.restoreSteps(10_000_000_000L);
        assertEquals(10_000_000_000L, adam.steps());
        assertTrue(new RmsProp(Optimizers.network(1), 0.1).state().containsKey("square_avg/rnn.bias_hh"));
    }
}
