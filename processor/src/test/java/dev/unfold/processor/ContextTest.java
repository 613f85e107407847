package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Traceable;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * A context vector read at every step through weights of its own (equations.md (7.1), as in captioning,
 * h_t = σ(W h_{t−1} + U y_{t−1} + R x + b)): every gradient, R's included, matches central
 * differences; streaming steps read it too; a batch with a context per sequence equals its
 * sequences one by one.
 */
class ContextTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Captioner",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY, context = 5)",
                    "public interface Captioner extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Scorer",
                    "@Network(input = 3, output = 2, mapping = Mapping.MANY_TO_ONE, context = 2)",
                    "public interface Scorer extends Contextual, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.GRU) @Bidirectional Layer gru();",
                    "    @Recurrent(hidden = 3) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Plain",
                    "@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY, context = 3)",
                    "public interface Plain extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 6, activation = Activation.SIGMOID) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("None",
                    "@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY)",
                    "public interface None extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 6) Layer rnn();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, 3);
    }

    private static double[] gaussian(Random random, int size) {
        return random.doubles(size).map(u -> 2 * u - 1).toArray();
    }

    @EachCompiler
    void everyGradientMatchesCentralDifferences(TestCompiler compiler) {
        Random random = new Random(1);
        var captioner = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Captioner");
        captioner.setContext(gaussian(random, 5));
        int[] tokens = {0, 4, 2, 5, 1};
        int[] labels = {4, 2, 5, 1, 3};
        check(captioner, () -> captioner.loss(tokens, labels), () -> captioner.backward(tokens, labels), "Captioner");

        var scorer = (Contextual & Traceable) network(compiler, "Scorer");
        scorer.setContext(gaussian(random, 2));
        double[][] xs = {gaussian(random, 3), gaussian(random, 3), gaussian(random, 3), gaussian(random, 3)};
        double[][] targets = {gaussian(random, 2)};
        check(scorer, () -> scorer.loss(xs, targets), () -> scorer.backward(xs, targets), "Scorer");

        var plain = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Plain");
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
        var net = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Captioner");
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

    /**
     * A batch, each sequence with its own context and length, is the sum of its sequences run one by
     * one after setContext: loss, every gradient (R's included) and every prediction.
     */
    @EachCompiler
    void aBatchWithAContextPerSequenceEqualsItsSequencesOneByOne(TestCompiler compiler) {
        Random random = new Random(8);
        int[] lengths = {3, 7, 1, 5, 7, 2, 6, 4, 7, 3};    // ten sequences: two lane vectors, masked
        double[][] contexts5 = new double[lengths.length][];
        double[][] contexts2 = new double[lengths.length][];
        double[][] contexts3 = new double[lengths.length][];
        int[][] tokens = new int[lengths.length][];
        int[][] labels = new int[lengths.length][];
        double[][][] xs = new double[lengths.length][][];
        double[][][] dense = new double[lengths.length][][];
        double[][][] scores = new double[lengths.length][][];
        int[][] classes = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            contexts5[b] = gaussian(random, 5);
            contexts2[b] = gaussian(random, 2);
            contexts3[b] = gaussian(random, 3);
            tokens[b] = random.ints(lengths[b], 0, 6).toArray();
            labels[b] = random.ints(lengths[b], 0, 6).toArray();
            xs[b] = new double[lengths[b]][];
            dense[b] = new double[lengths[b]][];
            for (int t = 0; t < lengths[b]; t++) {
                xs[b][t] = gaussian(random, 3);
                dense[b][t] = gaussian(random, 5);
            }
            scores[b] = new double[][] {gaussian(random, 2)};
            classes[b] = random.ints(lengths[b], 0, 5).toArray();
        }
        var captioner = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Captioner");
        compareBatch(captioner, contexts5, lengths.length,
                () -> captioner.backward(tokens, labels), b -> captioner.backward(tokens[b], labels[b]),
                ys -> captioner.forward(tokens, ys), (b, ys) -> captioner.forward(tokens[b], ys), lengths, 6);
        var scorer = (Contextual & Traceable) network(compiler, "Scorer");
        compareBatch(scorer, contexts2, lengths.length,
                () -> scorer.backward(xs, scores), b -> scorer.backward(xs[b], scores[b]),
                ys -> scorer.forward(xs, ys), (b, ys) -> scorer.forward(xs[b], ys), null, 2);
        var plain = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Plain");
        compareBatch(plain, contexts3, lengths.length,
                () -> plain.backward(dense, classes), b -> plain.backward(dense[b], classes[b]),
                ys -> plain.forward(dense, ys), (b, ys) -> plain.forward(dense[b], ys), lengths, 5);
    }

    @EachCompiler
    void contextSequencesTrainInMaskedBatches(TestCompiler compiler) {
        Random random = new Random(12);
        int count = 10;
        double[][] contexts = new double[count][];
        int[][] captions = new int[count][];
        for (int i = 0; i < count; i++) {
            contexts[i] = gaussian(random, 5);
            captions[i] = random.ints(1 + random.nextInt(6), 0, 4).toArray();
        }
        var net = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Captioner");
        double alone = 0;
        net.parameters().zeroGradients();
        for (int i = 0; i < count; i++) {
            net.setContext(contexts[i]);
            int[] inputs = new int[captions[i].length + 1];
            int[] labels = new int[captions[i].length + 1];
            inputs[0] = 4;
            System.arraycopy(captions[i], 0, inputs, 1, captions[i].length);
            System.arraycopy(captions[i], 0, labels, 0, captions[i].length);
            labels[captions[i].length] = 5;
            alone += net.backward(inputs, labels);
        }
        double[] expected = net.parameters().get("lstm.weight_context").gradient().data.clone();
        net.parameters().zeroGradients();
        dev.unfold.runtime.data.ContextSequences data =
                dev.unfold.runtime.data.ContextSequences.teacherForced(net, contexts, captions, 4, 5, 4);
        data.startEpoch(3);
        double batched = 0;
        for (int update = 0; update < data.updates(); update++) {
            batched += data.backward(update);
        }
        assertEquals(3, data.updates(), "batches of 4, 4 and 2");
        assertEquals(alone, batched, 1e-10);
        assertArrayEquals(expected, net.parameters().get("lstm.weight_context").gradient().data, 1e-10);
    }

    private static void compareBatch(Contextual net, double[][] contexts, int batch,
                                     java.util.function.DoubleSupplier batched,
                                     java.util.function.IntToDoubleFunction single,
                                     java.util.function.Consumer<double[][][]> batchedForward,
                                     java.util.function.BiConsumer<Integer, double[][]> singleForward,
                                     int[] outputRows, int outputs) {
        String name = net.getClass().getSimpleName();
        net.parameters().zeroGradients();
        double expected = 0;
        for (int b = 0; b < batch; b++) {
            net.setContext(contexts[b]);
            expected += single.applyAsDouble(b);
        }
        List<double[]> one = new java.util.ArrayList<>();
        for (dev.unfold.runtime.Parameter p : net.parameters()) {
            one.add(p.gradient().data.clone());
        }
        net.parameters().zeroGradients();
        net.setContexts(contexts);
        assertEquals(expected, batched.getAsDouble(), 1e-10 * Math.max(1, Math.abs(expected)), name + " loss");
        int index = 0;
        for (dev.unfold.runtime.Parameter p : net.parameters()) {
            double[] together = p.gradient().data;
            double[] alone = one.get(index++);
            for (int i = 0; i < alone.length; i++) {
                assertEquals(alone[i], together[i], 1e-10, name + " ∂L/∂" + p.name() + "[" + i + "]");
            }
        }
        double[][][] ys = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            ys[b] = new double[outputRows == null ? 1 : outputRows[b]][outputs];
        }
        batchedForward.accept(ys);
        for (int b = 0; b < batch; b++) {
            double[][] alone = new double[ys[b].length][outputs];
            net.setContext(contexts[b]);
            singleForward.accept(b, alone);
            for (int t = 0; t < alone.length; t++) {
                assertArrayEquals(alone[t], ys[b][t], 1e-10, name + " sequence " + b + " row " + t);
            }
        }
    }

    @EachCompiler
    void misuseIsAClearError(TestCompiler compiler) {
        var net = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Captioner");
        assertEquals("the context has 4 values, expected 5 (the network's context size)",
                assertThrows(IllegalArgumentException.class, () -> net.setContext(new double[4])).getMessage());
        assertEquals("context[2] is NaN: a context must be finite", assertThrows(IllegalArgumentException.class,
                () -> net.setContext(new double[] {0, 0, Double.NaN, 0, 0})).getMessage());
        net.setContexts(new double[][] {new double[5], new double[5]});
        assertEquals("the batch has 1 sequences but setContexts gave 2 contexts: give one context per sequence before"
                        + " a batched call",
                assertThrows(IllegalArgumentException.class,
                        () -> net.backward(new int[][] {{1, 2}}, new int[][] {{2, 3}})).getMessage());
        var none = (Encoder & Decoder & Classifier & Traceable) network(compiler, "None");
        // a network without a context is no Contextual: it has no context methods to call (DeclarationErrorsTest
        // shows the compile error for one that extends Contextual all the same)
        assertFalse(none instanceof Contextual);
        assertThrows(NoSuchMethodException.class, () -> none.getClass().getMethod("setContext", double[].class));
        assertThrows(NoSuchMethodException.class, () -> none.getClass().getMethod("contextSize"));
    }
}
