package dev.unfold.runtime.optim;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Checks;
import java.util.Objects;

/**
 * Adagrad (Duchi, Hazan and Singer, 2011) as {@code torch.optim.Adagrad} computes it, the
 * optimizer of Karpathy's min-char-rnn. Each parameter's rate shrinks with the sum of its squared
 * gradients so far; at step k:
 * <pre>
 * g ← g + λ θ                                (weight decay λ)
 * η_k ← η / (1 + (k − 1) δ)                  (learning-rate decay δ)
 * s ← s + g²
 * θ ← θ − η_k g / (√s + ε)
 * </pre>
 * Defaults are PyTorch's: δ = 0, λ = 0, s starts at 0, ε = 1e-10. The sums s are allocated once, here.
 */
public final class Adagrad extends AbstractOptimizer {

    /**
     * Adagrad's hyper-parameters, as {@code torch.optim.Adagrad} names them; {@link #DEFAULTS} is
     * its defaults.
     *
     * @param learningRateDecay δ ≥ 0 ({@code lr_decay})
     * @param weightDecay λ ≥ 0, added to the gradient as λθ
     * @param initialAccumulatorValue where every sum s starts, ≥ 0
     * @param epsilon ε &gt; 0, added to √s
     */
    public record Options(double learningRateDecay, double weightDecay, double initialAccumulatorValue,
                          double epsilon) {
        public static final Options DEFAULTS = new Options(0, 0, 0, 1e-10);

        public Options {
            Checks.nonNegative("learning rate decay", learningRateDecay);
            Checks.nonNegative("weight decay", weightDecay);
            Checks.nonNegative("initial accumulator value", initialAccumulatorValue);
            Checks.positive("epsilon", epsilon);
        }

        public Options withLearningRateDecay(double learningRateDecay) {
            return new Options(learningRateDecay, weightDecay, initialAccumulatorValue, epsilon);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(learningRateDecay, weightDecay, initialAccumulatorValue, epsilon);
        }

        public Options withInitialAccumulatorValue(double initialAccumulatorValue) {
            return new Options(learningRateDecay, weightDecay, initialAccumulatorValue, epsilon);
        }

        public Options withEpsilon(double epsilon) {
            return new Options(learningRateDecay, weightDecay, initialAccumulatorValue, epsilon);
        }
    }

    private final Options options;
    private final double[][] sums;

    /** Adagrad at learning rate η with PyTorch's defaults. */
    public Adagrad(Parameters parameters, double learningRate) {
        this(parameters, learningRate, Options.DEFAULTS);
    }

    public Adagrad(Parameters parameters, double learningRate, Options options) {
        super(parameters, learningRate);
        this.options = Objects.requireNonNull(options, "options");
        this.sums = allocateNonNegative("sum", options.initialAccumulatorValue());
    }

    public Options options() {
        return options;
    }

    @Override
    public void step() {
        long k = countStep();
        double rate = learningRate() / (1 + (k - 1) * options.learningRateDecay());
        double weightDecay = options.weightDecay();
        double epsilon = options.epsilon();
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            double[] sum = sums[p];
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double theta = parameter.value(i);
                double g = parameter.gradient(i) + weightDecay * theta;
                sum[i] += g * g;
                parameter.setValue(i, theta + -rate * g / (Math.sqrt(sum[i]) + epsilon));
            }
        }
    }
}
