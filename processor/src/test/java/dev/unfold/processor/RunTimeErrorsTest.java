package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** A generated network rejects bad arguments with a message naming what it expected and what came. */
class RunTimeErrorsTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
                TestCompiler.source("errors.Regression",
                        "package errors;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 3, output = 2)",
                        "public interface Regression extends Encoder, Decoder, Traceable {",
                        "    @Recurrent(hidden = 4) Layer rnn();",
                        "}"),
                TestCompiler.source("errors.Classifier",
                        "package errors;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 5, output = 3, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                        "public interface Classifier extends Encoder, Decoder, dev.unfold.runtime.Classifier, Traceable {",
                        "    @Recurrent(hidden = 4) Layer rnn();",
                        "}")));

    private static <T extends SequenceModel> T regression(TestCompiler compiler) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "errors.UnfoldedRegression", 1);
    }

    private static Classifier classifier(TestCompiler compiler) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "errors.UnfoldedClassifier", 1);
    }

    private static void assertRejected(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @EachCompiler
    void badBatches(TestCompiler compiler) {
        SequenceModel regression = regression(compiler);
        Classifier classifier = classifier(compiler);
        assertRejected("xs is empty: a batch needs at least one sequence",
                () -> regression.backward(new double[0][][], new double[0][][]));
        assertRejected("targets has 1 sequence, expected 2 (one per input sequence)",
                () -> regression.backward(new double[2][3][3], new double[1][3][2]));
        assertRejected("sequence 1 of the batch: xs[0] has 2 values, expected 3 (the network's input size)",
                () -> regression.forward(new double[][][] {new double[2][3], new double[2][2]}, new double[2][2][2]));
        assertRejected("sequence 1 of the batch: xs is null",
                () -> regression.forward(new double[][][] {new double[2][3], null}, new double[2][2][2]));
        assertRejected("sequence 0 of the batch: labels[0] is 3, outside the classes [0, 3) of the network's output size",
                () -> classifier.backward(new int[][] {{1, 2}}, new int[][] {{3}}));
        // sequences of different lengths run one by one; their errors name the sequence too
        assertRejected("sequence 1 of the batch: ys has 2 rows, expected 3 (one per input step)",
                () -> regression.forward(new double[][][] {new double[2][3], new double[3][3]}, new double[2][2][2]));
    }

    @EachCompiler
    void wrongInputWidth(TestCompiler compiler) {
        SequenceModel regression = regression(compiler);
        assertRejected("xs[1] has 2 values, expected 3 (the network's input size)",
                () -> regression.forward(new double[][] {{1, 2, 3}, {1, 2}}, new double[2][2]));
    }

    @EachCompiler
    void raggedAndMissingRows(TestCompiler compiler) {
        SequenceModel regression = regression(compiler);
        assertRejected("xs[0] is null", () -> regression.forward(new double[][] {null}, new double[1][2]));
        assertRejected("targets[1] has 3 values, expected 2 (the network's output size)",
                () -> regression.backward(new double[2][3], new double[][] {{0, 0}, {0, 0, 0}}));
    }

    @EachCompiler
    void emptySequence(TestCompiler compiler) {
        SequenceModel regression = regression(compiler);
        Classifier classifier = classifier(compiler);
        assertRejected("xs is empty: a sequence needs at least one step",
                () -> regression.backward(new double[0][], new double[0][]));
        assertRejected("tokens is empty: a sequence needs at least one step",
                () -> classifier.backward(new int[0], new int[] {0}));
    }

    @EachCompiler
    void wrongNumberOfOutputRows(TestCompiler compiler) {
        SequenceModel regression = regression(compiler);
        Classifier classifier = classifier(compiler);
        assertRejected("targets has 2 rows, expected 3 (one per input step)",
                () -> regression.backward(new double[3][3], new double[2][2]));
        assertRejected("ys has 3 rows, expected 1 (a many-to-one network has one output row per sequence)",
                () -> classifier.forward(new double[3][5], new double[3][3]));
    }

    @EachCompiler
    void labelsAndTokensOutOfRange(TestCompiler compiler) {
        Classifier classifier = classifier(compiler);
        assertRejected("labels[0] is 3, outside the classes [0, 3) of the network's output size",
                () -> classifier.backward(new double[2][5], new int[] {3}));
        assertRejected("tokens[2] is -1, outside the vocabulary [0, 5) of the network's input size",
                () -> classifier.backward(new int[] {0, 4, -1}, new int[] {0}));
    }

    @EachCompiler
    void nonFiniteValues(TestCompiler compiler) {
        SequenceModel regression = regression(compiler);
        assertRejected("xs[0][2] is NaN: inputs must be finite",
                () -> regression.forward(new double[][] {{0, 0, Double.NaN}}, new double[1][2]));
        assertRejected("xs[1][0] is Infinity: inputs must be finite",
                () -> regression.loss(new double[][] {{0, 0, 0}, {Double.POSITIVE_INFINITY, 0, 0}}, new double[2][2]));
        assertRejected("targets[0][1] is NaN: targets must be finite",
                () -> regression.backward(new double[1][3], new double[][] {{0, Double.NaN}}));
    }

    @EachCompiler
    void labelsOnANetworkWithoutCrossEntropy(TestCompiler compiler) {
        // an MSE network is no Classifier: regression.backward(xs, labels) does not compile (CapabilityTypesTest)
        SequenceModel regression = regression(compiler);
        assertFalse(regression instanceof Classifier);
        assertThrows(NoSuchMethodException.class,
                () -> regression.getClass().getMethod("backward", double[][].class, int[].class));
    }

    @EachCompiler
    void rejectedCallLeavesGradientsUntouched(TestCompiler compiler) {
        SequenceModel regression = regression(compiler);
        regression.parameters().zeroGradients();
        assertThrows(IllegalArgumentException.class,
                () -> regression.backward(new double[][] {{1, 2, 3}, {1, Double.NaN, 3}}, new double[2][2]));
        for (var parameter : regression.parameters()) {
            for (double g : parameter.gradient().data) {
                assertEquals(0.0, g, parameter.name());
            }
        }
    }
}
