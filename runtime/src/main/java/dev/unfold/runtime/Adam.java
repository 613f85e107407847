package dev.unfold.runtime;

/**
 * Adam (Kingma and Ba, 2015) as {@code torch.optim.Adam} computes it:
 * <pre>
 * m ← β1 m + (1 − β1) g          v ← β2 v + (1 − β2) g²
 * θ ← θ − η (m / (1 − β1^k)) / (√(v / (1 − β2^k)) + ε)      at step k
 * </pre>
 * Defaults are PyTorch's: β1 = 0.9, β2 = 0.999, ε = 1e-8. The moments are allocated once, here.
 */
public final class Adam implements Optimizer {
    private final Parameters parameters;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[][] firstMoments;
    private final double[][] secondMoments;
    private int steps;

    public Adam(Parameters parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8);
    }

    public Adam(Parameters parameters, double learningRate, double beta1, double beta2, double epsilon) {
        this.parameters = parameters;
        this.learningRate = Checks.positive("learning rate", learningRate);
        this.beta1 = fraction("beta1", beta1);
        this.beta2 = fraction("beta2", beta2);
        this.epsilon = Checks.positive("epsilon", epsilon);
        this.firstMoments = new double[parameters.size()][];
        this.secondMoments = new double[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            firstMoments[p] = new double[parameters.get(p).size()];
            secondMoments[p] = new double[parameters.get(p).size()];
        }
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    /** How many steps have been taken. */
    public int steps() {
        return steps;
    }

    @Override
    public void step() {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            double[] value = parameter.value().data;
            double[] gradient = parameter.gradient().data;
            double[] m = firstMoments[p];
            double[] v = secondMoments[p];
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double g = gradient[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                value[i] -= learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + epsilon);
            }
        }
    }

    private static double fraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
