package dev.unfold.runtime.optim;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Checks;
import java.util.Objects;

/**
 * RMSprop (Hinton's lecture 6e) as {@code torch.optim.RMSprop} computes it: each parameter's
 * step is divided by a running root mean square of its gradients. At each step:
 * <pre>
 * g ← g + λ θ                                 (weight decay λ)
 * v ← α v + (1 − α) g²
 * a ← α a + (1 − α) g,  r ← √(v − a²) + ε     (centered)    or   r ← √v + ε
 * b ← μ b + g / r,  θ ← θ − η b               (momentum μ)   or   θ ← θ − η g / r
 * </pre>
 * Defaults are PyTorch's: α = 0.99, ε = 1e-8, λ = 0, μ = 0, not centered. The averages v, a and
 * the buffers b start at zero and are allocated once, here; a and b only when used.
 */
public final class RmsProp extends AbstractOptimizer {

    /**
     * RMSprop's hyper-parameters, as {@code torch.optim.RMSprop} names them; {@link #DEFAULTS} is
     * its defaults.
     *
     * @param alpha α in [0, 1), the decay of the running averages
     * @param epsilon ε &gt; 0, added to the root mean square
     * @param weightDecay λ ≥ 0, added to the gradient as λθ
     * @param momentum μ in [0, 1); 0 for none
     * @param centered whether to divide by an estimate of the gradient's standard deviation, √(v − a²),
     *     rather than by its root mean square √v
     */
    public record Options(double alpha, double epsilon, double weightDecay, double momentum, boolean centered) {
        public static final Options DEFAULTS = new Options(0.99, 1e-8, 0, 0, false);

        public Options {
            Checks.fraction("alpha", alpha);
            Checks.positive("epsilon", epsilon);
            Checks.nonNegative("weight decay", weightDecay);
            Checks.fraction("momentum", momentum);
        }

        public Options withAlpha(double alpha) {
            return new Options(alpha, epsilon, weightDecay, momentum, centered);
        }

        public Options withEpsilon(double epsilon) {
            return new Options(alpha, epsilon, weightDecay, momentum, centered);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(alpha, epsilon, weightDecay, momentum, centered);
        }

        public Options withMomentum(double momentum) {
            return new Options(alpha, epsilon, weightDecay, momentum, centered);
        }

        /** The centered variant, which divides by √(v − a²). */
        public Options withCentering() {
            return new Options(alpha, epsilon, weightDecay, momentum, true);
        }
    }

    private final Options options;
    private final double[][] squareAverages;
    private final double[][] gradientAverages;
    private final double[][] momentumBuffers;

    /** RMSprop at learning rate η with PyTorch's defaults. */
    public RmsProp(Parameters parameters, double learningRate) {
        this(parameters, learningRate, Options.DEFAULTS);
    }

    public RmsProp(Parameters parameters, double learningRate, Options options) {
        super(parameters, learningRate);
        this.options = Objects.requireNonNull(options, "options");
        this.squareAverages = allocateNonNegative("square_avg", 0);
        this.momentumBuffers = options.momentum() > 0 ? allocate("momentum", 0) : null;
        this.gradientAverages = options.centered() ? allocate("grad_avg", 0) : null;
    }

    public Options options() {
        return options;
    }

    @Override
    public void step() {
        double rate = learningRate();
        countStep(); // RMSprop's update does not depend on it; checkpoints and schedules do
        double alpha = options.alpha();
        double inflow = 1 - alpha;
        double epsilon = options.epsilon();
        double weightDecay = options.weightDecay();
        double momentum = options.momentum();
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            double[] v = squareAverages[p];
            double[] a = gradientAverages == null ? null : gradientAverages[p];
            double[] b = momentumBuffers == null ? null : momentumBuffers[p];
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double theta = parameter.value(i);
                double g = parameter.gradient(i) + weightDecay * theta;
                v[i] = alpha * v[i] + inflow * g * g;
                double r;
                if (a != null) {
                    a[i] = alpha * a[i] + inflow * g;
                    r = Math.sqrt(v[i] - a[i] * a[i]) + epsilon;
                } else {
                    r = Math.sqrt(v[i]) + epsilon;
                }
                if (b != null) {
                    b[i] = momentum * b[i] + g / r;
                    parameter.setValue(i, theta - rate * b[i]);
                } else {
                    parameter.setValue(i, theta + -rate * g / r);
                }
            }
        }
    }
}
