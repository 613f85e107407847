package dev.unfold.runtime.optim;

import dev.unfold.runtime.internal.Checks;

/** η at every step ({@link LearningRateSchedule#constant}). */
record ConstantRate(double rate) implements LearningRateSchedule {

    ConstantRate {
        Checks.positive("rate", rate);
    }

    @Override
    public double rate(long step) {
        Checks.nonNegative("step", step);
        return rate;
    }
}
