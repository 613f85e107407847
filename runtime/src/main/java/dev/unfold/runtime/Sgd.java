package dev.unfold.runtime;

/** Plain stochastic gradient descent, θ ← θ − η ∂L/∂θ (seed 003). */
public final class Sgd implements Optimizer {
    private final Parameters parameters;
    private final double learningRate;

    public Sgd(Parameters parameters, double learningRate) {
        this.parameters = parameters;
        this.learningRate = Checks.positive("learning rate", learningRate);
    }

    public double learningRate() {
        return learningRate;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public void step() {
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            double[] value = parameter.value().data;
            double[] gradient = parameter.gradient().data;
            for (int i = 0, n = parameter.size(); i < n; i++) {
                value[i] -= learningRate * gradient[i];
            }
        }
    }
}
