package dev.unfold.runtime.optim;

import dev.unfold.runtime.internal.Checks;

/** η γ^⌊k/n⌋, like PyTorch's {@code StepLR} ({@link LearningRateSchedule#stepDecay}). */
record StepDecay(double initial, long every, double gamma) implements LearningRateSchedule {

    StepDecay {
        Checks.positive("initial rate", initial);
        Checks.atLeastOne("every", every);
        Checks.positive("gamma", gamma);
    }

    @Override
    public double rate(long step) {
        return initial * Math.pow(gamma, Checks.nonNegative("step", step) / every);
    }
}
