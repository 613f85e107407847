package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Streaming;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The streams of a stateful batch: how many there are, saved and restored as saveState lays out one
 * state, forgotten by resetState, kept apart from the single carried state, and refused (with what
 * was expected and what came, changing nothing) when a batch or an array does not fit them.
 */
class StreamStatesTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Chars",
                    "@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY)",
                    "public interface Chars extends Streaming, Classifier {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("FloatChars",
                    "@Network(input = 5, output = 5, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)",
                    "public interface FloatChars extends Streaming, Classifier {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Fed",
                    "@Network(input = 3, output = 2)",
                    "public interface Fed extends Autoregressive {",
                    "    @Recurrent(hidden = 3, recurrence = Recurrence.OUTPUT) Layer rnn();",
                    "}")));

    private static <T extends Streaming> T network(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, 3);
    }

    private static int[][] tokens(int streams, int steps, long seed) {
        Random random = new Random(seed);
        int[][] tokens = new int[streams][steps];
        for (int[] row : tokens) {
            Arrays.setAll(row, t -> random.nextInt(5));
        }
        return tokens;
    }

    private static double[][] saved(Streaming net) {
        double[][] states = new double[net.streamCount()][net.stateSize()];
        net.saveStates(states);
        return states;
    }

    private static double[] single(Streaming net) {
        double[] state = new double[net.stateSize()];
        net.saveState(state, 0);
        return state;
    }

    @EachCompiler
    void aBatchOfAnotherSizeIsRefusedAndChangesNothing(TestCompiler compiler) {
        var net = (Streaming & Classifier) network(compiler, "Chars");
        net.setStateful(true);
        assertEquals(0, net.streamCount());
        net.backward(tokens(3, 4, 1), tokens(3, 4, 2));
        assertEquals(3, net.streamCount());
        double[][] streams = saved(net);
        double[] gradient = net.parameters().get(0).gradient().data.clone();
        double[][][] ys = new double[2][4][5];
        assertEquals("the batch has 2 sequences but the network carries 3 streams from its last stateful batch,"
                        + " expected 3: give one sequence per stream, or call resetState() to start 2 new streams",
                assertThrows(IllegalArgumentException.class, () -> net.forward(tokens(2, 4, 3), ys)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.backward(tokens(4, 4, 3), tokens(4, 4, 4)));
        assertEquals(3, net.streamCount());
        assertArrayEquals(streams, saved(net));
        assertArrayEquals(gradient, net.parameters().get(0).gradient().data);
        assertEquals(0.0, ys[0][0][0]);
        // resetState forgets the streams: any batch starts new ones from zero
        net.resetState();
        assertEquals(0, net.streamCount());
        net.forward(tokens(2, 4, 3), ys);
        assertEquals(2, net.streamCount());
        // not stateful, a batch neither reads nor changes the streams
        net.setStateful(false);
        double[][] two = saved(net);
        net.forward(tokens(5, 4, 3), new double[5][4][5]);
        assertArrayEquals(two, saved(net));
    }

    @EachCompiler
    void theStreamsAndTheSingleStateAreKeptApart(TestCompiler compiler) {
        var net = (Streaming & Classifier) network(compiler, "Chars");
        net.setStateful(true);
        net.forward(new int[] {1, 2, 3}, new double[3][5]);
        double[] carried = single(net);
        net.forward(tokens(2, 3, 5), new double[2][3][5]);
        assertArrayEquals(carried, single(net), "a batch leaves the single carried state");
        double[][] streams = saved(net);
        net.forward(new int[] {4, 0}, new double[2][5]);
        net.step(1, new double[5]);
        assertArrayEquals(streams, saved(net), "single calls and steps leave the streams");

        // a batch continues from restored streams as it would have from the saved ones
        double[][][] first = new double[2][3][5];
        double[][][] second = new double[2][3][5];
        int[][] next = tokens(2, 3, 6);
        net.forward(next, first);
        net.restoreStates(streams);
        net.forward(next, second);
        assertArrayEquals(first[1][2], second[1][2]);
        net.restoreStates(new double[0][]);
        assertEquals(0, net.streamCount());
    }

    @EachCompiler
    void wrongArraysAreRefusedAndChangeNothing(TestCompiler compiler) {
        var net = (Streaming & Classifier) network(compiler, "Chars");
        int size = net.stateSize();
        net.setStateful(true);
        net.forward(tokens(2, 3, 5), new double[2][3][5]);
        double[][] streams = saved(net);
        assertEquals("into has 3 arrays, expected 2 (one per stream the network carries: streamCount())",
                assertThrows(IllegalArgumentException.class, () -> net.saveStates(new double[3][size])).getMessage());
        assertEquals("into[1] has " + (size - 1) + " values, expected " + size + " (the network's state size)",
                assertThrows(IllegalArgumentException.class,
                        () -> net.saveStates(new double[][] {new double[size], new double[size - 1]})).getMessage());
        assertThrows(NullPointerException.class, () -> net.saveStates(null));
        assertEquals("from[0] has " + (size - 1) + " values, expected " + size + " (the network's state size)",
                assertThrows(IllegalArgumentException.class,
                        () -> net.restoreStates(new double[][] {new double[size - 1]})).getMessage());
        double[][] nan = new double[3][size];
        nan[2][1] = Double.NaN;
        assertEquals("from[2][1] is NaN: a state must be finite",
                assertThrows(IllegalArgumentException.class, () -> net.restoreStates(nan)).getMessage());
        assertThrows(NullPointerException.class, () -> net.restoreStates(null));
        assertEquals(2, net.streamCount());
        assertArrayEquals(streams, saved(net));
    }

    @EachCompiler
    void aFloat32NetworkHandsItsStreamsOverInDouble(TestCompiler compiler) {
        var net = (Streaming & Classifier) network(compiler, "FloatChars");
        net.setStateful(true);
        net.backward(tokens(3, 4, 1), tokens(3, 4, 2));
        double[][] streams = saved(net);
        for (double value : streams[2]) {
            assertEquals(value, (float) value, 0.0, "a float state widens exactly");
        }
        net.restoreStates(streams);
        assertArrayEquals(streams, saved(net), "a saved state comes back bit for bit");
        double[][] tooBig = new double[1][net.stateSize()];
        tooBig[0][0] = 1e39;
        assertThrows(IllegalArgumentException.class, () -> net.restoreStates(tooBig));
        assertArrayEquals(streams, saved(net));
    }

    @EachCompiler
    void aNetworkThatFeedsItsOutputBackStillRefusesStatefulBatches(TestCompiler compiler) {
        Streaming fed = network(compiler, "Fed");
        fed.setStateful(true);
        assertThrows(IllegalStateException.class, () -> fed.forward(new double[2][3][3], new double[2][3][2]));
        assertEquals(0, fed.streamCount());
    }
}
