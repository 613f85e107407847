package dev.unfold.runtime.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Examples 0..n−1 divided into a training set and a validation set, at random but reproducibly: the
 * same n, fraction and seed always give the same two sets, on every JVM.
 *
 * <p>The indices are shuffled by {@link Shuffle#inPlace} with a {@code new Random(seed)}; the last
 * round(fraction · n) of them (halves rounded up) are the validation set, the rest the training
 * set. Each set is returned in increasing order; shuffle the training order every epoch with
 * {@link Shuffle#inPlace}:
 *
 * <pre>
 * Split split = Split.of(examples.size(), 0.1, seed);
 * int[] order = split.training();
 * for (int epoch = 1; epoch &lt;= epochs; epoch++) {
 *     Shuffle.inPlace(order, random);
 *     for (int i : order) { ... }
 * }
 * </pre>
 */
public final class Split {
    private final int[] training;
    private final int[] validation;

    private Split(int[] training, int[] validation) {
        this.training = training;
        this.validation = validation;
    }

    /**
     * Splits {@code examples} indices, holding out {@code validationFraction} of them for validation.
     *
     * @param validationFraction in [0, 1); 0 holds nothing out
     * @throws IllegalArgumentException if there are no examples, the fraction is outside [0, 1), or
     *     it would leave no example to train on
     */
    public static Split of(int examples, double validationFraction, long seed) {
        if (examples <= 0) {
            throw new IllegalArgumentException("there are " + examples + " examples, expected at least 1 to split");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + validationFraction);
        }
        int validationCount = (int) Math.round(validationFraction * examples);
        if (validationCount == examples) {
            throw new IllegalArgumentException("a validation fraction of " + validationFraction + " holds out all "
                    + examples + " examples, leaving none to train on");
        }
        int[] order = Shuffle.identity(examples);
        Shuffle.inPlace(order, new Random(seed));
        int trainingCount = examples - validationCount;
        int[] training = Arrays.copyOfRange(order, 0, trainingCount);
        int[] validation = Arrays.copyOfRange(order, trainingCount, examples);
        Arrays.sort(training);
        Arrays.sort(validation);
        return new Split(training, validation);
    }

    /** The training indices in increasing order: a fresh copy, yours to shuffle. */
    public int[] training() {
        return training.clone();
    }

    /** The validation indices in increasing order: a fresh copy. */
    public int[] validation() {
        return validation.clone();
    }

    public int trainingSize() {
        return training.length;
    }

    public int validationSize() {
        return validation.length;
    }

    @Override
    public String toString() {
        return "Split[" + training.length + " training, " + validation.length + " validation]";
    }
}
