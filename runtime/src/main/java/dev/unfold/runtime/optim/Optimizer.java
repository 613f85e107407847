package dev.unfold.runtime.optim;

import dev.unfold.runtime.Parameters;
import java.util.Map;

/**
 * Updates the parameters it was built over from their accumulated gradients. Like PyTorch's
 * optimizers, each is bound to its parameters at construction, where it also allocates whatever
 * state it keeps; {@link #step()} allocates nothing.
 *
 * <p>A training loop that follows a {@link LearningRateSchedule} sets the rate before each step
 * ({@link LearningRateSchedule#applyTo}); a checkpoint saves {@link #state()} and {@link #steps()}
 * and restores them into a fresh optimizer over the same parameters, which then continues exactly
 * as the saved one would have.
 */
public interface Optimizer {

    /** One update from the current gradients. Gradients are left as they are. Allocates nothing. */
    void step();

    /** The parameters this optimizer updates. */
    Parameters parameters();

    /** The learning rate η the next {@link #step()} uses. */
    double learningRate();

    /**
     * Sets the learning rate η of the following steps, as schedules do before each step.
     *
     * @throws IllegalArgumentException unless {@code rate} is positive and finite
     */
    void setLearningRate(double rate);

    /** How many updates have been taken so far (the k of step k + 1). */
    long steps();

    /**
     * The state arrays this optimizer keeps besides the parameters, by name, in a fixed order: the
     * kind of state, a slash and the parameter's name, e.g. {@code momentum/rnn.weight_hh},
     * {@code exp_avg/…}, {@code exp_avg_sq/…}, {@code sum/…}. The arrays are live, not copies: a
     * checkpoint reads them to save and fills them to restore, together with {@link #steps()}.
     * Empty for plain SGD, which keeps no state.
     */
    Map<String, double[]> state();

    /**
     * Whether state array {@code name} can never hold a negative value, as a second moment or a
     * sum of squared gradients cannot ({@code exp_avg_sq/…}, {@code square_avg/…}, {@code sum/…}):
     * a checkpoint whose array has one is refused rather than restored into a square root of a
     * negative number. False for a name this optimizer does not keep.
     */
    default boolean isNonNegative(String name) {
        return false;
    }

    /**
     * Sets the step count when a checkpoint is restored; the state arrays are filled through
     * {@link #state()}. Optimizers whose update depends on the count (Adam's bias corrections,
     * Adagrad's rate decay, the first momentum step of SGD) continue from it.
     *
     * @throws IllegalArgumentException if {@code steps} is negative
     */
    void restoreSteps(long steps);
}
