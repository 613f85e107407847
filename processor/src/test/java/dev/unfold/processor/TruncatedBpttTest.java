package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.train.TruncatedBptt;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A stateful network continues each sequence from where the previous one ended, and truncated
 * BPTT over its chunks is what the theory says: the forward pass of the whole stream, the gradient
 * of each chunk with its starting state held fixed, and full BPTT when one chunk is the stream.
 */
class TruncatedBpttTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Tagger",
                    "@Network(input = 3, output = 2)",
                    "public interface Tagger extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 5) Layer lower();",
                    "    @Recurrent(hidden = 4, activation = Activation.SIGMOID) Layer upper();",
                    "}"),
            TestCompiler.inTestPackage("Language",
                    "@Network(input = 7, output = 7, loss = Loss.CROSS_ENTROPY)",
                    "public interface Language extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 5, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Both",
                    "@Network(input = 4, output = 3)",
                    "public interface Both extends Traceable {",
                    "    @Recurrent(hidden = 6, cell = Cell.GRU) @Bidirectional Layer context();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, 5);
    }

    @EachCompiler
    void oneChunkAsLongAsTheStreamIsFullBptt(TestCompiler compiler) {
        Classifier full = network(compiler, "Language");
        var truncated = (Streaming & Classifier) network(compiler, "Language");
        int[] tokens = new Random(1).ints(13, 0, 7).toArray();
        int[] labels = new Random(2).ints(13, 0, 7).toArray();
        double fullLoss = full.backward(tokens, labels);
        TruncatedBptt.OfClassifier chunks = new TruncatedBptt.OfClassifier(truncated, 13);
        chunks.restart();
        assertEquals(1, chunks.count(13));
        assertEquals(fullLoss, chunks.backward(tokens, labels, 0), 0.0);
        for (int p = 0; p < full.parameters().size(); p++) {
            assertArrayEquals(full.parameters().get(p).gradient().data,
                    truncated.parameters().get(p).gradient().data, 0.0, full.parameters().get(p).name());
        }
    }

    @EachCompiler
    void chunksSeeTheWholeHistoryInTheForwardPass(TestCompiler compiler) {
        Streaming net = network(compiler, "Tagger");
        double[][] xs = gaussian(new Random(3), 11, 3);
        double[][] whole = new double[11][2];
        net.forward(xs, whole);
        net.setStateful(true);
        net.resetState();
        int row = 0;
        for (int length : new int[] {4, 4, 3}) {
            double[][] chunk = Arrays.copyOfRange(xs, row, row + length);
            double[][] ys = new double[length][2];
            net.forward(chunk, ys);
            for (int t = 0; t < length; t++) {
                assertArrayEquals(whole[row + t], ys[t], 0.0, "step " + (row + t + 1));
            }
            row += length;
        }
        net.setStateful(false);
        double[][] again = new double[11][2];
        net.forward(xs, again);
        assertArrayEquals(whole, again, "not stateful: from a zero state again");
    }

    /**
     * The second chunk's gradient is the derivative of its loss with its starting state held at
     * what the first chunk left, estimated by central differences: the first chunk is rerun with
     * the unperturbed weights before each evaluation, so only the second chunk sees the change.
     */
    @EachCompiler
    void eachChunksGradientStopsAtItsStartingState(TestCompiler compiler) {
        for (String name : List.of("Tagger", "Language")) {
            Streaming net = network(compiler, name);
            boolean tokens = name.equals("Language");
            int[] inputs = new Random(4).ints(10, 0, 7).toArray();
            int[] labels = new Random(5).ints(10, 0, 7).toArray();
            double[][] xs = gaussian(new Random(6), 10, 3);
            double[][] targets = gaussian(new Random(7), 10, 2);
            // class labels need a classifier's chunks; dense targets take any network's
            TruncatedBptt.OfClassifier labelled = tokens
                    ? new TruncatedBptt.OfClassifier((Streaming & Classifier) net, 6) : null;
            TruncatedBptt chunks = tokens ? labelled : new TruncatedBptt(net, 6);
            chunks.restart();
            Runnable firstChunk = () -> {
                chunks.restart();
                if (tokens) {
                    labelled.loss(inputs, labels, 0);
                } else {
                    chunks.loss(xs, targets, 0);
                }
            };
            java.util.function.DoubleSupplier secondLoss = () -> tokens
                    ? labelled.loss(inputs, labels, 1) : chunks.loss(xs, targets, 1);
            firstChunk.run();
            net.parameters().zeroGradients();
            if (tokens) {
                labelled.backward(inputs, labels, 1);
            } else {
                chunks.backward(xs, targets, 1);
            }
            double eps = 1e-6;
            for (Parameter parameter : net.parameters()) {
                double[] values = parameter.value().data;
                for (int i = 0; i < values.length; i++) {
                    double kept = values[i];
                    firstChunk.run();
                    values[i] = kept + eps;
                    double plus = secondLoss.getAsDouble();
                    values[i] = kept;
                    firstChunk.run();
                    values[i] = kept - eps;
                    double minus = secondLoss.getAsDouble();
                    values[i] = kept;
                    double estimate = (plus - minus) / (2 * eps);
                    assertEquals(estimate, parameter.gradient().data[i], 1e-7 * Math.max(1, Math.abs(estimate)),
                            name + " " + parameter.name() + "[" + i + "]");
                }
            }
        }
    }

    @EachCompiler
    void misuseIsRefusedWithTheReason(TestCompiler compiler) {
        // a bidirectional network is no Streaming: new TruncatedBptt(both, 4) does not compile (CapabilityTypesTest)
        SequenceModel both = network(compiler, "Both");
        assertFalse(both instanceof Streaming);

        Streaming tagger = network(compiler, "Tagger");
        tagger.setStateful(true);
        tagger.forward(new double[2][3][3], new double[2][3][2]);   // a stateful batch starts 2 streams
        assertEquals("the batch has 3 sequences but the network carries 2 streams from its last stateful batch,"
                        + " expected 2: give one sequence per stream, or call resetState() to start 3 new streams",
                assertThrows(IllegalArgumentException.class,
                        () -> tagger.forward(new double[3][3][3], new double[3][3][2])).getMessage());
        TruncatedBptt chunks = new TruncatedBptt(tagger, 4);
        assertEquals("chunk 3 is outside the stream's 3 chunks of 4 steps (9 steps)",
                assertThrows(IllegalArgumentException.class,
                        () -> chunks.backward(new double[9][3], new double[9][2], 3)).getMessage());
        assertEquals("a stream needs one target per input: 9 inputs, 8 targets",
                assertThrows(IllegalArgumentException.class,
                        () -> chunks.backward(new double[9][3], new double[8][2], 0)).getMessage());
        assertEquals("chunk length must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new TruncatedBptt(tagger, 0)).getMessage());
        tagger.setStateful(false);
        assertEquals("call restart() before the first chunk: the network is not stateful, so chunks would not"
                        + " continue from each other",
                assertThrows(IllegalStateException.class,
                        () -> chunks.backward(new double[9][3], new double[9][2], 0)).getMessage());
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
