package dev.unfold.runtime.optim;

import dev.unfold.runtime.internal.Checks;

/** η γ^k, like PyTorch's {@code ExponentialLR} ({@link LearningRateSchedule#exponential}). */
record ExponentialDecay(double initial, double gamma) implements LearningRateSchedule {

    ExponentialDecay {
        Checks.positive("initial rate", initial);
        Checks.positive("gamma", gamma);
    }

    @Override
    public double rate(long step) {
        return initial * Math.pow(gamma, Checks.nonNegative("step", step));
    }
}
