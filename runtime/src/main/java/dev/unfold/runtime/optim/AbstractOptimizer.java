package dev.unfold.runtime.optim;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.internal.Checks;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What every optimizer keeps besides its update rule: the parameters it updates, its learning
 * rate, its named state arrays (moments, sums, momentum buffers), allocated once at construction,
 * and its count of updates. In one place so that every optimizer names, exposes and restores its
 * state alike, and a checkpoint can save and restore any of them.
 *
 * <p>Precision: the state is {@code double} whatever the parameters' precision, as mixed-precision
 * training keeps it at the higher precision. Each update rule is written once, over the parameter's
 * precision-neutral accessors ({@link Parameter#value(int)}, {@link Parameter#gradient(int)},
 * {@link Parameter#setValue(int, double)}): a float32 weight and gradient are widened exactly, the
 * update is computed in double, and the new weight is rounded to nearest once, when stored. For a
 * float64 parameter the accessors read and write the array itself, so the arithmetic is the same,
 * operation for operation, as on {@code value().data}.
 */
abstract class AbstractOptimizer implements Optimizer {
    final Parameters parameters;
    private final Map<String, double[]> arrays = new LinkedHashMap<>();
    private final Map<String, double[]> view = Collections.unmodifiableMap(arrays);
    private final Set<String> nonNegative = new HashSet<>();
    private double learningRate;
    private long steps;

    AbstractOptimizer(Parameters parameters, double learningRate) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.learningRate = Checks.positive("learning rate", learningRate);
    }

    /**
     * One array per parameter, each as long as it and filled with {@code initialValue}, named
     * {@code kind/parameter name}; returned indexed like the parameters.
     */
    final double[][] allocate(String kind, double initialValue) {
        return allocate(kind, initialValue, false);
    }

    /**
     * {@link #allocate(String, double)} for a kind of state that can never be negative (second
     * moments, sums of squares), which {@link #isNonNegative} then names.
     */
    final double[][] allocateNonNegative(String kind, double initialValue) {
        return allocate(kind, initialValue, true);
    }

    private double[][] allocate(String kind, double initialValue, boolean neverNegative) {
        double[][] perParameter = new double[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            perParameter[p] = new double[parameter.size()];
            Arrays.fill(perParameter[p], initialValue);
            arrays.put(kind + "/" + parameter.name(), perParameter[p]);
            if (neverNegative) {
                nonNegative.add(kind + "/" + parameter.name());
            }
        }
        return perParameter;
    }

    /** Counts one more update and returns the new count, the k of step k. */
    final long countStep() {
        return ++steps;
    }

    @Override
    public final Parameters parameters() {
        return parameters;
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double rate) {
        this.learningRate = Checks.positive("learning rate", rate);
    }

    @Override
    public final long steps() {
        return steps;
    }

    /** The arrays by name, in the order they were allocated: live, and the same map on every call. */
    @Override
    public final Map<String, double[]> state() {
        return view;
    }

    @Override
    public final boolean isNonNegative(String name) {
        return nonNegative.contains(name);
    }

    @Override
    public final void restoreSteps(long steps) {
        this.steps = Checks.nonNegative("steps", steps);
    }
}
