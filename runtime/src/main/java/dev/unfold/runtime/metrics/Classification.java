package dev.unfold.runtime.metrics;

import dev.unfold.runtime.data.Minibatches;
import java.util.Locale;
import java.util.Objects;

/**
 * How well a classifier's predictions match the labels: the confusion matrix and what it gives,
 * accuracy, each class's precision, recall and F1, and their macro averages (equations.md section
 * 17). Every output row counts once (each step of each sequence, or each sequence for a
 * many-to-one network); rows past a sequence's end do not exist here and are never counted.
 *
 * <p>A ratio whose denominator is 0 (the precision of a class never predicted, the recall of a
 * class never labelled, the F1 of a class neither) is reported as 0, as scikit-learn's
 * {@code zero_division=0} does. The macro averages are over the classes that occur among the labels
 * or the predictions (scikit-learn's default), so that a class absent from both does not count as a
 * failure.
 */
public final class Classification {
    /** {@code confusion[label][predicted]}: how many rows of class {@code label} were predicted as {@code predicted}. */
    private final long[][] confusion;
    private final long count;

    private Classification(long[][] confusion) {
        this.confusion = confusion;
        long rows = 0;
        for (long[] row : confusion) {
            for (long n : row) {
                rows += n;
            }
        }
        this.count = rows;
    }

    /**
     * The metrics of the network {@code data} was built for, over every sequence of it, computed
     * by {@link Minibatches#forEachOutput} (masked batches of the data's batch size).
     *
     * @throws IllegalArgumentException if the data has dense targets rather than class labels
     */
    public static Classification of(Minibatches data) {
        Objects.requireNonNull(data, "data");
        requireLabels(data, "accuracy, precision, recall and F1");
        int classes = data.model().outputSize();
        long[][] confusion = new long[classes][classes];
        data.forEachOutput(new Minibatches.OutputVisitor() {
            @Override
            public void row(double[] probabilities, int label) {
                confusion[label][Predictor.argmax(probabilities)]++;
            }

            @Override
            public void row(float[] probabilities, int label) {
                confusion[label][Predictor.argmax(probabilities)]++;
            }
        });
        return new Classification(confusion);
    }

