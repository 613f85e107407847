package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.Autoregressive;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.Traceable;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;

/**
 * A refused call changes nothing: every parameter's value and gradient, whether each network is
 * stateful, the state it carries, and what the last batch left for {@code finalStates} are the same
 * after a call that threw as before it. Each case puts the bad argument where a call that checks as
 * it goes would already have changed something: late in a batch, or in the decoder's part of a pair.
 */
class RefusedCallsChangeNothingTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Regression",
                    "@Network(input = 3, output = 2)",
                    "public interface Regression extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Folded",
                    "@Network(input = 3, output = 2)",
                    "public interface Folded extends Autoregressive, Traceable {",
                    "    @Recurrent(hidden = 5, recurrence = Recurrence.OUTPUT) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Source",
                    "@Network(input = 5, output = 2, loss = Loss.CROSS_ENTROPY)",
                    "public interface Source extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Words",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY)",
                    "public interface Words extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name, long seed) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, seed);
    }

    /** What a network is: its values and gradients, whether it is stateful, and the state it carries. */
    private record Snapshot(List<double[]> values, List<double[]> gradients, boolean stateful, double[] carried) {
        static Snapshot of(SequenceModel net) {
            List<double[]> values = new ArrayList<>();
            List<double[]> gradients = new ArrayList<>();
            for (Parameter parameter : net.parameters()) {
                values.add(parameter.value().data.clone());
                gradients.add(parameter.gradient().data.clone());
            }
            if (!(net instanceof Streaming streaming)) {
                return new Snapshot(values, gradients, false, new double[0]);   // it carries nothing
            }
            double[] carried = new double[streaming.stateSize()];
            streaming.saveState(carried, 0);
            return new Snapshot(values, gradients, streaming.isStateful(), carried);
        }

        void assertSame(SequenceModel net, String what) {
            Snapshot now = of(net);
            for (int p = 0; p < values.size(); p++) {
                String name = net.parameters().get(p).name();
                assertArrayEquals(values.get(p), now.values().get(p), 0.0, what + ": the values of " + name);
                assertArrayEquals(gradients.get(p), now.gradients().get(p), 0.0, what + ": ∂L/∂" + name);
            }
            assertEquals(stateful, now.stateful(), what + ": whether it is stateful");
            assertArrayEquals(carried, now.carried(), 0.0, what + ": the carried state");
        }
    }

    /** Gives {@code net} gradients, a carried state and the stateful flag, so that any change shows. */
    private static void disturb(SequenceModel net, boolean stateful, long seed) {
        Random random = new Random(seed);
        for (Parameter parameter : net.parameters()) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.gradient().data[i] = random.nextGaussian();
            }
        }
        if (!(net instanceof Streaming streaming)) {
            return;   // it carries no state
        }
        double[] state = new double[streaming.stateSize()];
        for (int i = 0; i < state.length; i++) {
            state[i] = random.nextGaussian() * 0.5;
        }
        streaming.restoreState(state, 0);
        streaming.setStateful(stateful);
    }

    private static void assertRefused(Executable call, SequenceModel... nets) {
        List<Snapshot> before = new ArrayList<>();
        for (SequenceModel net : nets) {
            before.add(Snapshot.of(net));
        }
        assertThrows(IllegalArgumentException.class, call);
        for (int n = 0; n < nets.length; n++) {
            before.get(n).assertSame(nets[n], "network " + n);
        }
    }

    @EachCompiler
    void aBatchOfANetworkWithOutputFeedbackIsCheckedWhole(TestCompiler compiler) {
        // such a network runs its batch one sequence after another: a bad last sequence came after
        // the first ones had added their gradients
        var folded = (Autoregressive & Traceable) network(compiler, "Folded", 1);
        disturb(folded, false, 2);
        double[][][] xs = {new double[3][3], new double[2][3], new double[2][3]};
        assertRefused(() -> folded.backward(xs, new double[][][] {new double[3][2], new double[2][2],
                {{0, 0}, {0, Double.NaN}}}), folded);
        assertRefused(() -> folded.backward(xs, new double[][][] {new double[3][2], new double[2][2], null}), folded);
    }

    @EachCompiler
    void aRefusedBatchDrawsNoScheduledSamplingCoins(TestCompiler compiler) {
        var folded = (Autoregressive & Traceable) network(compiler, "Folded", 1);
        Random coins = new Random(7);
        folded.setScheduledSampling(0.5, coins);
        double[][][] xs = {new double[3][3], new double[2][3]};
        assertRefused(() -> folded.backward(xs, new double[][][] {new double[3][2], new double[3][2]}), folded);
        assertEquals(new Random(7).nextLong(), coins.nextLong(), "no coin was flipped");
    }

    @EachCompiler
    void aRefusedBatchLeavesTheLastBatchsFinalStates(TestCompiler compiler) {
        var regression = (Encoder & Decoder & Traceable) network(compiler, "Regression", 1);
        Random random = new Random(3);
        double[][][] xs = {randomRows(random, 4, 3), randomRows(random, 2, 3)};
        regression.forward(xs, new double[][][] {new double[4][2], new double[2][2]});
        double[][] finalStates = new double[2][regression.stateSize()];
        regression.finalStates(finalStates);
        disturb(regression, false, 4);
        // three sequences of other lengths, refused for their targets only
        double[][][] other = {new double[1][3], new double[5][3], new double[3][3]};
        assertRefused(() -> regression.backward(other, new double[][][] {new double[1][2], new double[5][2],
                new double[2][2]}), regression);
        assertRefused(() -> regression.backwardFromStates(other, new double[2][regression.stateSize()]), regression);
        double[][] after = new double[2][regression.stateSize()];
        regression.finalStates(after);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(finalStates[b], after[b], 0.0, "sequence " + b + "'s final state");
        }
    }

    @EachCompiler
    void aRefusedPairLeavesEncoderAndDecoderAsTheyWere(TestCompiler compiler) {
        var source = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Source", 1);
        var english = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words", 2);
        var french = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words", 3);
        EncoderDecoder model = new EncoderDecoder(source, english, french);
        disturb(source, true, 5);
        disturb(english, false, 6);
        disturb(french, true, 7);
        int[] sentence = {1, 4, 0, 2};
        int[] inputs = {0, 3, 5};
        int[] labels = {3, 5, 1};
        SequenceModel[] all = {source, english, french};
        // the decoder's labels are wrong: found only once the decoder runs from the encoded state
        assertRefused(() -> model.backward(sentence, 0, inputs, new int[] {3, 6, 1}), all);
        assertRefused(() -> model.loss(sentence, 1, inputs, new int[] {3, 5}), all);
        assertRefused(() -> model.backward(new double[2][5], 0, inputs, new int[] {-1, 0, 0}), all);
        assertRefused(() -> model.backward(sentence, 2, inputs, labels), all);
        assertRefused(() -> model.backward(sentence, 0, new int[0], new int[0], 0.5, new Random(1)), all);
    }

    @EachCompiler
    void aRefusedBatchOfPairsAddsNoGradient(TestCompiler compiler) {
        var source = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Source", 1);
        var english = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words", 2);
        var french = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words", 3);
        EncoderDecoder model = new EncoderDecoder(source, english, french);
        disturb(source, false, 5);
        disturb(english, false, 6);
        disturb(french, false, 7);
        int[][] sources = {{1, 4, 0}, {2, 2}};
        int[] decoders = {0, 1};
        int[][] inputs = {{0, 3, 5}, {0, 1}};
        // the English pair is fine; the French one's last label is not
        int[][] badLabels = {{3, 5, 1}, {1, 6}};
        SequenceModel[] all = {source, english, french};
        assertRefused(() -> model.backward(sources, decoders, inputs, badLabels), all);
        assertRefused(() -> model.backward(sources, decoders, inputs, badLabels, 0.5, new Random(1)), all);
        assertRefused(() -> model.backward(new double[][][] {new double[2][5], new double[3][5]}, decoders,
                inputs, badLabels), all);
    }

    @EachCompiler
    void aRefusedTraceQueryWritesNothing(TestCompiler compiler) {
        var words = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words", 1);
        words.traceStateGradients(true);
        words.backward(new int[] {1, 2, 3}, new int[] {2, 3, 4});
        double[][] into = {{9, 9, 9, 9}, {9, 9, 9, 9}, {9, 9, 9}};
        assertThrows(IllegalArgumentException.class, () -> words.forgetGates(0, 0, into));
        for (double[] row : into) {
            for (double value : row) {
                assertEquals(9.0, value, "a row of into was written: " + Arrays.deepToString(into));
            }
        }
    }

    private static double[][] randomRows(Random random, int rows, int width) {
        double[][] values = new double[rows][width];
        for (double[] row : values) {
            for (int j = 0; j < width; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return values;
    }
}
