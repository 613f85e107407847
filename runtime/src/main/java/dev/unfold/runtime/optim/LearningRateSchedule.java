package dev.unfold.runtime.optim;

/**
 * The learning rate as a function of how many updates have been taken. A pure function of the
 * step, with no state of its own, so a run resumed from a checkpoint (which restores
 * {@link Optimizer#steps()}) follows the schedule exactly. Rates are computed from the step in
 * closed form ({@link Math#pow}, {@link Math#cos}: HotSpot gives the same bits in the interpreter
 * and both compilers; {@link StrictMath#pow} would allocate), never by updating the previous
 * rate as PyTorch's schedulers do, so they agree with PyTorch's to the last few bits only.
 *
 * <p>Before each step, {@link #applyTo} sets the optimizer's rate:
 * <pre>
 * schedule.applyTo(optimizer);
 * optimizer.step();
 * </pre>
 * The factories mirror PyTorch's {@code torch.optim.lr_scheduler}, stepped once per update.
 */
public interface LearningRateSchedule {

    /**
     * The rate of the update that follows {@code step} updates (0 for the first update).
     *
     * @throws IllegalArgumentException if {@code step} is negative
     */
    double rate(long step);

    /** Sets {@code optimizer}'s rate for its next step: {@code rate(optimizer.steps())}. Allocates nothing. */
    default void applyTo(Optimizer optimizer) {
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        optimizer.setLearningRate(rate(optimizer.steps()));
    }

    /** η at every step. */
    static LearningRateSchedule constant(double rate) {
        return new ConstantRate(rate);
    }

    /** η γ^⌊k/n⌋: the rate times γ every n steps, as {@code StepLR(step_size=n, gamma=γ)}. */
    static LearningRateSchedule stepDecay(double initial, long every, double gamma) {
        return new StepDecay(initial, every, gamma);
    }

    /**
     * η γ^k, as {@code ExponentialLR(gamma=γ)}. With γ &lt; 1 the rate underflows to 0 after enough
     * steps (at γ = 0.99, some 74,000), and optimizers refuse a rate of 0.
     */
    static LearningRateSchedule exponential(double initial, double gamma) {
        return new ExponentialDecay(initial, gamma);
    }

    /**
     * η_min + (η − η_min)(1 + cos(π k/n))/2 for k ≤ n, then η_min: half a cosine from η down to
     * η_min over n steps, as {@code CosineAnnealingLR(T_max=n, eta_min=η_min)}, which however
     * climbs back up after n steps where this holds the minimum. η_min must be positive, as held
     * rates are used: optimizers refuse a rate of 0.
     */
    static LearningRateSchedule cosine(double initial, double minimum, long steps) {
        return new CosineAnnealing(initial, minimum, steps);
    }

    /**
     * A linear warm-up over the first w steps, then {@code then} from its own step 0: the rate is
     * then(0)·(k + 1)/w for k &lt; w, reaching then(0) at step w − 1, and then(k − w) after. As
     * PyTorch's {@code SequentialLR} of {@code LinearLR(start_factor=1/w, total_iters=w−1)} and
     * {@code then}, with milestone w. The warm-up starts at then(0)/w rather than at 0, because a
     * step at rate 0 would be no step.
     */
    static LearningRateSchedule warmUp(long steps, LearningRateSchedule then) {
        return new LinearWarmUp(steps, then);
    }
}