    /**
     * The metrics of predictions made elsewhere (by a {@link Predictor}, say): {@code predicted[s]}
     * and {@code labels[s]} are sequence s's classes and labels, of equal lengths, each in
     * [0, classes). All are checked before anything is counted.
     *
     * @throws IllegalArgumentException if they do not fit, or hold no row at all
     */
    public static Classification of(int classes, int[][] predicted, int[][] labels) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes is " + classes + ", expected at least 2");
        }
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(labels, "labels");
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " sequences, expected "
                    + labels.length + " (one per sequence of labels)");
        }
        for (int s = 0; s < labels.length; s++) {
            Objects.requireNonNull(labels[s], "labels[" + s + "]");
            Objects.requireNonNull(predicted[s], "predicted[" + s + "]");
            if (predicted[s].length != labels[s].length) {
                throw new IllegalArgumentException("predicted[" + s + "] has " + predicted[s].length
                        + " classes, expected " + labels[s].length + " (one per label of labels[" + s + "])");
            }
            inRange("labels", s, labels[s], classes);
            inRange("predicted", s, predicted[s], classes);
        }
        long[][] confusion = new long[classes][classes];
        for (int s = 0; s < labels.length; s++) {
            for (int t = 0; t < labels[s].length; t++) {
                confusion[labels[s][t]][predicted[s][t]]++;
            }
        }
        Classification result = new Classification(confusion);
        if (result.count == 0) {
            throw new IllegalArgumentException("labels hold no class at all (" + labels.length + " sequences, all"
                    + " empty): a metric needs at least one labelled row");
        }
        return result;
    }

    static void requireLabels(Minibatches data, String what) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(what + " compare predicted classes with class labels, but the data"
                    + " has dense targets: build it with Minibatches.of(classifier, ..., int[][] labels, ...) for"
                    + " a network trained with Loss.CROSS_ENTROPY");
        }
    }

    private static void inRange(String name, int s, int[] classes, int count) {
        for (int t = 0; t < classes.length; t++) {
            if (classes[t] < 0 || classes[t] >= count) {
                throw new IllegalArgumentException(name + "[" + s + "][" + t + "] is " + classes[t]
                        + ", outside the classes [0, " + count + ")");
            }
        }
    }

    /** Number of classes K. */
    public int classes() {
        return confusion.length;
    }

    /** Number of rows counted N (outputs with a label). */
    public long count() {
        return count;
    }

    /** How many rows labelled {@code label} were predicted as {@code predicted}. */
    public long count(int label, int predicted) {
        return confusion[requireClass("label", label)][requireClass("predicted", predicted)];
    }

    /** A copy of the confusion matrix: {@code [label][predicted]}, rows the labels, columns the predictions. */
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int k = 0; k < copy.length; k++) {
            copy[k] = confusion[k].clone();
        }
        return copy;
    }

    /** The fraction of rows predicted as their label (equations.md (17.2)). */
    public double accuracy() {
        long correct = 0;
        for (int k = 0; k < confusion.length; k++) {
            correct += confusion[k][k];
        }
        return (double) correct / count;
    }

    /** How many rows are labelled {@code label} (its support). */
    public long support(int label) {
        long rows = 0;
        for (long n : confusion[requireClass("label", label)]) {
            rows += n;
        }
        return rows;
    }

    /** How many rows were predicted as {@code predicted}. */
    public long predictions(int predicted) {
        requireClass("predicted", predicted);
        long rows = 0;
        for (long[] row : confusion) {
            rows += row[predicted];
        }
        return rows;
    }

    /** Of the rows predicted as class k, the fraction labelled k; 0 if none was predicted k (equations.md (17.3)). */
    public double precision(int k) {
        return ratio(confusion[requireClass("class", k)][k], predictions(k));
    }

    /** Of the rows labelled k, the fraction predicted k; 0 if none is labelled k (equations.md (17.3)). */
    public double recall(int k) {
        return ratio(confusion[requireClass("class", k)][k], support(k));
    }

    /**
     * The harmonic mean of class k's precision and recall, 2 TP / (2 TP + FP + FN); 0 if the class is
     * neither labelled nor predicted (equations.md (17.4)).
     */
    public double f1(int k) {
        long truePositives = confusion[requireClass("class", k)][k];
        return ratio(2 * truePositives, support(k) + predictions(k));
    }

    /** The mean of {@link #precision} over the classes that occur (equations.md (17.5)). */
    public double macroPrecision() {
        double sum = 0;
        for (int k = 0; k < confusion.length; k++) {
            sum += occurs(k) ? precision(k) : 0;
        }
        return sum / occurring();
    }

    /** The mean of {@link #recall} over the classes that occur (equations.md (17.5)). */
    public double macroRecall() {
        double sum = 0;
        for (int k = 0; k < confusion.length; k++) {
            sum += occurs(k) ? recall(k) : 0;
        }
        return sum / occurring();
    }

    /** The mean of {@link #f1} over the classes that occur (equations.md (17.5)). */
    public double macroF1() {
        double sum = 0;
        for (int k = 0; k < confusion.length; k++) {
            sum += occurs(k) ? f1(k) : 0;
        }
        return sum / occurring();
    }

    /** Whether class k is among the labels or the predictions. */
    private boolean occurs(int k) {
        return support(k) + predictions(k) > 0;
    }

    private int occurring() {
        int classes = 0;
        for (int k = 0; k < confusion.length; k++) {
            if (occurs(k)) {
                classes++;
            }
        }
        return classes;   // at least 1: a Classification counts at least one row
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private int requireClass(String name, int k) {
        if (k < 0 || k >= confusion.length) {
            throw new IllegalArgumentException(name + " is " + k + ", outside the classes [0, " + confusion.length + ")");
        }
        return k;
    }

    /** Accuracy and the macro averages, e.g. {@code accuracy 0.9375, macro precision 0.9412, ... (N = 64)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "accuracy %.4f, macro precision %.4f, macro recall %.4f, macro F1 %.4f"
                + " (%d rows, %d classes)", accuracy(), macroPrecision(), macroRecall(), macroF1(), count, classes());
    }
}
