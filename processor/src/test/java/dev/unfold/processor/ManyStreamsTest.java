package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.data.StreamChunks;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TruncatedBptt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Truncated BPTT over many streams at once: chunk c of B streams as one stateful batch is chunk c
 * of each stream run alone (the summed loss and gradient, to rounding), in both precisions, with
 * token and dense input; StreamChunks cuts a text into streams as documented, and training on
 * streams leaves the network's states as they were.
 */
class ManyStreamsTest {
    private static final double TOLERANCE = 1e-10;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path directory;
    private static final double FLOAT32_TOLERANCE = 1e-5;

    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Tagger",
                    "@Network(input = 3, output = 2)",
                    "public interface Tagger extends Streaming {",
                    "    @Recurrent(hidden = 5, cell = Cell.GRU) Layer lower();",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 2) Layer upper();",
                    "}"),
            TestCompiler.inTestPackage("FloatTagger",
                    "@Network(input = 3, output = 2, precision = Precision.FLOAT32)",
                    "public interface FloatTagger extends Streaming {",
                    "    @Recurrent(hidden = 5, cell = Cell.LSTM) Layer lower();",
                    "}"),
            TestCompiler.inTestPackage("Language",
                    "@Network(input = 7, output = 7, loss = Loss.CROSS_ENTROPY)",
                    "public interface Language extends Streaming, Classifier {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 5, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("FloatLanguage",
                    "@Network(input = 7, output = 7, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)",
                    "public interface FloatLanguage extends Streaming, Classifier {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, 5);
    }

    /** Every parameter's gradient, widened, summed into {@code sums} (when given) or returned. */
    private static List<double[]> gradients(SequenceModel net) {
        List<double[]> gradients = new ArrayList<>();
        for (Parameter parameter : net.parameters()) {
            double[] gradient = new double[parameter.size()];
            Arrays.setAll(gradient, parameter::gradient);
            gradients.add(gradient);
        }
        return gradients;
    }

    private static void addInto(List<double[]> sums, List<double[]> gradients) {
        for (int p = 0; p < sums.size(); p++) {
            for (int i = 0; i < sums.get(p).length; i++) {
                sums.get(p)[i] += gradients.get(p)[i];
            }
        }
    }

    private static List<double[]> zerosLike(SequenceModel net) {
        return gradients(net).stream().map(g -> new double[g.length]).toList();
    }

    private static void assertClose(double expected, double actual, String what, double tolerance) {
        double error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
        assertTrue(error <= tolerance, what + ": expected " + expected + ", got " + actual);
    }

    private static void assertSameGradients(List<double[]> expected, List<double[]> actual, String what, double tolerance) {
        for (int p = 0; p < expected.size(); p++) {
            for (int i = 0; i < expected.get(p).length; i++) {
                assertClose(expected.get(p)[i], actual.get(p)[i], what + ": parameter " + p + "[" + i + "]", tolerance);
            }
        }
    }

    /** A chunk of one stream or of all of them: its loss, after zeroing and filling the gradients. */
    private interface Chunk {
        double run(int chunk);
    }

    /**
     * Chunks 0..count of the batched run against the same chunk of each stream run alone, each by
     * its own network (the same weights); the loss of every chunk, from {@code evaluate}, too.
     */
    private static void compare(SequenceModel batched, Chunk batch, Chunk evaluate, List<SequenceModel> singles,
                                List<Chunk> alone, int count, double tolerance) {
        for (int c = 0; c < count; c++) {
            List<double[]> expected = zerosLike(batched);
            double summed = 0;
            for (int b = 0; b < singles.size(); b++) {
                singles.get(b).parameters().zeroGradients();
                summed += alone.get(b).run(c);
                addInto(expected, gradients(singles.get(b)));
            }
            batched.parameters().zeroGradients();
            assertClose(summed, batch.run(c), "chunk " + c + ": loss", tolerance);
            assertSameGradients(expected, gradients(batched), "chunk " + c, tolerance);
            List<double[]> before = gradients(batched);
            assertClose(summed, evaluate.run(c), "chunk " + c + ": loss without gradients", tolerance);
            assertSameGradients(before, gradients(batched), "chunk " + c + ": the loss leaves the gradients", 0.0);
        }
    }

    @EachCompiler
    void tokenStreamsAtOnceAreTheStreamsOneByOne(TestCompiler compiler) {
        for (String name : List.of("Language", "FloatLanguage")) {
            double tolerance = name.startsWith("Float") ? FLOAT32_TOLERANCE : TOLERANCE;
            var net = (Streaming & Classifier) network(compiler, name);
            Random random = new Random(8);
            int[][] tokens = new int[3][];
            int[][] labels = new int[3][];
            for (int b = 0; b < 3; b++) {
                tokens[b] = random.ints(11, 0, 7).toArray();
                labels[b] = random.ints(11, 0, 7).toArray();
            }
            // chunks of 4: 4, 4, then 3
            TruncatedBptt.OfClassifier chunks = new TruncatedBptt.OfClassifier(net, 4);
            TruncatedBptt.OfClassifier evaluation = new TruncatedBptt.OfClassifier(net, 4);
            chunks.restart();
            evaluation.restart();
            List<SequenceModel> singles = new ArrayList<>();
            List<Chunk> alone = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                var single = (Streaming & Classifier) network(compiler, name);
                TruncatedBptt.OfClassifier own = new TruncatedBptt.OfClassifier(single, 4);
                own.restart();
                int stream = b;
                singles.add(single);
                alone.add(c -> own.backward(tokens[stream], labels[stream], c));
            }
            compare(net, c -> chunks.backward(tokens, labels, c), c -> evaluation.loss(tokens, labels, c), singles,
                    alone, chunks.count(11), tolerance);
            assertEquals(3, net.streamCount());
        }
    }

    @EachCompiler
    void denseStreamsAtOnceAreTheStreamsOneByOne(TestCompiler compiler) {
        Random random = new Random(9);
        double[][][] xs = new double[4][7][3];
        double[][][] targets = new double[4][7][2];
        for (double[][] stream : xs) {
            for (double[] x : stream) {
                Arrays.setAll(x, j -> random.nextGaussian());
            }
        }
        for (double[][] stream : targets) {
            for (double[] y : stream) {
                Arrays.setAll(y, k -> random.nextGaussian());
            }
        }
        // float64: chunks of 3: 3, 3, then 1
        Streaming net = network(compiler, "Tagger");
        TruncatedBptt chunks = new TruncatedBptt(net, 3);
        TruncatedBptt evaluation = new TruncatedBptt(net, 3);
        chunks.restart();
        evaluation.restart();
        List<SequenceModel> singles = new ArrayList<>();
        List<Chunk> alone = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            Streaming single = network(compiler, "Tagger");
            TruncatedBptt own = new TruncatedBptt(single, 3);
            own.restart();
            int stream = b;
            singles.add(single);
            alone.add(c -> own.backward(xs[stream], targets[stream], c));
        }
        compare(net, c -> chunks.backward(xs, targets, c), c -> evaluation.loss(xs, targets, c), singles, alone, 3,
                TOLERANCE);

        // float32: the same streams rounded
        float[][][] floatXs = new float[4][][];
        float[][][] floatTargets = new float[4][][];
        for (int b = 0; b < 4; b++) {
            floatXs[b] = FloatExample.rounded(xs[b]);
            floatTargets[b] = FloatExample.rounded(targets[b]);
        }
        Streaming floats = network(compiler, "FloatTagger");
        TruncatedBptt floatChunks = new TruncatedBptt(floats, 3);
        TruncatedBptt floatEvaluation = new TruncatedBptt(floats, 3);
        floatChunks.restart();
        floatEvaluation.restart();
        singles.clear();
        alone.clear();
        for (int b = 0; b < 4; b++) {
            Streaming single = network(compiler, "FloatTagger");
            TruncatedBptt own = new TruncatedBptt(single, 3);
            own.restart();
            int stream = b;
            singles.add(single);
            alone.add(c -> own.backward(floatXs[stream], floatTargets[stream], c));
        }
        compare(floats, c -> floatChunks.backward(floatXs, floatTargets, c),
                c -> floatEvaluation.loss(floatXs, floatTargets, c), singles, alone, 3, FLOAT32_TOLERANCE);
    }

    @EachCompiler
    void aTextIsCutIntoContiguousStreamsOfEqualLength(TestCompiler compiler) {
        var net = (Streaming & Classifier) network(compiler, "Language");
        int[] text = new Random(10).ints(27, 0, 7).toArray();
        // 26 (token, next token) pairs as 4 streams of 6 in chunks of 4 (4, then 2); the last 2 pairs dropped
        StreamChunks streams = StreamChunks.nextToken(net, text, 4, 4);
        assertEquals(4, streams.streams());
        assertEquals(2, streams.updates());
        assertEquals(16, streams.outputs(0));
        assertEquals(8, streams.outputs(1));
        List<SequenceModel> singles = new ArrayList<>();
        List<Chunk> alone = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            var single = (Streaming & Classifier) network(compiler, "Language");
            StreamChunks part = new StreamChunks(single, Arrays.copyOfRange(text, 6 * b, 6 * b + 6),
                    Arrays.copyOfRange(text, 6 * b + 1, 6 * b + 7), 4);
            part.startEpoch(0);
            singles.add(single);
            alone.add(part::backward);
        }
        StreamChunks evaluation = StreamChunks.nextToken(net, text, 4, 4);
        streams.startEpoch(0);
        evaluation.startEpoch(0);
        compare(net, streams::backward, evaluation::loss, singles, alone, 2, TOLERANCE);

        StreamChunks one = StreamChunks.nextToken(net, text, 4, 1);
        assertEquals(1, one.streams());
        assertEquals(7, one.updates());
        assertEquals("a text of 4 tokens has 3 next tokens to predict, fewer than the 4 streams: expected at least"
                        + " 5 tokens",
                assertThrows(IllegalArgumentException.class, () -> StreamChunks.nextToken(net, new int[4], 2, 4))
                        .getMessage());
        assertEquals("streams must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> StreamChunks.nextToken(net, text, 2, 0))
                        .getMessage());
        assertEquals("stream 1 has 2 inputs, expected 3 (every stream as long as the first)",
                assertThrows(IllegalArgumentException.class, () -> new StreamChunks(net, new int[][] {{1, 2, 3}, {1, 2}},
                        new int[][] {{1, 2, 3}, {1, 2}}, 2)).getMessage());
        assertEquals("stream 1: inputs[0] is 9, outside the vocabulary [0, 7) of the network's input size",
                assertThrows(IllegalArgumentException.class, () -> new StreamChunks(net, new int[][] {{1, 2}, {9, 2}},
                        new int[][] {{1, 2}, {1, 2}}, 2)).getMessage());
    }

    @EachCompiler
    void aChunkOfAnotherNumberOfStreamsIsRefused(TestCompiler compiler) {
        var net = (Streaming & Classifier) network(compiler, "Language");
        TruncatedBptt.OfClassifier chunks = new TruncatedBptt.OfClassifier(net, 2);
        chunks.restart();
        int[][] three = {{1, 2, 3, 4}, {2, 3, 4, 5}, {3, 4, 5, 6}};
        int[][] two = {{1, 2, 3, 4}, {2, 3, 4, 5}};
        chunks.backward(three, three, 0);
        assertThrows(IllegalArgumentException.class, () -> chunks.backward(two, two, 1));
        chunks.loss(three, three, 0);
        assertEquals("the chunk has 2 streams but the previous chunks had 3, expected 3: call restart() to start 2"
                        + " new streams",
                assertThrows(IllegalArgumentException.class, () -> chunks.loss(two, two, 1)).getMessage());
        assertEquals("stream 1 has 3 steps, expected 4 (every stream as long as the first)",
                assertThrows(IllegalArgumentException.class,
                        () -> chunks.backward(new int[][] {{1, 2, 3, 4}, {1, 2, 3}, {1, 2, 3, 4}}, three, 1)).getMessage());
        assertEquals("every stream needs its targets: 3 input streams, 2 target streams",
                assertThrows(IllegalArgumentException.class, () -> chunks.backward(three, two, 1)).getMessage());
        chunks.restart();
        assertEquals(0, net.streamCount());
        chunks.backward(two, two, 0);
        assertEquals(2, net.streamCount());
    }

    /**
     * A checkpoint holds whole epochs, and every epoch starts its streams from zero: a run stopped after
     * epoch 2 and resumed (in a network that carries other streams) ends with the weights of one that
     * never stopped.
     */
    @EachCompiler
    void aResumedRunOnStreamsEqualsAnUninterruptedOne(TestCompiler compiler) throws java.io.IOException {
        int[] text = new Random(12).ints(60, 0, 7).toArray();
        var straight = (Streaming & Classifier) network(compiler, "Language");
        new Trainer(straight, new Sgd(straight.parameters(), 0.05)).epochs(4).fit(StreamChunks.nextToken(straight, text, 4, 3));

        java.nio.file.Path checkpoint = directory.resolve(compiler + "-streams.safetensors");
        var interrupted = (Streaming & Classifier) network(compiler, "Language");
        new Trainer(interrupted, new Sgd(interrupted.parameters(), 0.05)).epochs(2).checkpoint(checkpoint)
                .fit(StreamChunks.nextToken(interrupted, text, 4, 3));
        var resumed = (Streaming & Classifier) TestCompiler.instantiate(NETWORKS.loader(compiler), "test.UnfoldedLanguage",
                77);
        resumed.restoreStates(new double[5][resumed.stateSize()]);
        resumed.setStateful(true);
        resumed.forward(new int[5][3], new double[5][3][7]);   // 5 streams under way, not zero
        new Trainer(resumed, new Sgd(resumed.parameters(), 0.05)).epochs(4).checkpoint(checkpoint)
                .fit(StreamChunks.nextToken(resumed, text, 4, 3));
        for (int p = 0; p < straight.parameters().size(); p++) {
            assertArrayEquals(straight.parameters().get(p).value().data, resumed.parameters().get(p).value().data,
                    straight.parameters().get(p).name());
        }
        assertEquals(5, resumed.streamCount(), "the streams under way before training are put back");
    }

    @EachCompiler
    void trainingOnStreamsPutsTheNetworksStatesBack(TestCompiler compiler) throws java.io.IOException {
        var net = (Streaming & Classifier) network(compiler, "Language");
        Random random = new Random(11);
        double[][] streams = new double[2][net.stateSize()];
        for (double[] state : streams) {
            Arrays.setAll(state, k -> random.nextGaussian() * 0.1);
        }
        double[] single = new double[net.stateSize()];
        Arrays.setAll(single, k -> random.nextGaussian() * 0.1);
        net.restoreStates(streams);
        net.restoreState(single, 0);
        int[] text = random.ints(40, 0, 7).toArray();
        for (int count : new int[] {3, 1}) {
            new Trainer(net, new Sgd(net.parameters(), 0.01)).epochs(2)
                    .validation(StreamChunks.nextToken(net, text, 5, 2), 0)
                    .fit(StreamChunks.nextToken(net, text, 5, count));
            assertFalse(net.isStateful());
            assertEquals(2, net.streamCount(), count + " streams");
            double[][] after = new double[2][net.stateSize()];
            net.saveStates(after);
            assertArrayEquals(streams, after, count + " streams");
            double[] afterSingle = new double[net.stateSize()];
            net.saveState(afterSingle, 0);
            assertArrayEquals(single, afterSingle, count + " streams");
        }
    }
}
