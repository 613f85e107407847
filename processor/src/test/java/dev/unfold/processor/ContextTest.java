package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.SequenceModel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * A context vector read at every step through weights of its own (seed 002's captioning,
 * h_t = σ(W h_{t−1} + U y_{t−1} + R x + b)): every gradient, R's included, matches central
 * differences; streaming steps read it too; a batch refuses, since each sequence has its own.
 */
class ContextTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Captioner",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY, context = 5)",
                    "public interface Captioner extends SequenceModel {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Scorer",
                    "@Network(input = 3, output = 2, mapping = Mapping.MANY_TO_ONE, context = 2)",
                    "public interface Scorer extends SequenceModel {",
                    "    @Recurrent(hidden = 4, cell = Cell.GRU) @Bidirectional Layer gru();",
                    "    @Recurrent(hidden = 3) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Plain",
                    "@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY, context = 3)",
                    "public interface Plain extends SequenceModel {",
                    "    @Recurrent(hidden = 6, activation = Activation.SIGMOID) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("None",
                    "@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY)",
                    "public interface None extends SequenceModel {",
                    "    @Recurrent(hidden = 6) Layer rnn();",
                    "}")));

    private static SequenceModel network(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, 3);
    }

    private static double[] gaussian(Random random, int size) {
        return random.doubles(size).map(u -> 2 * u - 1).toArray();
    }

    @EachCompiler
    void everyGradientMatchesCentralDifferences(TestCompiler compiler) {
        Random random = new Random(1);
        SequenceModel captioner = network(compiler, "Captioner");
        captioner.setContext(gaussian(random, 5));
        int[] tokens = {0, 4, 2, 5, 1};
        int[] labels = {4, 2, 5, 1, 3};
        check(captioner, () -> captioner.loss(tokens, labels), () -> captioner.backward(tokens, labels), "Captioner");

        SequenceModel scorer = network(compiler, "Scorer");
        scorer.setContext(gaussian(random, 2));
        double[][] xs = {gaussian(random, 3), gaussian(random, 3), gaussian(random, 3), gaussian(random, 3)};
        double[][] targets = {gaussian(random, 2)};
        check(scorer, () -> scorer.loss(xs, targets), () -> scorer.backward(xs, targets), "Scorer");

        SequenceModel plain = network(compiler, "Plain");
        plain.setContext(gaussian(random, 3));
        double[][] dense = {gaussian(random, 5), gaussian(random, 5), gaussian(random, 5)};
        int[] classes = {1, 4, 0};
        check(plain, () -> plain.loss(dense, classes), () -> plain.backward(dense, classes), "Plain");
    }

    private static void check(SequenceModel net, DoubleSupplier loss, Runnable backward, String name) {
        net.parameters().zeroGradients();
        backward.run();
        assertTrue(net.parameters().names().stream().anyMatch(n -> n.contains("weight_context")),
                name + " has R among its parameters");
        CentralDifferences.assertGradients(net.parameters(), loss, 1e-6, name);
    }

    @EachCompiler
    void theContextChangesEveryStepAndStreamingReadsIt(TestCompiler compiler) {
        SequenceModel net = network(compiler, "Captioner");
        assertEquals(5, net.contextSize());
        assertTrue(net.parameters().contains("lstm.weight_context"));
        assertEquals(4 * 4 * 5, net.parameters().get("lstm.weight_context").size());
        int[] tokens = {1, 2, 3, 0};
        double[][] first = new double[4][6];
        double[][] second = new double[4][6];
        net.setContext(new double[] {1, 0, 0, 0, 0});
        net.forward(tokens, first);
        net.setContext(new double[] {0, 0, 0, 0, 1});
        net.forward(tokens, second);
        for (int t = 0; t < 4; t++) {
            assertFalse(Arrays.equals(first[t], second[t]), "another context, other predictions at step " + t);
        }
        net.resetState();
        double[] y = new double[6];
        for (int t = 0; t < 4; t++) {
            net.step(tokens[t], y);
            assertArrayEquals(second[t], y, 0.0, "step " + (t + 1));
        }
    }

    @EachCompiler
    void misuseIsAClearError(TestCompiler compiler) {
        SequenceModel net = network(compiler, "Captioner");
        assertEquals("the context has 4 values, expected 5 (the network's context size)",
                assertThrows(IllegalArgumentException.class, () -> net.setContext(new double[4])).getMessage());
        assertEquals("context[2] is NaN: a context must be finite", assertThrows(IllegalArgumentException.class,
                () -> net.setContext(new double[] {0, 0, Double.NaN, 0, 0})).getMessage());
        assertEquals("a network with a context vector runs one sequence at a time, each after its own setContext; a"
                        + " batch would need a context per sequence",
                assertThrows(UnsupportedOperationException.class,
                        () -> net.backward(new int[][] {{1, 2}}, new int[][] {{2, 3}})).getMessage());
        SequenceModel none = network(compiler, "None");
        assertEquals(0, none.contextSize());
        assertEquals("UnfoldedNone declares no context vector: add context = <width> to its @Network",
                assertThrows(UnsupportedOperationException.class, () -> none.setContext(new double[1])).getMessage());
    }
}
