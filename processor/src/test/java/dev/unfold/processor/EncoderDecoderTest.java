package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Traceable;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import dev.unfold.runtime.seq2seq.Generator;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * An encoder's final state starts a decoder, and the gradient of the decoder's loss flows back
 * through that state into the encoder: checked against central differences of the composed loss
 * for every parameter of both networks, with stacked LSTM, GRU and tanh layers, token and dense
 * sources; one encoder serves two decoders of different vocabularies.
 */
class EncoderDecoderTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Source",
                    "@Network(input = 5, output = 2, loss = Loss.CROSS_ENTROPY)",
                    "public interface Source extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Signal",
                    "@Network(input = 3, output = 1)",
                    "public interface Signal extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 3, activation = Activation.SIGMOID) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("English",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY)",
                    "public interface English extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("French",
                    "@Network(input = 7, output = 7, loss = Loss.CROSS_ENTROPY)",
                    "public interface French extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 3) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Unlike",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY)",
                    "public interface Unlike extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.GRU) Layer gru();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer top();",
                    "}"),
            TestCompiler.inTestPackage("ProjectedSource",
                    "@Network(input = 5, output = 2, loss = Loss.CROSS_ENTROPY)",
                    "public interface ProjectedSource extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 2) Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Projected",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY)",
                    "public interface Projected extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 2) Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name, long seed) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, seed);
    }

    private static final int[] SOURCE = {1, 4, 0, 2, 3};
    private static final int[] INPUTS = {0, 3, 5, 1};    // the start token 0, then the target but its last
    private static final int[] LABELS = {3, 5, 1, 2};

    @EachCompiler
    void gradientsFlowFromTheDecoderIntoTheEncoder(TestCompiler compiler) {
        EncoderDecoder model = new EncoderDecoder(network(compiler, "Source", 1), network(compiler, "English", 2),
                network(compiler, "French", 3));
        checkAgainstCentralDifferences(model, () -> model.loss(SOURCE, 0, INPUTS, LABELS),
                () -> model.backward(SOURCE, 0, INPUTS, LABELS), "English");
        int[] frenchLabels = {6, 2, 4, 4, 1, 0};
        int[] frenchInputs = {0, 6, 2, 4, 4, 1};
        checkAgainstCentralDifferences(model, () -> model.loss(SOURCE, 1, frenchInputs, frenchLabels),
                () -> model.backward(SOURCE, 1, frenchInputs, frenchLabels), "French");
    }

    @EachCompiler
    void aDenseSourceToo(TestCompiler compiler) {
        double[][] source = new double[6][3];
        Random random = new Random(4);
        for (double[] x : source) {
            for (int j = 0; j < 3; j++) {
                x[j] = random.nextGaussian();
            }
        }
        EncoderDecoder model = new EncoderDecoder(network(compiler, "Signal", 5), network(compiler, "French", 6));
        int[] inputs = {0, 2, 2, 6};
        int[] labels = {2, 2, 6, 3};
        checkAgainstCentralDifferences(model, () -> model.loss(source, 0, inputs, labels),
                () -> model.backward(source, 0, inputs, labels), "dense");
    }

    private static void checkAgainstCentralDifferences(EncoderDecoder model, DoubleSupplier loss, Runnable backward,
                                                       String what) {
        Parameters parameters = model.parameters();
        parameters.zeroGradients();
        backward.run();
        long reached = 0;
        for (Parameter parameter : parameters) {
            if (parameter.name().startsWith("encoder.") && !parameter.name().startsWith("encoder.out.")) {
                reached += Arrays.stream(parameter.gradient().data).filter(g -> g != 0).count();
            }
        }
        assertTrue(reached > 20, what + ": the encoder's recurrent weights received gradients (" + reached + ")");
        CentralDifferences.assertGradients(parameters, loss, 1e-6, what);
    }

    @EachCompiler
    void eachUpdateTrainsOneDecoderAndTheSharedEncoder(TestCompiler compiler) {
        EncoderDecoder model = new EncoderDecoder(network(compiler, "Source", 1), network(compiler, "English", 2),
                network(compiler, "French", 3));
        Parameters parameters = model.parameters();
        assertEquals(model.encoder().parameterCount() + model.decoder(0).parameterCount()
                + model.decoder(1).parameterCount(), parameters.count());
        assertTrue(parameters.contains("encoder.lstm.weight_hh") && parameters.contains("decoder1.rnn.weight_hh"));
        parameters.zeroGradients();
        model.backward(SOURCE, 0, INPUTS, LABELS);
        for (Parameter parameter : model.decoder(1).parameters()) {
            assertTrue(Arrays.stream(parameter.gradient().data).allMatch(g -> g == 0), parameter.name());
        }
        assertTrue(Arrays.stream(model.encoder().parameters().get("gru.weight_hh").gradient().data)
                .anyMatch(g -> g != 0));
    }

    /** Greedy decoding from the encoded source picks, at each step, the decoder's most probable token. */
    @EachCompiler
    void generationStartsFromTheEncodedSource(TestCompiler compiler) {
        var encoder = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Source", 7);
        var english = (Encoder & Decoder & Classifier & Traceable) network(compiler, "English", 8);
        EncoderDecoder model = new EncoderDecoder(encoder, english);
        int[] generated = new int[5];
        int count = model.encodeFor(SOURCE, 0).greedy(new int[] {0}, 5, -1, generated);
        assertEquals(5, count);

        // the same choices, made by the whole-sequence pass from the encoder's final state
        double[] state = new double[encoder.stateSize()];
        encoder.forward(SOURCE, new double[SOURCE.length][2]);
        encoder.finalState(state, 0);
        english.setStateful(true);
        for (int t = 0; t < count; t++) {
            int[] prefix = new int[t + 1];
            System.arraycopy(generated, 0, prefix, 1, t);
            double[][] ys = new double[t + 1][6];
            english.restoreState(state, 0);
            english.forward(prefix, ys);
            double[] p = ys[t];
            for (double q : p) {
                assertTrue(q <= p[generated[t]], "step " + t);
            }
        }
        english.setStateful(false);
        Generator fromZero = new Generator(english);
        int[] unencoded = new int[5];
        fromZero.greedy(new int[] {0}, 5, -1, unencoded);
        assertTrue(model.generator(0) != fromZero);
    }

    /**
     * Scheduled sampling: reading its own predictions never is teacher forcing, bit for bit; always,
     * it is teacher forcing on the inputs greedy decoding would have fed it.
     */
    @EachCompiler
    void scheduledSamplingMixesTargetsAndOwnPredictions(TestCompiler compiler) {
        EncoderDecoder model = new EncoderDecoder(network(compiler, "Source", 1), network(compiler, "English", 2));
        Parameters parameters = model.parameters();
        parameters.zeroGradients();
        double forced = model.backward(SOURCE, 0, INPUTS, LABELS);
        double[] forcedGradient = parameters.get("encoder.lstm.weight_hh").gradient().data.clone();
        parameters.zeroGradients();
        assertEquals(forced, model.backward(SOURCE, 0, INPUTS, LABELS, 0.0, new java.util.SplittableRandom(1)), 0.0);
        assertArrayEquals(forcedGradient, parameters.get("encoder.lstm.weight_hh").gradient().data, 0.0);

        int[] greedy = new int[INPUTS.length];
        model.encodeFor(SOURCE, 0).greedy(new int[] {INPUTS[0]}, INPUTS.length - 1, -1, greedy);
        int[] ownInputs = new int[INPUTS.length];
        ownInputs[0] = INPUTS[0];
        System.arraycopy(greedy, 0, ownInputs, 1, INPUTS.length - 1);
        parameters.zeroGradients();
        double own = model.backward(SOURCE, 0, INPUTS, LABELS, 1.0, new java.util.SplittableRandom(1));
        double[] ownGradient = parameters.get("decoder0.lstm.weight_ih").gradient().data.clone();
        parameters.zeroGradients();
        assertEquals(own, model.backward(SOURCE, 0, ownInputs, LABELS), 0.0);
        assertArrayEquals(ownGradient, parameters.get("decoder0.lstm.weight_ih").gradient().data, 0.0);
        assertTrue(!Arrays.equals(ownInputs, INPUTS), "the untrained decoder's own guesses differ from the targets");
    }

    @EachCompiler
    void aDecoderOfOtherLayersIsRefused(TestCompiler compiler) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new EncoderDecoder(network(compiler, "Source", 1), network(compiler, "Unlike", 2)));
        assertEquals("decoder 0 cannot start from the encoder's final state: the encoder's layers are [LSTM 4, GRU"
                + " 3], the decoder's [GRU 4, GRU 3]; layer l of each must have the same size and both or neither be"
                + " an LSTM", thrown.getMessage());
    }

    /** An LSTM of 4 hands on h of 4 values: a decoder whose LSTM of 4 projects h to 2 cannot take it. */
    @EachCompiler
    void aDecoderProjectingItsStateDifferentlyIsRefused(TestCompiler compiler) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> new EncoderDecoder(network(compiler, "Source", 1), network(compiler, "Projected", 2)));
        assertEquals("decoder 0 cannot start from the encoder's final state: the encoder's layers are [LSTM 4, GRU"
                + " 3], the decoder's [LSTM 4 projected to 2, GRU 3]; layer l of each must have the same size and both"
                + " or neither be an LSTM", thrown.getMessage());
    }

    /**
     * Sequence to sequence in masked batches: an encoder's batched final states are each
     * sequence's own; a decoder started from them (setInitialStates) gives the loss, gradients and
     * initial-state gradients of its sequences run one by one; the encoder's backwardFromStates
     * gives the gradients of backwardFromState one by one. Different lengths in every batch.
     */
    @EachCompiler
    void batchesOfPairsEqualThePairsOneByOne(TestCompiler compiler) {
        checkBatchesOfPairs(compiler, "Source", "English");
    }

    /** The same with LSTMs whose h (2 values) is smaller than their c (4): states laid out per state size. */
    @EachCompiler
    void batchesOfProjectedPairsEqualThePairsOneByOne(TestCompiler compiler) {
        checkBatchesOfPairs(compiler, "ProjectedSource", "Projected");
    }

    private static void checkBatchesOfPairs(TestCompiler compiler, String encoderName, String decoderName) {
        Random random = new Random(17);
        int count = 10;
        int[][] sources = new int[count][];
        int[][] inputs = new int[count][];
        int[][] labels = new int[count][];
        for (int b = 0; b < count; b++) {
            sources[b] = random.ints(1 + random.nextInt(7), 0, 5).toArray();
            inputs[b] = random.ints(1 + random.nextInt(6), 0, 6).toArray();
            labels[b] = random.ints(inputs[b].length, 0, 6).toArray();
        }
        var encoder = (Encoder & Decoder & Classifier & Traceable) network(compiler, encoderName, 1);
        var decoder = (Encoder & Decoder & Classifier & Traceable) network(compiler, decoderName, 2);
        int size = encoder.stateSize();

        // one by one, as EncoderDecoder runs a pair
        double[][] states = new double[count][size];
        double[][] stateGradients = new double[count][size];
        double alone = 0;
        encoder.parameters().zeroGradients();
        decoder.parameters().zeroGradients();
        for (int b = 0; b < count; b++) {
            encoder.forward(sources[b], new double[sources[b].length][2]);
            encoder.finalState(states[b], 0);
            decoder.setStateful(true);
            decoder.restoreState(states[b], 0);
            alone += decoder.backward(inputs[b], labels[b]);
            decoder.setStateful(false);
            decoder.initialStateGradient(stateGradients[b], 0);
            encoder.backwardFromState(sources[b], stateGradients[b], 0);
        }
        List<double[]> expected = gradients(encoder, decoder);

        // in one batch each
        encoder.parameters().zeroGradients();
        decoder.parameters().zeroGradients();
        double[][][] outputs = new double[count][][];
        for (int b = 0; b < count; b++) {
            outputs[b] = new double[sources[b].length][2];
        }
        encoder.forward(sources, outputs);
        double[][] batchStates = new double[count][size];
        encoder.finalStates(batchStates);
        for (int b = 0; b < count; b++) {
            assertArrayEquals(states[b], batchStates[b], 1e-12, "final state of sequence " + b);
        }
        decoder.setInitialStates(batchStates);
        assertEquals(alone, decoder.backward(inputs, labels), 1e-10);
        decoder.setInitialStates(null);
        double[][] batchStateGradients = new double[count][size];
        decoder.initialStateGradients(batchStateGradients);
        for (int b = 0; b < count; b++) {
            assertArrayEquals(stateGradients[b], batchStateGradients[b], 1e-12, "initial-state gradient " + b);
        }
        encoder.backwardFromStates(sources, batchStateGradients);
        List<double[]> together = gradients(encoder, decoder);
        for (int p = 0; p < expected.size(); p++) {
            assertArrayEquals(expected.get(p), together.get(p), 1e-10, "parameter " + p);
        }
        assertTrue(expected.stream().anyMatch(g -> java.util.Arrays.stream(g).anyMatch(v -> v != 0)));
    }

    /** An EncoderDecoder's minibatch, pairs of two decoders mixed, equals its pairs one by one; so do SequencePairs. */
    @EachCompiler
    void aMinibatchOfPairsForTwoDecodersEqualsThePairsOneByOne(TestCompiler compiler) {
        Random random = new Random(23);
        int count = 10;
        int[][] sources = new int[count][];
        int[] decoders = new int[count];
        int[][] targets = new int[count][];
        int[][] inputs = new int[count][];
        int[][] labels = new int[count][];
        for (int b = 0; b < count; b++) {
            sources[b] = random.ints(1 + random.nextInt(7), 0, 5).toArray();
            decoders[b] = random.nextInt(2);
            targets[b] = random.ints(random.nextInt(5), 1, decoders[b] == 0 ? 6 : 7).toArray();
            inputs[b] = new int[targets[b].length + 1];
            labels[b] = new int[targets[b].length + 1];
            System.arraycopy(targets[b], 0, inputs[b], 1, targets[b].length);
            System.arraycopy(targets[b], 0, labels[b], 0, targets[b].length);
        }
        EncoderDecoder model = new EncoderDecoder(network(compiler, "Source", 1), network(compiler, "English", 2),
                network(compiler, "French", 3));
        model.parameters().zeroGradients();
        double alone = 0;
        for (int b = 0; b < count; b++) {
            alone += model.backward(sources[b], decoders[b], inputs[b], labels[b]);
        }
        List<double[]> expected = gradients(model.parameters());
        model.parameters().zeroGradients();
        assertEquals(alone, model.backward(sources, decoders, inputs, labels), 1e-10);
        List<double[]> together = gradients(model.parameters());
        for (int p = 0; p < expected.size(); p++) {
            assertArrayEquals(expected.get(p), together.get(p), 1e-10, model.parameters().get(p).name());
        }

        // scheduled sampling: the same draws, pair by pair in order, then the batched passes
        model.parameters().zeroGradients();
        java.util.SplittableRandom draws = new java.util.SplittableRandom(31);
        double sampledAlone = 0;
        for (int b = 0; b < count; b++) {
            sampledAlone += model.backward(sources[b], decoders[b], inputs[b], labels[b], 0.5, draws);
        }
        List<double[]> sampled = gradients(model.parameters());
        model.parameters().zeroGradients();
        assertEquals(sampledAlone, model.backward(sources, decoders, inputs, labels, 0.5,
                new java.util.SplittableRandom(31)), 1e-10);
        List<double[]> sampledTogether = gradients(model.parameters());
        for (int p = 0; p < sampled.size(); p++) {
            assertArrayEquals(sampled.get(p), sampledTogether.get(p), 1e-10, model.parameters().get(p).name());
        }
        assertTrue(Math.abs(sampledAlone - alone) > 1e-6, "scheduled sampling changed what the decoders read");

        model.parameters().zeroGradients();
        dev.unfold.runtime.seq2seq.SequencePairs pairs =
                dev.unfold.runtime.seq2seq.SequencePairs.of(model, sources, decoders, targets, 0, 0, 4);
        pairs.startEpoch(5);
        double batched = 0;
        for (int update = 0; update < pairs.updates(); update++) {
            batched += pairs.backward(update);
        }
        assertEquals(alone, batched, 1e-10, "SequencePairs in minibatches of 4, 4 and 2");
        together = gradients(model.parameters());
        for (int p = 0; p < expected.size(); p++) {
            assertArrayEquals(expected.get(p), together.get(p), 1e-10, model.parameters().get(p).name());
        }
    }

    private static List<double[]> gradients(Parameters parameters) {
        List<double[]> all = new java.util.ArrayList<>();
        for (Parameter p : parameters) {
            all.add(p.gradient().data.clone());
        }
        return all;
    }

    @EachCompiler
    void batchedStatesSayWhatIsWrong(TestCompiler compiler) {
        var decoder = (Encoder & Decoder & Classifier & Traceable) network(compiler, "English", 2);
        decoder.setInitialStates(new double[2][decoder.stateSize()]);
        assertEquals("the batch has 3 sequences but setInitialStates gave 2 states: give one state per sequence, or"
                        + " null for zero states",
                assertThrows(IllegalArgumentException.class,
                        () -> decoder.backward(new int[][] {{1}, {2}, {3}}, new int[][] {{1}, {2}, {3}})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> decoder.setInitialStates(new double[][] {new double[3]}));
    }

    private static List<double[]> gradients(SequenceModel... networks) {
        List<double[]> all = new java.util.ArrayList<>();
        for (SequenceModel net : networks) {
            for (dev.unfold.runtime.Parameter p : net.parameters()) {
                all.add(p.gradient().data.clone());
            }
        }
        return all;
    }
}
