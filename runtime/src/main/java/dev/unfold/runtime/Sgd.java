package dev.unfold.runtime;

/** Plain stochastic gradient descent, θ ← θ − η ∂L/∂θ (seed 003). Allocates nothing per step. */
public final class Sgd {
    private final double learningRate;

    public Sgd(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    public double learningRate() {
        return learningRate;
    }

    /** Moves every parameter against its gradient. Gradients are left as they are. */
    public void step(Parameters parameters) {
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
