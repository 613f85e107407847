package dev.unfold.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One training sequence with its targets, as an element of the {@code JavaRDD} a
 * {@link SparkMinibatches} trains on: the same pairs {@code Minibatches.of} takes as arrays. Inputs are
 * dense rows ({@code double[][]} for a float64 network, {@code float[][]} for a float32 one) or token
 * indices ({@code int[]}); targets are dense rows, one per output, or class labels ({@code int[]}), one
 * per output. All the examples of one data set must be of one kind. The arrays are kept, not copied:
 * do not change them once the RDD is built.
 */
public final class Example implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Object input;
    private final Object target;

    private Example(Object input, String inputName, Object target, String targetName) {
        this.input = Objects.requireNonNull(input, inputName);
        this.target = Objects.requireNonNull(target, targetName);
    }

    /** Dense steps and dense targets (float64). */
    public static Example of(double[][] xs, double[][] targets) {
        return new Example(xs, "xs", targets, "targets");
    }

    /** Dense steps and class labels (float64). */
    public static Example of(double[][] xs, int[] labels) {
        return new Example(xs, "xs", labels, "labels");
    }

    /** Dense steps and dense targets (float32). */
    public static Example of(float[][] xs, float[][] targets) {
        return new Example(xs, "xs", targets, "targets");
    }

    /** Dense steps and class labels (float32). */
    public static Example of(float[][] xs, int[] labels) {
        return new Example(xs, "xs", labels, "labels");
    }

    /** Tokens and dense targets (float64). */
    public static Example of(int[] tokens, double[][] targets) {
        return new Example(tokens, "tokens", targets, "targets");
    }

    /** Tokens and dense targets (float32). */
    public static Example of(int[] tokens, float[][] targets) {
        return new Example(tokens, "tokens", targets, "targets");
    }

    /** Tokens and class labels, for a network of either precision. */
    public static Example of(int[] tokens, int[] labels) {
        return new Example(tokens, "tokens", labels, "labels");
    }

    /** The steps: {@code double[][]}, {@code float[][]} or {@code int[]}. */
    Object input() {
        return input;
    }

    /** The targets: {@code double[][]}, {@code float[][]} or {@code int[]} labels. */
    Object target() {
        return target;
    }

    /** What kind of example this is, in the words of error messages: "int[] tokens with int[] labels". */
    String kind() {
        return describe(input.getClass(), target.getClass());
    }

    static String describe(Class<?> input, Class<?> target) {
        String inputs = input == int[].class ? "int[] tokens" : input.getSimpleName() + " steps";
        String targets = target == int[].class ? "int[] labels" : target.getSimpleName() + " targets";
        return inputs + " with " + targets;
    }
}
