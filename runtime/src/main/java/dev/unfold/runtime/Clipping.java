package dev.unfold.runtime;

/**
 * Gradient clipping by global norm, g ← g · min(1, C/‖g‖) (seed 003), the remedy seed 001 gives
 * for exploding gradients. ‖g‖ is the Euclidean norm over every parameter's gradient together,
 * so clipping rescales all of them alike and keeps the gradient's direction. Allocates nothing.
 */
public final class Clipping {
    private Clipping() {}

    /** ‖g‖ over all gradients of {@code parameters}. */
    public static double globalNorm(Parameters parameters) {
        double sum = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            double[] gradient = parameter.gradient().data;
            for (int i = 0, n = parameter.size(); i < n; i++) {
                sum += gradient[i] * gradient[i];
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by min(1, maxNorm/‖g‖) and returns ‖g‖ as it was before, so callers
     * can count how often clipping acted.
     */
    public static double clipGlobalNorm(Parameters parameters, double maxNorm) {
        Checks.positive("maxNorm", maxNorm);
        double norm = globalNorm(parameters);
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            for (int p = 0; p < parameters.size(); p++) {
                Parameter parameter = parameters.get(p);
                double[] gradient = parameter.gradient().data;
                for (int i = 0, n = parameter.size(); i < n; i++) {
                    gradient[i] *= scale;
                }
            }
        }
        return norm;
    }
}
