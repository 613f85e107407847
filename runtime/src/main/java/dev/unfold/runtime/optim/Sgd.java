package dev.unfold.runtime.optim;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Checks;
import java.util.Objects;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD} computes it. Plain, it is
 * θ ← θ − η ∂L/∂θ (equations.md (14.1)). With the {@linkplain Options options} (PyTorch's names and defaults), for each
 * parameter at step k:
 * <pre>
 * d ← g + λ θ                                   (weight decay λ)
 * b ← d                     at k = 1
 * b ← μ b + (1 − τ) d       after               (momentum μ, dampening τ)
 * d ← d + μ b  (Nesterov)   or   d ← b
 * θ ← θ − η d
 * </pre>
 * The momentum buffers b are allocated once, here, and only when μ &gt; 0.
 */
public final class Sgd extends AbstractOptimizer {

    /**
     * SGD's hyper-parameters, as {@code torch.optim.SGD} names them; {@link #PLAIN} is its
     * defaults. Built by the {@code with…} methods, each of which checks its value.
     *
     * @param momentum μ in [0, 1); 0 for none
     * @param dampening τ in [0, 1], how much of each new gradient the buffer takes in: (1 − τ) of it
     * @param nesterov whether to step along d + μ b (Nesterov) rather than b; needs μ &gt; 0 and τ = 0
     * @param weightDecay λ ≥ 0, added to the gradient as λθ (an L2 penalty of (λ/2)‖θ‖², see {@link Penalty})
     */
    public record Options(double momentum, double dampening, boolean nesterov, double weightDecay) {
        /** No momentum, no dampening, no weight decay: the plain update θ ← θ − η g. */
        public static final Options PLAIN = new Options(0, 0, false, 0);

        public Options {
            Checks.fraction("momentum", momentum);
            Checks.unitInterval("dampening", dampening);
            Checks.nonNegative("weight decay", weightDecay);
            if (nesterov && !(momentum > 0 && dampening == 0)) {
                // PyTorch refuses the same: Nesterov's look-ahead is defined for undamped momentum
                throw new IllegalArgumentException("Nesterov momentum needs momentum in (0, 1) and dampening 0, got"
                        + " momentum " + momentum + " and dampening " + dampening);
            }
        }

        /** Classical (heavy-ball) momentum μ, not Nesterov's. */
        public Options withMomentum(double momentum) {
            return new Options(momentum, dampening, false, weightDecay);
        }

        /** Nesterov momentum μ. */
        public Options withNesterovMomentum(double momentum) {
            return new Options(momentum, dampening, true, weightDecay);
        }

        /** Dampening τ: the buffer takes in (1 − τ) of each new gradient. */
        public Options withDampening(double dampening) {
            return new Options(momentum, dampening, nesterov, weightDecay);
        }

        /** Weight decay λ, added to the gradient as λθ. */
        public Options withWeightDecay(double weightDecay) {
            return new Options(momentum, dampening, nesterov, weightDecay);
        }
    }

    private final Options options;
    private final double[][] momentumBuffers;

    /** Plain SGD at learning rate η. */
    public Sgd(Parameters parameters, double learningRate) {
        this(parameters, learningRate, Options.PLAIN);
    }

    public Sgd(Parameters parameters, double learningRate, Options options) {
        super(parameters, learningRate);
        this.options = Objects.requireNonNull(options, "options");
        this.momentumBuffers = options.momentum() > 0 ? allocate("momentum", 0) : null;
    }

    /** SGD with classical momentum μ, as {@code torch.optim.SGD(params, lr, momentum=μ)}. */
    public static Sgd withMomentum(Parameters parameters, double learningRate, double momentum) {
        return new Sgd(parameters, learningRate, Options.PLAIN.withMomentum(momentum));
    }

    /** SGD with Nesterov momentum μ, as {@code torch.optim.SGD(params, lr, momentum=μ, nesterov=True)}. */
    public static Sgd nesterov(Parameters parameters, double learningRate, double momentum) {
        return new Sgd(parameters, learningRate, Options.PLAIN.withNesterovMomentum(momentum));
    }

    public Options options() {
        return options;
    }

    @Override
    public void step() {
        double rate = learningRate();
        // PyTorch starts each buffer as a copy of the first gradient, undamped: the step count,
        // restored with the buffers, tells a resumed run that this is no longer the first step
        boolean first = steps() == 0;
        countStep();
        double weightDecay = options.weightDecay();
        double momentum = options.momentum();
        double inflow = 1 - options.dampening();
        boolean nesterov = options.nesterov();
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            double[] buffer = momentumBuffers == null ? null : momentumBuffers[p];
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double theta = parameter.value(i);
                double d = parameter.gradient(i) + weightDecay * theta;
                if (buffer != null) {
                    buffer[i] = first ? d : momentum * buffer[i] + inflow * d;
                    d = nesterov ? d + momentum * buffer[i] : buffer[i];
                }
                parameter.setValue(i, theta - rate * d);
            }
        }
    }
}
