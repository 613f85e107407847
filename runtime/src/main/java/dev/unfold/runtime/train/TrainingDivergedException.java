package dev.unfold.runtime.train;

/**
 * Training produced a loss or a gradient that is NaN or infinite. The message says at which step,
 * in which parameter, and which checkpoint (if any) still holds the last good state; the optimizer
 * has not taken the bad step.
 */
public final class TrainingDivergedException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final long step;

    TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The optimizer step (from 1) that would have used the bad value. */
    public long step() {
        return step;
    }
}
