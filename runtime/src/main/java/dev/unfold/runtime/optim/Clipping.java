package dev.unfold.runtime.optim;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Checks;
import java.util.Objects;

/**
 * Gradient clipping, a remedy for exploding gradients, in two forms. By global
 * norm, g ← g · min(1, C/‖g‖) (equations.md (12.1)): ‖g‖ is the Euclidean norm over every parameter's
 * gradient together, so clipping rescales all of them alike and keeps the gradient's direction.
 * By value, g_i ← max(−C, min(C, g_i)) for every entry on its own
 * ({@code torch.nn.utils.clip_grad_value_}), which bounds each entry but can turn the direction.
 * Allocates nothing.
 */
public final class Clipping {
    private Clipping() {}

    /** ‖g‖ over all gradients of {@code parameters}. */
    public static double globalNorm(Parameters parameters) {
        Objects.requireNonNull(parameters, "parameters");
        double sum = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double g = parameter.gradient(i); // a float32 entry widened: the sum is in double either way
                sum += g * g;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by min(1, maxNorm/‖g‖) and returns ‖g‖ as it was before, so callers
     * can count how often clipping acted.
     */
    public static double clipGlobalNorm(Parameters parameters, double maxNorm) {
        Objects.requireNonNull(parameters, "parameters");
        Checks.positive("maxNorm", maxNorm);
        double norm = globalNorm(parameters);
        if (norm > maxNorm) {
            parameters.scaleGradients(maxNorm / norm);
        }
        return norm;
    }

    /**
     * Clamps every gradient entry to [−maxValue, maxValue], g_i ← max(−C, min(C, g_i)), and returns
     * how many entries lay outside and were clamped. NaN entries are left as they are, as PyTorch
     * leaves them.
     */
    public static int clipValue(Parameters parameters, double maxValue) {
        Objects.requireNonNull(parameters, "parameters");
        Checks.positive("maxValue", maxValue);
        int clipped = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            // the bound as the gradient can hold it: C rounded to nearest float for a float32 gradient (as
            // torch.clamp rounds it in float32), so that a clamped entry is within the bound and not clamped again
            double bound = parameter.precision() == Precision.FLOAT32 ? (float) maxValue : maxValue;
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double g = parameter.gradient(i);
                if (g > bound) {
                    parameter.setGradient(i, bound);
                    clipped++;
                } else if (g < -bound) {
                    parameter.setGradient(i, -bound);
                    clipped++;
                }
            }
        }
        return clipped;
    }
}
