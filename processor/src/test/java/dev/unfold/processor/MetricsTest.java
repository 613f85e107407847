package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.metrics.Classification;
import dev.unfold.runtime.metrics.Metric;
import dev.unfold.runtime.metrics.Predictor;
import dev.unfold.runtime.metrics.Regression;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Predictions and metrics on real generated networks, in both precisions, against values this test
 * computes itself: the argmax of each sequence's own single-sequence {@code forward}, and the
 * metrics by their definitions (equations.md section 17) written out naively. The data's sequences
 * differ in length and run in masked batches, so a row past a sequence's end, if it were counted,
 * would show.
 */
class MetricsTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Tagger",
                    "@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY)",
                    "public interface Tagger extends Classifier {",
                    "    @Recurrent(hidden = 6, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("FloatTagger",
                    "@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)",
                    "public interface FloatTagger extends Classifier {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Reader",
                    "@Network(input = 7, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                    "public interface Reader extends Classifier {",
                    "    @Recurrent(hidden = 5) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("FloatReader",
                    "@Network(input = 7, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE,",
                    "        precision = Precision.FLOAT32)",
                    "public interface FloatReader extends Classifier {",
                    "    @Recurrent(hidden = 5, cell = Cell.GRU) @Bidirectional Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Forecast",
                    "@Network(input = 2, output = 2)",
                    "public interface Forecast extends SequenceModel {",
                    "    @Recurrent(hidden = 5) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("FloatForecast",
                    "@Network(input = 2, output = 2, precision = Precision.FLOAT32)",
                    "public interface FloatForecast extends SequenceModel {",
                    "    @Recurrent(hidden = 5, cell = Cell.LSTM) Layer lstm();",
                    "}")));

    /**
     * A network with its initial weights scaled by 4, so that its outputs, and the classes it
     * predicts, vary from sequence to sequence as a trained network's do.
     */
    static <T extends SequenceModel> T network(String name, long seed) {
        T net = TestCompiler.instantiate(NETWORKS.loader(TestCompiler.JAVAC), "test.Unfolded" + name, seed);
        for (Parameter parameter : net.parameters()) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setValue(i, 4 * parameter.value(i));
            }
        }
        return net;
    }

    /** Sequences of 1 to {@code maxLength} steps of Gaussian values (scaled up, for confident outputs). */
    static double[][][] sequences(Random random, int count, int width, int maxLength) {
        double[][][] xs = new double[count][][];
        for (int s = 0; s < count; s++) {
            xs[s] = new double[1 + random.nextInt(maxLength)][width];
            for (double[] x : xs[s]) {
                for (int j = 0; j < width; j++) {
                    x[j] = 2 * random.nextGaussian();
                }
            }
        }
        return xs;
    }

    static float[][][] toFloat(double[][][] xs) {
        float[][][] floats = new float[xs.length][][];
        for (int s = 0; s < xs.length; s++) {
            floats[s] = new float[xs[s].length][];
            for (int t = 0; t < xs[s].length; t++) {
                floats[s][t] = new float[xs[s][t].length];
                for (int j = 0; j < xs[s][t].length; j++) {
                    floats[s][t][j] = (float) xs[s][t][j];
                }
            }
        }
        return floats;
    }

    static int[][] labels(Random random, SequenceModel net, int[] lengths) {
        int[][] labels = new int[lengths.length][];
        for (int s = 0; s < lengths.length; s++) {
            labels[s] = random.ints(net.outputSteps(lengths[s]), 0, net.outputSize()).toArray();
        }
        return labels;
    }

    static int[] lengths(Object[] sequences) {
        return Arrays.stream(sequences).mapToInt(s -> s instanceof int[] tokens ? tokens.length : ((Object[]) s).length)
                .toArray();
    }

    /** The network's probabilities for one sequence, by its single-sequence forward, widened to double. */
    static double[][] probabilities(SequenceModel net, Object sequence) {
        int rows = net.outputSteps(sequence instanceof int[] tokens ? tokens.length : ((Object[]) sequence).length);
        if (net.precision() == Precision.FLOAT32) {
            float[][] ys = new float[rows][net.outputSize()];
            if (sequence instanceof int[] tokens) {
                net.forward(tokens, ys);
            } else {
                net.forward((float[][]) sequence, ys);
            }
            double[][] wide = new double[rows][net.outputSize()];
            for (int t = 0; t < rows; t++) {
                for (int k = 0; k < ys[t].length; k++) {
                    wide[t][k] = ys[t][k];
                }
            }
            return wide;
        }
        double[][] ys = new double[rows][net.outputSize()];
        if (sequence instanceof int[] tokens) {
            net.forward(tokens, ys);
        } else {
            net.forward((double[][]) sequence, ys);
        }
        return ys;
    }

    /** The first index of the largest value, written out as the definition (17.1) says. */
    static int naiveArgmax(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double p : row) {
            max = Math.max(max, p);
        }
        for (int k = 0; ; k++) {
            if (row[k] == max) {
                return k;
            }
        }
    }

    static int[][] naivePredictions(SequenceModel net, Object[] sequences) {
        int[][] classes = new int[sequences.length][];
        for (int s = 0; s < sequences.length; s++) {
            double[][] ys = probabilities(net, sequences[s]);
            classes[s] = Arrays.stream(ys).mapToInt(MetricsTest::naiveArgmax).toArray();
        }
        return classes;
    }

    // ---- predict ----

    @Test
    void argmaxTakesTheLowestIndexOfTies() {
        assertEquals(0, Predictor.argmax(new double[] {0.5, 0.5}));
        assertEquals(1, Predictor.argmax(new double[] {0.2, 0.4, 0.4}));
        assertEquals(2, Predictor.argmax(new double[] {0.1, 0.2, 0.7}));
        assertEquals(1, Predictor.argmax(new float[] {0.25f, 0.375f, 0.375f}));
        assertEquals(1, Predictor.argmax(new double[] {Double.NaN, 0.3, 0.3}), "NaN is never the largest");
    }

    @Test
    void predictGivesTheArgmaxOfEachRowForSequencesAndBatchesInBothPrecisions() {
        Random random = new Random(11);
        double[][][] xs = sequences(random, 9, 3, 6);
        int[][] tokens = new int[9][];
        for (int s = 0; s < tokens.length; s++) {
            tokens[s] = random.ints(1 + random.nextInt(8), 0, 7).toArray();
        }
        assertPredicts(network("Tagger", 3), xs);
        assertPredicts(network("FloatTagger", 3), toFloat(xs));
        assertPredicts(network("Reader", 3), tokens);        // many-to-one: one class per sequence
        assertPredicts(network("FloatReader", 3), tokens);
        assertPredicts(network("Reader", 4), oneHot(tokens, 7));   // dense input, many-to-one
    }

    private static double[][][] oneHot(int[][] tokens, int vocabulary) {
        double[][][] xs = new double[tokens.length][][];
        for (int s = 0; s < tokens.length; s++) {
            xs[s] = new double[tokens[s].length][vocabulary];
            for (int t = 0; t < tokens[s].length; t++) {
                xs[s][t][tokens[s][t]] = 1;
            }
        }
        return xs;
    }

    private static void assertPredicts(Classifier net, Object[] sequences) {
        int[][] expected = naivePredictions(net, sequences);
        Predictor predictor = new Predictor(net);
        int[][] filled = new int[sequences.length][];
        for (int s = 0; s < sequences.length; s++) {
            filled[s] = new int[expected[s].length];
            int[] single;
            if (sequences instanceof int[][] tokens) {
                predictor.predict(tokens[s], filled[s]);
                single = predictor.predict(tokens[s]);
            } else if (sequences instanceof float[][][] floats) {
                predictor.predict(floats[s], filled[s]);
                single = predictor.predict(floats[s]);
            } else {
                predictor.predict(((double[][][]) sequences)[s], filled[s]);
                single = predictor.predict(((double[][][]) sequences)[s]);
            }
            assertArrayEquals(expected[s], single, "sequence " + s);
        }
        assertArrayEquals(expected, filled);
        assertArrayEquals(expected, predict(predictor, sequences), "the batch as one masked pass");
        int[][] batchFilled = new int[sequences.length][];
        for (int s = 0; s < sequences.length; s++) {
            batchFilled[s] = new int[expected[s].length];
        }
        if (sequences instanceof int[][] tokens) {
            predictor.predict(tokens, batchFilled);
        } else if (sequences instanceof float[][][] floats) {
            predictor.predict(floats, batchFilled);
        } else {
            predictor.predict((double[][][]) sequences, batchFilled);
        }
        assertArrayEquals(expected, batchFilled);
        // not every prediction the same class: the comparison would hold for a constant network too
        assertTrue(Arrays.stream(expected).flatMapToInt(Arrays::stream).distinct().count() > 1,
                Arrays.deepToString(expected));
    }

    /** The predictor's classes for a batch of sequences of any kind. */
    private static int[][] predict(Predictor predictor, Object[] sequences) {
        if (sequences instanceof int[][] tokens) {
            return predictor.predict(tokens);
        }
        return sequences instanceof float[][][] floats ? predictor.predict(floats)
                : predictor.predict((double[][][]) sequences);
    }

    @Test
    void predictRefusesArraysThatDoNotFitAndWritesNothing() {
        Classifier tagger = network("Tagger", 3);
        Predictor predictor = new Predictor(tagger);
        double[][] five = new double[5][3];
        int[] classes = {-7, -7, -7};
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(five, classes));
        assertEquals("classes has 3 entries, expected 5 (one class per input step)", thrown.getMessage());
        assertArrayEquals(new int[] {-7, -7, -7}, classes);

        thrown = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[5][3], new int[5]));
        assertTrue(thrown.getMessage().contains("computes in FLOAT64: call predict with double arrays, not float"),
                thrown.getMessage());
        thrown = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new double[0][], new int[0]));
        assertEquals("xs is empty: a sequence needs at least one step", thrown.getMessage());
        thrown = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new double[][] {{1, 2}}));
        assertEquals("xs[0] has 2 values, expected 3 (the network's input size)", thrown.getMessage());

        // a batch with an empty or missing sequence: the network's own check names it
        thrown = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new double[][][] {five, new double[0][]}));
        assertEquals("sequence 1 of the batch: xs is empty: a sequence needs at least one step", thrown.getMessage());
        thrown = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new double[][][] {null, five}));
        assertTrue(thrown.getMessage().startsWith("sequence 0 of the batch"), thrown.getMessage());

        Classifier reader = network("Reader", 3);
        Predictor readerPredictor = new Predictor(reader);
        thrown = assertThrows(IllegalArgumentException.class, () -> readerPredictor.predict(new int[] {1}, new int[2]));
        assertEquals("classes has 2 entries, expected 1 (a many-to-one network predicts one class per sequence)",
                thrown.getMessage());
        int[][] batchClasses = {{-7}, {-7, -7}};
        thrown = assertThrows(IllegalArgumentException.class,
                () -> readerPredictor.predict(new int[][] {{1, 2}, {3, 4, 5}}, batchClasses));
        assertEquals("classes[1] has 2 entries, expected 1 (a many-to-one network predicts one class per sequence)",
                thrown.getMessage());
        assertArrayEquals(new int[][] {{-7}, {-7, -7}}, batchClasses);
        thrown = assertThrows(IllegalArgumentException.class,
                () -> readerPredictor.predict(new int[][] {{1, 2}, {3, 4, 5}}, new int[][] {{0}}));
        assertEquals("classes has 1 arrays, expected 2 (one per sequence of the batch)", thrown.getMessage());
        thrown = assertThrows(IllegalArgumentException.class, () -> readerPredictor.predict(new int[] {1, 9}));
        assertEquals("tokens[1] is 9, outside the vocabulary [0, 7) of the network's input size", thrown.getMessage());
    }

    // ---- classification metrics ----

    /** The metrics written out from their definitions, (17.2)–(17.5), for K classes. */
    private record Naive(double accuracy, double[] precision, double[] recall, double[] f1, double macroPrecision,
                         double macroRecall, double macroF1, long[][] confusion) {
        static Naive of(int classes, int[][] predicted, int[][] labels) {
            long[][] confusion = new long[classes][classes];
            int rows = 0;
            int correct = 0;
            for (int s = 0; s < labels.length; s++) {
                for (int t = 0; t < labels[s].length; t++) {
                    confusion[labels[s][t]][predicted[s][t]]++;
                    rows++;
                    correct += labels[s][t] == predicted[s][t] ? 1 : 0;
                }
            }
            double[] precision = new double[classes];
            double[] recall = new double[classes];
            double[] f1 = new double[classes];
            double[] sums = new double[3];
            int present = 0;
            for (int k = 0; k < classes; k++) {
                int tp = 0;
                int predictedK = 0;
                int labelledK = 0;
                for (int s = 0; s < labels.length; s++) {
                    for (int t = 0; t < labels[s].length; t++) {
                        tp += labels[s][t] == k && predicted[s][t] == k ? 1 : 0;
                        predictedK += predicted[s][t] == k ? 1 : 0;
                        labelledK += labels[s][t] == k ? 1 : 0;
                    }
                }
                precision[k] = predictedK == 0 ? 0 : (double) tp / predictedK;
                recall[k] = labelledK == 0 ? 0 : (double) tp / labelledK;
                f1[k] = precision[k] + recall[k] == 0 ? 0 : 2 * precision[k] * recall[k] / (precision[k] + recall[k]);
                if (predictedK + labelledK > 0) {
                    present++;
                    sums[0] += precision[k];
                    sums[1] += recall[k];
                    sums[2] += f1[k];
                }
            }
            return new Naive((double) correct / rows, precision, recall, f1, sums[0] / present, sums[1] / present,
                    sums[2] / present, confusion);
        }
    }

    private static void assertMatches(Naive naive, Classification measured) {
        assertEquals(naive.accuracy(), measured.accuracy(), 1e-15);
        for (int k = 0; k < measured.classes(); k++) {
            assertEquals(naive.precision()[k], measured.precision(k), 1e-15, "precision of " + k);
            assertEquals(naive.recall()[k], measured.recall(k), 1e-15, "recall of " + k);
            assertEquals(naive.f1()[k], measured.f1(k), 1e-15, "F1 of " + k);
        }
        assertEquals(naive.macroPrecision(), measured.macroPrecision(), 1e-15);
        assertEquals(naive.macroRecall(), measured.macroRecall(), 1e-15);
        assertEquals(naive.macroF1(), measured.macroF1(), 1e-15);
        assertArrayEquals(naive.confusion(), measured.confusion());
    }

    @Test
    void classificationOverMinibatchesMatchesTheDefinitionsInBothPrecisions() {
        Random random = new Random(5);
        double[][][] xs = sequences(random, 23, 3, 7);
        int[][] tokens = new int[17][];
        for (int s = 0; s < tokens.length; s++) {
            tokens[s] = random.ints(1 + random.nextInt(9), 0, 7).toArray();
        }
        Classifier tagger = network("Tagger", 3);
        int[][] tagLabels = labels(random, tagger, lengths(xs));
        assertClassification(tagger, xs, tagLabels, Minibatches.of(tagger, xs, tagLabels, 4));
        Classifier floatTagger = network("FloatTagger", 3);
        float[][][] floatXs = toFloat(xs);
        assertClassification(floatTagger, floatXs, tagLabels, Minibatches.of(floatTagger, floatXs, tagLabels, 5));
        Classifier reader = network("Reader", 3);
        int[][] readLabels = labels(random, reader, lengths(tokens));
        assertClassification(reader, tokens, readLabels, Minibatches.of(reader, tokens, readLabels, 6));
        Classifier floatReader = network("FloatReader", 3);
        assertClassification(floatReader, tokens, readLabels, Minibatches.of(floatReader, tokens, readLabels, 17));
    }

    private static void assertClassification(Classifier net, Object[] sequences, int[][] labels, Minibatches data) {
        int[][] predicted = naivePredictions(net, sequences);
        Naive naive = Naive.of(net.outputSize(), predicted, labels);
        Classification measured = Classification.of(data);
        assertMatches(naive, measured);
        assertEquals(Arrays.stream(labels).mapToInt(l -> l.length).sum(), measured.count(), "masked rows never count");
        assertEquals(naive.accuracy(), Metric.ACCURACY.measure(data), 1e-15);
        assertEquals(naive.macroF1(), Metric.MACRO_F1.measure(data), 1e-15);
        assertMatches(naive, Classification.of(net.outputSize(), predict(new Predictor(net), sequences), labels));
        // perplexity: e to the mean −log p of each label, from the forward pass's probabilities
        double sum = 0;
        int rows = 0;
        for (int s = 0; s < sequences.length; s++) {
            double[][] ys = probabilities(net, sequences[s]);
            for (int t = 0; t < ys.length; t++) {
                sum -= Math.log(ys[t][labels[s][t]]);
                rows++;
            }
        }
        double tolerance = net.precision() == Precision.FLOAT32 ? 1e-5 : 1e-12;
        assertEquals(Math.exp(sum / rows), Metric.PERPLEXITY.measure(data), tolerance * Math.exp(sum / rows));
        assertEquals(sum / rows, Metric.LOSS.measure(data), tolerance);
    }

    @Test
    void classificationByHandWithAClassNeverPredictedAndOneAbsent() {
        // labels 0 0 1 1 2 | 2, predicted 0 1 1 1 0 | 1; class 3 neither labelled nor predicted
        Classification c = Classification.of(4, new int[][] {{0, 1, 1, 1, 0}, {1}}, new int[][] {{0, 0, 1, 1, 2}, {2}});
        assertEquals(6, c.count());
        assertArrayEquals(new long[][] {{1, 1, 0, 0}, {0, 2, 0, 0}, {1, 1, 0, 0}, {0, 0, 0, 0}}, c.confusion());
        assertEquals(3.0 / 6, c.accuracy(), 0.0);
        assertEquals(1.0 / 2, c.precision(0), 0.0);   // predicted 0 twice, right once
        assertEquals(2.0 / 4, c.precision(1), 0.0);   // predicted 1 four times, right twice
        assertEquals(0.0, c.precision(2), 0.0);       // never predicted: zero_division = 0
        assertEquals(1.0 / 2, c.recall(0), 0.0);
        assertEquals(1.0, c.recall(1), 0.0);
        assertEquals(0.0, c.recall(2), 0.0);
        assertEquals(0.5, c.f1(0), 0.0);
        assertEquals(2 * 0.5 * 1.0 / 1.5, c.f1(1), 1e-15);
        assertEquals(0.0, c.f1(2), 0.0);
        assertEquals(0.0, c.f1(3), 0.0);
        // the averages over the three classes that occur (scikit-learn's macro average), not four
        assertEquals((0.5 + 0.5 + 0) / 3, c.macroPrecision(), 1e-15);
        assertEquals((0.5 + 1 + 0) / 3, c.macroRecall(), 1e-15);
        assertEquals((0.5 + 2.0 / 3 + 0) / 3, c.macroF1(), 1e-15);
        assertEquals(2, c.support(1));
        assertEquals(2, c.support(0));
        assertEquals(4, c.predictions(1));
    }

    @Test
    void classificationRefusesWhatDoesNotFit() {
        assertEquals("labels[1][0] is 4, outside the classes [0, 4)", assertThrows(IllegalArgumentException.class,
                () -> Classification.of(4, new int[][] {{0}, {1}}, new int[][] {{0}, {4}})).getMessage());
        assertEquals("predicted[0][1] is -1, outside the classes [0, 4)", assertThrows(IllegalArgumentException.class,
                () -> Classification.of(4, new int[][] {{0, -1}}, new int[][] {{0, 1}})).getMessage());
        assertEquals("predicted[0] has 1 classes, expected 2 (one per label of labels[0])",
                assertThrows(IllegalArgumentException.class,
                        () -> Classification.of(4, new int[][] {{0}}, new int[][] {{0, 1}})).getMessage());
        assertEquals("predicted has 1 sequences, expected 2 (one per sequence of labels)",
                assertThrows(IllegalArgumentException.class,
                        () -> Classification.of(4, new int[][] {{0}}, new int[][] {{0}, {1}})).getMessage());
        assertEquals("labels hold no class at all (0 sequences, all empty): a metric needs at least one labelled row",
                assertThrows(IllegalArgumentException.class,
                        () -> Classification.of(4, new int[0][], new int[0][])).getMessage());
        assertEquals("class is 4, outside the classes [0, 4)", assertThrows(IllegalArgumentException.class,
                () -> Classification.of(4, new int[][] {{0}}, new int[][] {{0}}).precision(4)).getMessage());

        // a regression network's data has no classes; a classifier's has no dense targets
        SequenceModel forecast = network("Forecast", 1);
        double[][][] xs = sequences(new Random(1), 4, 2, 3);
        Minibatches dense = Minibatches.of(forecast, xs, xs, 2);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> Classification.of(dense));
        assertTrue(thrown.getMessage().startsWith("accuracy, precision, recall and F1 compare predicted classes with"
                + " class labels, but the data has dense targets"), thrown.getMessage());
        thrown = assertThrows(IllegalArgumentException.class, () -> Metric.ACCURACY.measure(dense));
        assertTrue(thrown.getMessage().startsWith("accuracy compare"), thrown.getMessage());
        thrown = assertThrows(IllegalArgumentException.class, () -> Metric.PERPLEXITY.measure(dense));
        assertTrue(thrown.getMessage().startsWith("perplexity is e to a mean cross-entropy, but the data has dense"),
                thrown.getMessage());
        Classifier tagger = network("Tagger", 1);
        double[][][] threeWide = sequences(new Random(1), 4, 3, 3);
        Minibatches labelled = Minibatches.of(tagger, threeWide, labels(new Random(2), tagger, lengths(threeWide)), 2);
        thrown = assertThrows(IllegalArgumentException.class, () -> Regression.of(labelled));
        assertTrue(thrown.getMessage().startsWith("MSE and MAE compare outputs with dense targets, but the data has"
                + " class labels"), thrown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metric.MAE.measure(labelled));
    }

    // ---- under the trainer, in float32 ----

    @Test
    void aFloat32TrainerFollowsMacroF1AndMaeInTheirDirections() throws java.io.IOException {
        Random random = new Random(21);
        float[][][] xs = toFloat(sequences(random, 30, 3, 6));
        float[][][] heldOut = toFloat(sequences(random, 11, 3, 6));
        Classifier tagger = network("FloatTagger", 2);
        int[][] labels = labels(random, tagger, lengths(xs));
        int[][] heldOutLabels = labels(random, tagger, lengths(heldOut));
        List<double[]> f1s = new ArrayList<>();   // {expected, measured, improved}
        new Trainer(tagger, new Adam(tagger.parameters(), 0.02)).epochs(5).seed(3)
                .validation(Minibatches.of(tagger, heldOut, heldOutLabels, 4), 0)
                .validateOn(Metric.MACRO_F1)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        double expected = Naive.of(4, naivePredictions(tagger, heldOut), heldOutLabels).macroF1();
                        f1s.add(new double[] {expected, report.metricValue(), report.improved() ? 1 : 0});
                    }
                })
                .fit(Minibatches.of(tagger, xs, labels, 8));
        double best = Double.NEGATIVE_INFINITY;
        for (double[] epoch : f1s) {
            assertEquals(epoch[0], epoch[1], 1e-15);
            assertEquals(epoch[0] > best ? 1 : 0, epoch[2], 0.0, "higher is better");
            best = Math.max(best, epoch[0]);
        }

        SequenceModel forecast = network("FloatForecast", 2);
        float[][][] targets = toFloat(sequences(random, 30, 2, 1));
        float[][][] inputs = toFloat(sequences(random, 30, 2, 1));
        float[][][] heldOutInputs = toFloat(sequences(random, 9, 2, 1));
        float[][][] heldOutTargets = toFloat(sequences(random, 9, 2, 1));
        for (int s = 0; s < inputs.length; s++) {   // one-step sequences: each target row its input's
            targets[s] = new float[][] {{inputs[s][0][1], -inputs[s][0][0]}};
        }
        for (int s = 0; s < heldOutInputs.length; s++) {
            heldOutTargets[s] = new float[][] {{heldOutInputs[s][0][1], -heldOutInputs[s][0][0]}};
        }
        List<double[]> maes = new ArrayList<>();
        new Trainer(forecast, new Adam(forecast.parameters(), 0.01)).epochs(6).seed(3)
                .validation(Minibatches.of(forecast, heldOutInputs, heldOutTargets, 4), 0)
                .validateOn(Metric.MAE)
                .listener(new TrainingListener() {
                    @Override
                    public void epochEnded(EpochReport report) {
                        double sum = 0;
                        for (int s = 0; s < heldOutInputs.length; s++) {
                            double[][] ys = probabilities(forecast, heldOutInputs[s]);
                            sum += Math.abs(ys[0][0] - heldOutTargets[s][0][0]) + Math.abs(ys[0][1] - heldOutTargets[s][0][1]);
                        }
                        maes.add(new double[] {sum / (2 * heldOutInputs.length), report.metricValue(),
                                report.improved() ? 1 : 0});
                    }
                })
                .fit(Minibatches.of(forecast, inputs, targets, 8));
        double lowest = Double.POSITIVE_INFINITY;
        for (double[] epoch : maes) {
            assertEquals(epoch[0], epoch[1], 1e-6);
            assertEquals(epoch[1] < lowest ? 1 : 0, epoch[2], 0.0, "lower is better");
            lowest = Math.min(lowest, epoch[1]);
        }
        assertTrue(maes.get(maes.size() - 1)[1] < maes.get(0)[1], "the MAE falls as it learns");
    }

    // ---- regression metrics ----

    @Test
    void regressionOverMinibatchesMatchesTheDefinitionsInBothPrecisions() {
        Random random = new Random(8);
        double[][][] xs = sequences(random, 19, 2, 8);
        double[][][] targets = new double[xs.length][][];
        for (int s = 0; s < xs.length; s++) {
            targets[s] = new double[xs[s].length][2];
            for (double[] row : targets[s]) {
                row[0] = random.nextGaussian();
                row[1] = random.nextGaussian();
            }
        }
        SequenceModel forecast = network("Forecast", 3);
        assertRegression(forecast, xs, targets, Minibatches.of(forecast, xs, targets, 4));
        SequenceModel floatForecast = network("FloatForecast", 3);
        float[][][] floatXs = toFloat(xs);
        float[][][] floatTargets = toFloat(targets);
        assertRegression(floatForecast, floatXs, toDouble(floatTargets),
                Minibatches.of(floatForecast, floatXs, floatTargets, 7));
    }

    private static double[][][] toDouble(float[][][] values) {
        double[][][] wide = new double[values.length][][];
        for (int s = 0; s < values.length; s++) {
            wide[s] = new double[values[s].length][];
            for (int t = 0; t < values[s].length; t++) {
                wide[s][t] = new double[values[s][t].length];
                for (int k = 0; k < values[s][t].length; k++) {
                    wide[s][t][k] = values[s][t][k];
                }
            }
        }
        return wide;
    }

    private static void assertRegression(SequenceModel net, Object[] sequences, double[][][] targets,
                                         Minibatches data) {
        double squared = 0;
        double absolute = 0;
        int values = 0;
        for (int s = 0; s < sequences.length; s++) {
            double[][] ys = probabilities(net, sequences[s]);
            for (int t = 0; t < ys.length; t++) {
                for (int k = 0; k < ys[t].length; k++) {
                    double error = ys[t][k] - targets[s][t][k];
                    squared += error * error;
                    absolute += Math.abs(error);
                    values++;
                }
            }
        }
        Regression measured = Regression.of(data);
        assertEquals(values, measured.count());
        double tolerance = net.precision() == Precision.FLOAT32 ? 1e-6 : 1e-13;
        assertEquals(squared / values, measured.mse(), tolerance);
        assertEquals(absolute / values, measured.mae(), tolerance);
        assertEquals(Math.sqrt(squared / values), measured.rmse(), tolerance);
        assertEquals(squared / values, Metric.MSE.measure(data), tolerance);
        assertEquals(absolute / values, Metric.MAE.measure(data), tolerance);
        // the MSE loss sums a row's K outputs: the mean loss per row is K times the MSE
        assertEquals(net.outputSize() * squared / values, Metric.LOSS.measure(data), tolerance * 10);
    }
}
