package dev.unfold.runtime;

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
