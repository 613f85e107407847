package dev.unfold.spark;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;

/**
 * A network's parameters as one flat array, in {@link Parameters}' fixed order, row-major within
 * each: what travels between the driver and the executors. Values of a float32 network are widened
 * to double, exactly, and rounded back to the same floats.
 */
final class FlatWeights {
    private FlatWeights() {}

    /** The values, flattened. */
    static double[] values(Parameters parameters) {
        double[] flat = new double[parameters.count()];
        int at = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int i = 0, n = parameter.size(); i < n; i++) {
                flat[at++] = parameter.value(i);
            }
        }
        return flat;
    }

    /** Whether the values are those of {@code flat}, bit for bit, compared in place. */
    static boolean same(Parameters parameters, double[] flat) {
        if (flat.length != parameters.count()) {
            return false;
        }
        int at = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int i = 0, n = parameter.size(); i < n; i++) {
                if (Double.doubleToLongBits(parameter.value(i)) != Double.doubleToLongBits(flat[at++])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Sets every value from {@code flat}, as {@link #values} wrote them. */
    static void load(Parameters parameters, double[] flat) {
        requireLength(parameters, flat);
        int at = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int i = 0, n = parameter.size(); i < n; i++) {
                parameter.setValue(i, flat[at++]);
            }
        }
    }

    /** The gradients, flattened, into {@code flat} (which has {@code count() + extra} values). */
    static void gradients(Parameters parameters, double[] flat) {
        int at = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int i = 0, n = parameter.size(); i < n; i++) {
                flat[at++] = parameter.gradient(i);
            }
        }
    }

    /**
     * Adds {@code flat}'s first {@code count()} values to the gradients, each sum rounded once to the
     * parameter's precision.
     */
    static void addGradients(Parameters parameters, double[] flat) {
        int at = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int i = 0, n = parameter.size(); i < n; i++) {
                parameter.setGradient(i, parameter.gradient(i) + flat[at++]);
            }
        }
    }

    private static void requireLength(Parameters parameters, double[] flat) {
        if (flat.length != parameters.count()) {
            throw new IllegalArgumentException("the weights have " + flat.length + " values, expected "
                    + parameters.count() + " (the network's parameter count)");
        }
    }
}
