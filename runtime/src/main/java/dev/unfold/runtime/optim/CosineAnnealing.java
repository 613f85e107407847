package dev.unfold.runtime.optim;

import dev.unfold.runtime.internal.Checks;

/**
 * η_min + (η − η_min)(1 + cos(π k/n))/2 for k ≤ n, then η_min: PyTorch's
 * {@code CosineAnnealingLR} up to n, held at the minimum after ({@link LearningRateSchedule#cosine}).
 */
record CosineAnnealing(double initial, double minimum, long steps) implements LearningRateSchedule {

    CosineAnnealing {
        Checks.positive("initial rate", initial);
        // positive, not merely non-negative: optimizers refuse a rate of 0, which the schedule holds after n steps
        Checks.positive("minimum rate", minimum);
        if (minimum > initial) {
            throw new IllegalArgumentException("minimum rate must be at most the initial rate " + initial
                    + ", got " + minimum);
        }
        Checks.atLeastOne("steps", steps);
    }

    @Override
    public double rate(long step) {
        if (Checks.nonNegative("step", step) >= steps) {
            return minimum; // exactly: cos(π n/n) is not exactly −1 once π n/n is rounded
        }
        return minimum + (initial - minimum) * (1 + Math.cos(Math.PI * step / steps)) / 2;
    }
}
