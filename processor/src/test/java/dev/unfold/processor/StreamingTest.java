package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.Traceable;
import java.util.List;
import java.util.Random;

/**
 * Streaming, one step per call with the state carried between calls, gives exactly what the
 * forward pass over the whole sequence gives, row for row.
 */
class StreamingTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Tagger",
                    "@Network(input = 3, output = 2)",
                    "public interface Tagger extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 5) Layer lower();",
                    "    @Recurrent(hidden = 4, activation = Activation.RELU) Layer upper();",
                    "}"),
            TestCompiler.inTestPackage("Language",
                    "@Network(input = 7, output = 7, loss = Loss.CROSS_ENTROPY)",
                    "public interface Language extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 5, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Classifier",
                    "@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                    "public interface Classifier extends Encoder, Decoder, dev.unfold.runtime.Classifier, Traceable {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Projected",
                    "@Network(input = 3, output = 2)",
                    "public interface Projected extends Streaming {",
                    "    @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 2) Layer lower();",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 3) Layer upper();",
                    "}"),
            TestCompiler.inTestPackage("Both",
                    "@Network(input = 4, output = 3)",
                    "public interface Both extends Traceable {",
                    "    @Recurrent(hidden = 6) Layer first();",
                    "    @Recurrent(hidden = 6, cell = Cell.GRU) @Bidirectional Layer context();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, 3);
    }

    @EachCompiler
    void stepsGiveTheSequencesRowsExactly(TestCompiler compiler) {
        var net = (Encoder & Decoder & Traceable) network(compiler, "Tagger");
        double[][] xs = gaussian(new Random(1), 9, 3);
        double[][] ys = new double[9][2];
        net.forward(xs, ys);
        double[] y = new double[2];
        for (int pass = 0; pass < 2; pass++) { // the second pass shows resetState forgets everything
            net.resetState();
            for (int t = 0; t < xs.length; t++) {
                net.step(xs[t], y);
                assertArrayEquals(ys[t], y, 0.0, "step " + (t + 1));
            }
        }
    }

    /**
     * An LSTM that projects its state streams as it runs over the whole sequence, and carries
     * h (P values) and c (H values) of each layer: stateSize, saveState and restoreState lay them
     * out per state, each of its own size.
     */
    @EachCompiler
    void projectedStatesStreamAndSaveAtTheirOwnSizes(TestCompiler compiler) {
        Streaming net = network(compiler, "Projected");
        assertEquals(2 + 5 + 3 + 4, net.stateSize(), "[h (P = 2), c (H = 5)] and [h (P = 3), c (H = 4)]");
        double[][] xs = gaussian(new Random(4), 10, 3);
        double[][] ys = new double[10][2];
        net.forward(xs, ys);
        net.resetState();
        double[] y = new double[2];
        double[] saved = new double[net.stateSize()];
        double[][] resumed = new double[10][2];
        for (int t = 0; t < xs.length; t++) {
            net.step(xs[t], y);
            assertArrayEquals(ys[t], y, 0.0, "step " + (t + 1));
            if (t == 4) {
                net.saveState(saved, 0);
            }
        }
        // from the state after step 5, the rest of the sequence again
        net.restoreState(saved, 0);
        for (int t = 5; t < xs.length; t++) {
            net.step(xs[t], resumed[t]);
            assertArrayEquals(ys[t], resumed[t], 0.0, "resumed step " + (t + 1));
        }
    }

    @EachCompiler
    void tokensThroughAnLstmUnderAGru(TestCompiler compiler) {
        var net = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Language");
        int[] tokens = new Random(2).ints(12, 0, 7).toArray();
        double[][] ys = new double[12][7];
        net.forward(tokens, ys);
        net.resetState();
        double[] y = new double[7];
        for (int t = 0; t < tokens.length; t++) {
            net.step(tokens[t], y);
            assertArrayEquals(ys[t], y, 0.0, "step " + (t + 1));
        }
    }

    @EachCompiler
    void manyToOneAnswersForTheSequenceSoFar(TestCompiler compiler) {
        var net = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Classifier");
        double[][] xs = gaussian(new Random(3), 8, 4);
        double[] y = new double[3];
        net.resetState();
        for (int t = 0; t < xs.length; t++) {
            net.step(xs[t], y);
            double[][] prefix = java.util.Arrays.copyOf(xs, t + 1);
            double[][] whole = new double[1][3];
            net.forward(prefix, whole);
            assertArrayEquals(whole[0], y, 0.0, "after step " + (t + 1));
        }
    }

    /**
     * A bidirectional network cannot stream, and has no streaming methods to refuse: it is no
     * Streaming, and declaring it one is a compile error (DeclarationErrorsTest).
     */
    @EachCompiler
    void aBidirectionalNetworkHasNoStreamingMethods(TestCompiler compiler) {
        Traceable net = network(compiler, "Both");
        assertFalse(net instanceof Streaming);
        assertThrows(NoSuchMethodException.class, () -> net.getClass().getMethod("step", double[].class, double[].class));
        assertThrows(NoSuchMethodException.class, () -> net.getClass().getMethod("resetState"));
    }

    @EachCompiler
    void badStepArgumentsNameExpectedAndActual(TestCompiler compiler) {
        var net = (Encoder & Decoder & Traceable) network(compiler, "Tagger");
        assertEquals("x has 2 values, expected 3 (the network's input size)", assertThrows(
                IllegalArgumentException.class, () -> net.step(new double[2], new double[2])).getMessage());
        assertEquals("y has 3 values, expected 2 (the network's output size)", assertThrows(
                IllegalArgumentException.class, () -> net.step(new double[3], new double[3])).getMessage());
        assertEquals("x[1] is NaN: inputs must be finite", assertThrows(IllegalArgumentException.class,
                () -> net.step(new double[] {0, Double.NaN, 0}, new double[2])).getMessage());
        var language = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Language");
        assertEquals("token is 7, outside the vocabulary [0, 7) of the network's input size", assertThrows(
                IllegalArgumentException.class, () -> language.step(7, new double[7])).getMessage());
    }

    private static double[][] gaussian(Random random, int rows, int columns) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return values;
    }
}
