package dev.unfold.runtime.optim;

import dev.unfold.runtime.internal.Checks;
import java.util.Objects;

/**
 * then(0)·(k + 1)/w for k &lt; w, then(k − w) after: a linear warm-up before another schedule
 * ({@link LearningRateSchedule#warmUp}).
 */
record LinearWarmUp(long steps, LearningRateSchedule then) implements LearningRateSchedule {

    LinearWarmUp {
        Checks.atLeastOne("warm-up steps", steps);
        Objects.requireNonNull(then, "then");
    }

    @Override
    public double rate(long step) {
        if (Checks.nonNegative("step", step) < steps) {
            return then.rate(0) * (step + 1) / steps;
        }
        return then.rate(step - steps);
    }
}
