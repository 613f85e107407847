package dev.unfold.runtime.optim;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Checks;
import java.util.Objects;

/**
 * An L1 and/or L2 penalty on the weights (equations.md (12.3)), a remedy for exploding gradients. The
 * convention, for strengths λ1 and λ2:
 * <pre>
 * Ω(w) = λ1 Σ |w_i| + (λ2/2) Σ w_i²          ∂Ω/∂w_i = λ1 sign(w_i) + λ2 w_i,   sign(0) = 0
 * </pre>
 * The half in the L2 term makes its gradient λ2 w, so {@code Penalty.l2(λ)} moves the weights as
 * PyTorch's {@code weight_decay=λ} does in SGD and Adam (not AdamW, which decouples it); the L1
 * term's subgradient at 0 is taken as 0, so weights at exactly 0 stay put.
 *
 * <p>It applies to the weight matrices only: biases (the {@linkplain Parameter#isVector() vector}
 * parameters) are left out, as is usual, unless {@link #includingBiases()} asks for them.
 * {@link #addTo} adds ∂Ω/∂w to the gradients after the backward pass and before clipping and the
 * optimizer step, and returns Ω to add to the reported loss. Allocates nothing.
 */
public final class Penalty {
    private final double l1Strength;
    private final double l2Strength;
    private final boolean biases;

    private Penalty(double l1Strength, double l2Strength, boolean biases) {
        this.l1Strength = Checks.nonNegative("L1 strength", l1Strength);
        this.l2Strength = Checks.nonNegative("L2 strength", l2Strength);
        this.biases = biases;
    }

    /** λ Σ|w|, gradient λ sign(w). */
    public static Penalty l1(double strength) {
        return new Penalty(strength, 0, false);
    }

    /** (λ/2) Σw², gradient λ w. */
    public static Penalty l2(double strength) {
        return new Penalty(0, strength, false);
    }

    /** λ1 Σ|w| + (λ2/2) Σw² (the elastic net), gradient λ1 sign(w) + λ2 w. */
    public static Penalty l1AndL2(double l1Strength, double l2Strength) {
        return new Penalty(l1Strength, l2Strength, false);
    }

    /** The same penalty, applied to the biases too. */
    public Penalty includingBiases() {
        return new Penalty(l1Strength, l2Strength, true);
    }

    public double l1Strength() {
        return l1Strength;
    }

    public double l2Strength() {
        return l2Strength;
    }

    /** Whether the biases are penalised too. */
    public boolean includesBiases() {
        return biases;
    }

    /** Ω over the parameters it applies to; the gradients are left alone (as for a validation loss). */
    public double value(Parameters parameters) {
        return accumulate(parameters, false);
    }

    /** Adds ∂Ω/∂w to the gradients of the parameters it applies to, and returns Ω. */
    public double addTo(Parameters parameters) {
        return accumulate(parameters, true);
    }

    private double accumulate(Parameters parameters, boolean addGradients) {
        Objects.requireNonNull(parameters, "parameters");
        double absoluteSum = 0;
        double squareSum = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            if (parameter.isVector() && !biases) {
                continue;
            }
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double w = parameter.value(i);
                absoluteSum += Math.abs(w);
                squareSum += w * w;
                if (addGradients) {
                    // in double, then rounded once into a float32 gradient
                    parameter.setGradient(i, parameter.gradient(i) + (l1Strength * Math.signum(w) + l2Strength * w));
                }
            }
        }
        return l1Strength * absoluteSum + l2Strength / 2 * squareSum;
    }

    @Override
    public String toString() {
        return "Penalty[L1 " + l1Strength + ", L2 " + l2Strength + (biases ? ", biases included]" : "]");
    }
}
