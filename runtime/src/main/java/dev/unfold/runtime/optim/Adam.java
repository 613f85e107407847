package dev.unfold.runtime.optim;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Checks;
import java.util.Objects;

/**
 * Adam (Kingma and Ba, 2015) as {@code torch.optim.Adam} computes it, at step k:
 * <pre>
 * g ← g + λ θ                                      (weight decay λ: an L2 penalty in the gradient)
 * m ← β1 m + (1 − β1) g          v ← β2 v + (1 − β2) g²
 * θ ← θ − (η / (1 − β1^k)) m / (√v / √(1 − β2^k) + ε)
 * </pre>
 * Defaults are PyTorch's: β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 0. The bias corrections are applied
 * where PyTorch applies them (to the step size and to √v, not to m and v), so that the rounding is
 * the same. Weight decay here is coupled to the adaptive scaling; {@link AdamW} decouples it. The
 * moments are allocated once, here.
 */
public final class Adam extends AbstractOptimizer {

    /**
     * Adam's hyper-parameters, as {@code torch.optim.Adam} names them; {@link #DEFAULTS} is its
     * defaults.
     *
     * @param beta1 β1 in [0, 1), the decay of the first moment m
     * @param beta2 β2 in [0, 1), the decay of the second moment v
     * @param epsilon ε &gt; 0, added to the corrected √v
     * @param weightDecay λ ≥ 0, added to the gradient as λθ
     */
    public record Options(double beta1, double beta2, double epsilon, double weightDecay) {
        public static final Options DEFAULTS = new Options(0.9, 0.999, 1e-8, 0);

        public Options {
            Checks.fraction("beta1", beta1);
            Checks.fraction("beta2", beta2);
            Checks.positive("epsilon", epsilon);
            Checks.nonNegative("weight decay", weightDecay);
        }

        public Options withBetas(double beta1, double beta2) {
            return new Options(beta1, beta2, epsilon, weightDecay);
        }

        public Options withEpsilon(double epsilon) {
            return new Options(beta1, beta2, epsilon, weightDecay);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(beta1, beta2, epsilon, weightDecay);
        }
    }

    private final Options options;
    private final double[][] firstMoments;
    private final double[][] secondMoments;

    /** Adam at learning rate η with PyTorch's defaults. */
    public Adam(Parameters parameters, double learningRate) {
        this(parameters, learningRate, Options.DEFAULTS);
    }

    /** Adam without weight decay. */
    public Adam(Parameters parameters, double learningRate, double beta1, double beta2, double epsilon) {
        this(parameters, learningRate, new Options(beta1, beta2, epsilon, 0));
    }

    public Adam(Parameters parameters, double learningRate, Options options) {
        super(parameters, learningRate);
        this.options = Objects.requireNonNull(options, "options");
        this.firstMoments = allocate("exp_avg", 0);
        this.secondMoments = allocateNonNegative("exp_avg_sq", 0);
    }

    public Options options() {
        return options;
    }

    @Override
    public void step() {
        long k = countStep();
        double beta1 = options.beta1();
        double beta2 = options.beta2();
        double epsilon = options.epsilon();
        double weightDecay = options.weightDecay();
        // Math.pow, not StrictMath.pow, which allocates 96 bytes a call on JDK 17
        double stepSize = learningRate() / (1 - Math.pow(beta1, k));
        double secondCorrectionRoot = Math.sqrt(1 - Math.pow(beta2, k));
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            double[] m = firstMoments[p];
            double[] v = secondMoments[p];
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double theta = parameter.value(i);
                double g = parameter.gradient(i) + weightDecay * theta;
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                parameter.setValue(i, theta + -stepSize * m[i] / (Math.sqrt(v[i]) / secondCorrectionRoot + epsilon));
            }
        }
    }
}
