package dev.unfold.runtime;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an optimizer keeps besides the parameters: its named state arrays (moments, sums, momentum
 * buffers), allocated once at construction, and its count of updates. In one place so that every
 * optimizer names, exposes and restores its state alike.
 */
final class OptimizerState {
    private final Parameters parameters;
    private final Map<String, double[]> arrays = new LinkedHashMap<>();
    private final Map<String, double[]> view = Collections.unmodifiableMap(arrays);
    private long steps;

    OptimizerState(Parameters parameters) {
        this.parameters = parameters;
    }

    /**
     * One array per parameter, each as long as it and filled with {@code initialValue}, named
     * {@code kind/parameter name}; returned indexed like the parameters.
     */
    double[][] allocate(String kind, double initialValue) {
        double[][] perParameter = new double[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            perParameter[p] = new double[parameter.size()];
            Arrays.fill(perParameter[p], initialValue);
            arrays.put(kind + "/" + parameter.name(), perParameter[p]);
        }
        return perParameter;
    }

    /** The arrays by name, in the order they were allocated: live, and the same map on every call. */
    Map<String, double[]> arrays() {
        return view;
    }

    long steps() {
        return steps;
    }

    /** Counts one more update and returns the new count, the k of step k. */
    long countStep() {
        return ++steps;
    }

    void restoreSteps(long steps) {
        this.steps = Checks.nonNegative("steps", steps);
    }
}
