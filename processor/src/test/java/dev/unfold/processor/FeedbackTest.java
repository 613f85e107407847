package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Autoregressive;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Traceable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Output-to-hidden recurrence (equations.md (8.1) and its combination with the ordinary
 * recurrence): teacher forcing computes what equations.md (8.1) to (8.3) say, written out here by hand;
 * every gradient, W_oh's included, matches central differences; stateful chunks pass the last
 * target on; {@code forward} runs free, feeding back its own predictions.
 */
class FeedbackTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Folded",
                    "@Network(input = 3, output = 2)",
                    "public interface Folded extends Autoregressive, Traceable {",
                    "    @Recurrent(hidden = 5, recurrence = Recurrence.OUTPUT) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("DeepFolded",
                    "@Network(input = 3, output = 2, loss = Loss.BINARY_CROSS_ENTROPY)",
                    "public interface DeepFolded extends Autoregressive, Traceable {",
                    "    @Recurrent(hidden = 4, activation = Activation.SIGMOID, recurrence = Recurrence.OUTPUT)",
                    "    Layer rnn();",
                    "    @Recurrent(hidden = 3, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Speaker",
                    "@Network(input = 5, output = 4, loss = Loss.CROSS_ENTROPY, context = 2)",
                    "public interface Speaker extends Autoregressive, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM, recurrence = Recurrence.HIDDEN_AND_OUTPUT)",
                    "    Layer lstm();",
                    "    @Recurrent(hidden = 3, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("ProjectedSpeaker",
                    "@Network(input = 5, output = 4, loss = Loss.CROSS_ENTROPY, context = 2)",
                    "public interface ProjectedSpeaker extends Autoregressive, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM, projection = 3, recurrence = Recurrence.HIDDEN_AND_OUTPUT)",
                    "    Layer lstm();",
                    "    @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 2) Layer upper();",
                    "}"),
            TestCompiler.inTestPackage("SineWriter",
                    "@Network(input = 2, output = 1)",
                    "public interface SineWriter extends Autoregressive, Traceable {",
                    "    @Recurrent(hidden = 16, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("PlainForFeedback",
                    "@Network(input = 2, output = 3)",
                    "public interface PlainForFeedback extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 4) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Both",
                    "@Network(input = 2, output = 3)",
                    "public interface Both extends Autoregressive, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.GRU, recurrence = Recurrence.HIDDEN_AND_OUTPUT)",
                    "    Layer gru();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, 3);
    }

    private static double[][] uniform(Random random, int rows, int columns) {
        double[][] values = new double[rows][];
        for (int t = 0; t < rows; t++) {
            values[t] = random.doubles(columns).map(u -> 2 * u - 1).toArray();
        }
        return values;
    }

    private static double[][] bits(Random random, int rows, int columns) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int k = 0; k < columns; k++) {
                row[k] = random.nextBoolean() ? 1 : 0;
            }
        }
        return values;
    }

    /** The folded layer of equations.md (8.1) written out: h_t = tanh(W y_{t−1} + U x_t + b), ŷ_t = V h_t + c. */
    private static double[][] foldedByHand(SequenceModel net, double[][] xs, double[][] fed) {
        double[] w = net.parameters().get("rnn.weight_oh").value().data;
        double[] u = net.parameters().get("rnn.weight_ih").value().data;
        double[] b = net.parameters().get("rnn.bias").value().data;
        double[] v = net.parameters().get("out.weight").value().data;
        double[] c = net.parameters().get("out.bias").value().data;
        double[][] predictions = new double[xs.length][2];
        for (int t = 0; t < xs.length; t++) {
            double[] previous = t == 0 ? new double[2] : fed[t - 1];
            double[] h = new double[5];
            for (int i = 0; i < 5; i++) {
                double sum = b[i];
                for (int j = 0; j < 2; j++) {
                    sum += w[i * 2 + j] * previous[j];
                }
                for (int j = 0; j < 3; j++) {
                    sum += u[i * 3 + j] * xs[t][j];
                }
                h[i] = Math.tanh(sum);
            }
            for (int k = 0; k < 2; k++) {
                double sum = c[k];
                for (int i = 0; i < 5; i++) {
                    sum += v[k * 5 + i] * h[i];
                }
                predictions[t][k] = sum;
            }
        }
        return predictions;
    }

    @EachCompiler
    void theFoldedLayerComputesItsEquations(TestCompiler compiler) {
        var net = (Autoregressive & Traceable) network(compiler, "Folded");
        assertTrue(net.parameters().contains("rnn.weight_oh"));
        assertFalse(net.parameters().contains("rnn.weight_hh"), "W_oh takes W_hh's place");
        assertEquals(5 * 2, net.parameters().get("rnn.weight_oh").size());
        assertEquals(5 * 3 + 5 * 2 + 5 + 2 * 5 + 2, net.parameterCount());
        Random random = new Random(4);
        double[][] xs = uniform(random, 6, 3);
        double[][] targets = uniform(random, 6, 2);

        // teacher forcing: step t reads the target y_{t−1}
        double[][] taught = foldedByHand(net, xs, targets);
        double expected = 0;
        for (int t = 0; t < 6; t++) {
            for (int k = 0; k < 2; k++) {
                expected += (taught[t][k] - targets[t][k]) * (taught[t][k] - targets[t][k]);
            }
        }
        assertEquals(expected, net.loss(xs, targets), 1e-12);

        // running free: step t reads the prediction ŷ_{t−1}
        double[][] ys = new double[6][2];
        net.forward(xs, ys);
        assertArrayEquals(foldedByHand(net, xs, ys)[5], ys[5], 1e-12);
        for (int t = 0; t < 6; t++) {
            assertArrayEquals(foldedByHand(net, xs, ys)[t], ys[t], 1e-12, "step " + (t + 1));
        }
        assertFalse(Arrays.equals(taught[5], ys[5]), "own predictions steer other than the targets");
        assertEquals(0, net.loss(xs, ys), 1e-24, "teacher forcing on its own predictions reproduces them");
    }

    @EachCompiler
    void everyGradientMatchesCentralDifferences(TestCompiler compiler) {
        Random random = new Random(2);
        var folded = (Autoregressive & Traceable) network(compiler, "Folded");
        double[][] xs = uniform(random, 5, 3);
        double[][] targets = uniform(random, 5, 2);
        check(folded, () -> folded.loss(xs, targets), () -> folded.backward(xs, targets), "Folded");

        var deep = (Autoregressive & Traceable) network(compiler, "DeepFolded");
        double[][] flags = bits(random, 5, 2);
        check(deep, () -> deep.loss(xs, flags), () -> deep.backward(xs, flags), "DeepFolded");

        var speaker = (Autoregressive & Contextual & Classifier & Traceable) network(compiler, "Speaker");
        speaker.setContext(new double[] {0.5, -1});
        int[] tokens = {0, 4, 2, 3, 1};
        int[] labels = {3, 0, 2, 1, 1};
        check(speaker, () -> speaker.loss(tokens, labels), () -> speaker.backward(tokens, labels), "Speaker");

        var both = (Autoregressive & Traceable) network(compiler, "Both");
        double[][] pairs = uniform(random, 6, 2);
        double[][] triples = uniform(random, 6, 3);
        check(both, () -> both.loss(pairs, triples), () -> both.backward(pairs, triples), "Both");
    }

    /** Projecting LSTMs reading a context and the previous output: every gradient, W_hr's among them. */
    @EachCompiler
    void projectingLstmsWithContextAndFeedbackMatchCentralDifferences(TestCompiler compiler) {
        var speaker = (Autoregressive & Contextual & Classifier & Traceable) network(compiler, "ProjectedSpeaker");
        speaker.setContext(new double[] {-0.5, 1});
        int[] tokens = {0, 4, 2, 3, 1, 2};
        int[] labels = {3, 0, 2, 1, 1, 0};
        assertTrue(speaker.parameters().names().containsAll(List.of("lstm.weight_hr", "lstm.weight_context",
                "upper.weight_hr")), "W_hr, R and W_oh are parameters: " + speaker.parameters().names());
        check(speaker, () -> speaker.loss(tokens, labels), () -> speaker.backward(tokens, labels), "ProjectedSpeaker");
    }

    private static void check(SequenceModel net, DoubleSupplier loss, Runnable backward, String name) {
        net.parameters().zeroGradients();
        backward.run();
        assertTrue(net.parameters().names().stream().anyMatch(n -> n.endsWith("weight_oh")), name + " has W_oh");
        double squares = 0;
        for (Parameter parameter : net.parameters()) {
            if (parameter.name().endsWith("weight_oh")) {
                for (double g : parameter.gradient().data) {
                    squares += g * g;
                }
            }
        }
        assertTrue(squares > 0, name + ": the previous targets reach W_oh");
        CentralDifferences.assertGradients(net.parameters(), loss, 1e-6, name);
    }

    @EachCompiler
    void statefulChunksPassTheLastTargetOn(TestCompiler compiler) {
        for (String name : List.of("Both", "Speaker")) {
            Autoregressive net = network(compiler, name);
            if (net instanceof Contextual told) {
                told.setContext(new double[] {1, 0.25});
            }
            Random random = new Random(7);
            int outputs = net.outputSize();
            int steps = 8;
            double whole;
            double chunked;
            if (net.inputSize() == 5) {
                int[] tokens = random.ints(steps, 0, 5).toArray();
                int[] labels = random.ints(steps, 0, outputs).toArray();
                Classifier classifier = (Classifier) net;
                whole = classifier.loss(tokens, labels);
                net.setStateful(true);
                chunked = classifier.loss(Arrays.copyOfRange(tokens, 0, 3), Arrays.copyOfRange(labels, 0, 3))
                        + classifier.loss(Arrays.copyOfRange(tokens, 3, 8), Arrays.copyOfRange(labels, 3, 8));
            } else {
                double[][] xs = uniform(random, steps, net.inputSize());
                double[][] ys = uniform(random, steps, outputs);
                whole = net.loss(xs, ys);
                net.setStateful(true);
                chunked = net.backward(Arrays.copyOfRange(xs, 0, 5), Arrays.copyOfRange(ys, 0, 5))
                        + net.backward(Arrays.copyOfRange(xs, 5, 8), Arrays.copyOfRange(ys, 5, 8));
            }
            assertEquals(whole, chunked, 1e-12, name + ": the second chunk starts from the first one's last target");
        }
    }

    @EachCompiler
    void runningFreeFeedsBackTheFormTheTargetsTake(TestCompiler compiler) {
        // cross-entropy: the most probable class, one-hot, as a label would be
        var speaker = (Autoregressive & Contextual & Classifier & Traceable) network(compiler, "Speaker");
        speaker.setContext(new double[] {-0.5, 2});
        int[] tokens = {1, 3, 3, 0, 2, 4};
        double[][] probabilities = new double[6][4];
        speaker.forward(tokens, probabilities);
        int[] greedy = new int[6];
        double expected = 0;
        for (int t = 0; t < 6; t++) {
            for (int k = 1; k < 4; k++) {
                greedy[t] = probabilities[t][k] > probabilities[t][greedy[t]] ? k : greedy[t];
            }
            expected -= Math.log(probabilities[t][greedy[t]]);
        }
        assertEquals(expected, speaker.loss(tokens, greedy), 1e-12, "teacher forcing on the greedy chain");

        // binary cross-entropy: each output rounded to 0 or 1
        var deep = (Autoregressive & Traceable) network(compiler, "DeepFolded");
        double[][] xs = uniform(new Random(5), 6, 3);
        double[][] ys = new double[6][2];
        deep.forward(xs, ys);
        double[][] rounded = new double[6][2];
        double bce = 0;
        for (int t = 0; t < 6; t++) {
            for (int k = 0; k < 2; k++) {
                rounded[t][k] = ys[t][k] >= 0.5 ? 1 : 0;
                bce -= Math.log(rounded[t][k] == 1 ? ys[t][k] : 1 - ys[t][k]);
            }
        }
        assertEquals(bce, deep.loss(xs, rounded), 1e-12);
    }

    @EachCompiler
    void forwardLeavesTheStreamAsItWas(TestCompiler compiler) {
        var net = (Autoregressive & Traceable) network(compiler, "Both");
        double[][] xs = uniform(new Random(9), 7, 2);
        double[][] uninterrupted = new double[7][3];
        net.resetState();
        for (int t = 0; t < 7; t++) {
            net.step(xs[t], uninterrupted[t]);
        }
        double[][] interrupted = new double[7][3];
        net.resetState();
        for (int t = 0; t < 3; t++) {
            net.step(xs[t], interrupted[t]);
        }
        double[][] elsewhere = new double[4][3];
        net.forward(Arrays.copyOfRange(xs, 1, 5), elsewhere);
        for (int t = 3; t < 7; t++) {
            net.step(xs[t], interrupted[t]);
        }
        for (int t = 0; t < 7; t++) {
            assertArrayEquals(uninterrupted[t], interrupted[t], 0.0, "step " + (t + 1));
        }
        double[][] fromZero = new double[7][3];
        net.forward(xs, fromZero);
        for (int t = 0; t < 7; t++) {
            assertArrayEquals(uninterrupted[t], fromZero[t], 0.0, "forward runs the same steps from zero");
        }
    }

    /**
     * A task with a known answer: write sin(0.3 t + φ) for 40 steps, given only (sin φ, cos φ) at the
     * first step. Trained with teacher forcing alone, the network then writes the wave running free
     * from its own outputs: every step within 0.1 of the truth on phases it never saw.
     */
    @EachCompiler
    void teacherForcingTeachesItToWriteASineWaveRunningFree(TestCompiler compiler) {
        var net = (Autoregressive & Traceable) network(compiler, "SineWriter");
        dev.unfold.runtime.optim.Adam adam = new dev.unfold.runtime.optim.Adam(net.parameters(), 0.01);
        Random random = new Random(11);
        int steps = 40;
        double[][] xs = new double[steps][2];
        double[][] ys = new double[steps][1];
        for (int update = 0; update < 1500; update++) {
            wave(random.nextDouble() * 2 * Math.PI, xs, ys);
            net.parameters().zeroGradients();
            net.backward(xs, ys);
            net.parameters().scaleGradients(1.0 / steps);
            adam.step();
        }
        double worst = 0;
        double[][] written = new double[steps][1];
        for (int k = 0; k < 20; k++) {
            wave(2 * Math.PI * (k + 0.5) / 20, xs, ys);
            net.forward(xs, written);
            for (int t = 0; t < steps; t++) {
                worst = Math.max(worst, Math.abs(written[t][0] - ys[t][0]));
            }
        }
        assertTrue(worst < 0.1, "largest error running free over 20 held-out phases: " + worst);
    }

    private static void wave(double phase, double[][] xs, double[][] ys) {
        for (double[] x : xs) {
            Arrays.fill(x, 0);
        }
        xs[0][0] = Math.sin(phase);
        xs[0][1] = Math.cos(phase);
        for (int t = 0; t < ys.length; t++) {
            ys[t][0] = Math.sin(0.3 * (t + 1) + phase);
        }
    }

    /** Coin flips in a given order, so that a test knows which steps read their own prediction. */
    private static final class Coins extends Random {
        private final double[] flips;
        private int next;

        Coins(double... flips) {
            this.flips = flips;
        }

        @Override
        public double nextDouble() {
            return flips[next++ % flips.length];
        }
    }

    /**
     * Scheduled sampling on the folded layer, written out: step t + 1 reads the own prediction
     * ŷ_t where the coin came up below p, else the target y_t. Always own predictions is running free.
     */
    @EachCompiler
    void scheduledSamplingFeedsOwnPredictionsWhereTheCoinsSay(TestCompiler compiler) {
        var net = (Autoregressive & Traceable) network(compiler, "Folded");
        Random random = new Random(6);
        double[][] xs = uniform(random, 6, 3);
        double[][] targets = uniform(random, 6, 2);
        double teacherForced = net.loss(xs, targets);

        double[] flips = {0.9, 0.2, 0.7, 0.1, 0.4};     // p = 0.5: target, own, target, own, own
        net.setScheduledSampling(0.5, new Coins(flips));
        double[][] fed = new double[6][];
        double expected = 0;
        for (int t = 0; t < 6; t++) {
            double[] prediction = foldedByHand(net, Arrays.copyOf(xs, t + 1), fed)[t];
            for (int k = 0; k < 2; k++) {
                expected += (prediction[k] - targets[t][k]) * (prediction[k] - targets[t][k]);
            }
            fed[t] = t < 5 && flips[t] < 0.5 ? prediction : targets[t];
        }
        net.parameters().zeroGradients();
        assertEquals(expected, net.backward(xs, targets), 1e-12);
        assertEquals(teacherForced, net.loss(xs, targets), 0.0, "loss stays teacher-forced");

        double[][] free = new double[6][2];
        net.forward(xs, free);
        double runningFree = 0;
        for (int t = 0; t < 6; t++) {
            for (int k = 0; k < 2; k++) {
                runningFree += (free[t][k] - targets[t][k]) * (free[t][k] - targets[t][k]);
            }
        }
        net.setScheduledSampling(1, new Random(1));
        assertEquals(runningFree, net.backward(xs, targets), 1e-12, "p = 1 trains on the free-running predictions");
        net.setScheduledSampling(0, null);
        assertEquals(teacherForced, net.backward(xs, targets), 0.0, "p = 0 is teacher forcing");
    }

    @EachCompiler
    void scheduledSamplingWithClassesFeedsTheGreedyClass(TestCompiler compiler) {
        var speaker = (Autoregressive & Contextual & Classifier & Traceable) network(compiler, "Speaker");
        speaker.setContext(new double[] {0.3, -0.7});
        int[] tokens = {2, 0, 4, 1, 3};
        int[] labels = {1, 3, 0, 2, 2};
        double[][] probabilities = new double[5][4];
        speaker.forward(tokens, probabilities);
        double expected = 0;
        for (int t = 0; t < 5; t++) {
            expected -= Math.log(probabilities[t][labels[t]]);
        }
        speaker.setScheduledSampling(1, new Random(2));
        assertEquals(expected, speaker.backward(tokens, labels), 1e-12);
        assertEquals("the probability of feeding back the network's own prediction must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> speaker.setScheduledSampling(1.5, new Random()))
                        .getMessage());
    }

    /** A batch runs its sequences one after another, each from a zero state, and refuses while stateful. */
    @EachCompiler
    void aBatchIsItsSequencesOneAfterAnother(TestCompiler compiler) {
        var net = (Autoregressive & Traceable) network(compiler, "Both");
        Random random = new Random(13);
        double[][][] xs = {uniform(random, 4, 2), uniform(random, 7, 2), uniform(random, 1, 2)};
        double[][][] targets = {uniform(random, 4, 3), uniform(random, 7, 3), uniform(random, 1, 3)};
        net.setScheduledSampling(0.5, new Random(21));
        double alone = 0;
        for (int b = 0; b < 3; b++) {
            alone += net.backward(xs[b], targets[b]);
        }
        net.setScheduledSampling(0.5, new Random(21));
        assertEquals(alone, net.backward(xs, targets), 0.0, "the same coins, in the same order");
        double[][][] ys = {new double[4][3], new double[7][3], new double[1][3]};
        net.forward(xs, ys);
        for (int b = 0; b < 3; b++) {
            double[][] one = new double[xs[b].length][3];
            net.forward(xs[b], one);
            for (int t = 0; t < one.length; t++) {
                assertArrayEquals(one[t], ys[b][t], 0.0);
            }
        }
        assertEquals("sequence 1 of the batch: targets has 6 rows, expected 7 (one per input step)",
                assertThrows(IllegalArgumentException.class, () -> net.backward(xs,
                        new double[][][] {targets[0], Arrays.copyOf(targets[1], 6), targets[2]})).getMessage());
        net.setStateful(true);
        assertThrows(IllegalStateException.class, () -> net.forward(xs, ys));
    }

    /**
     * What used to refuse at run time is no method at all: a network that feeds its output back is
     * no Encoder (it has no targets to read while it encodes), and one that does not is no
     * Autoregressive; DeclarationErrorsTest shows the compile errors for declaring either.
     */
    @EachCompiler
    void whatCannotWorkIsNoMethod(TestCompiler compiler) throws Exception {
        var net = (Autoregressive & Traceable) network(compiler, "Both");
        assertFalse(net instanceof Encoder);
        assertThrows(NoSuchMethodException.class,
                () -> net.getClass().getMethod("backwardFromState", double[][].class, double[].class, int.class));
        var plain = (Encoder & Decoder & Traceable) TestCompiler.instantiate(NETWORKS.loader(compiler),
                "test.UnfoldedPlainForFeedback", 1);
        assertFalse(plain instanceof Autoregressive);
        assertThrows(NoSuchMethodException.class,
                () -> plain.getClass().getMethod("setScheduledSampling", double.class, Random.class));
    }

    /**
     * A network with a context that feeds its output back runs a batch one sequence after another,
     * each reading the context setContexts gave it, as if each had been set with setContext: the
     * same loss and gradients, and its own context back afterwards.
     */
    @EachCompiler
    void aBatchWithContextsRunsEachSequenceWithItsOwn(TestCompiler compiler) {
        var speaker = (Autoregressive & Contextual & Classifier & Traceable) network(compiler, "Speaker");
        double[][] contexts = {{1, -0.5}, {0.25, 2}, {-1, 0}};
        int[][] tokens = {{1, 2, 0}, {3}, {4, 4, 1, 2}};
        int[][] labels = {{2, 3, 1}, {0}, {1, 2, 3, 0}};
        double expected = 0;
        for (int b = 0; b < tokens.length; b++) {
            speaker.setContext(contexts[b]);
            expected += speaker.backward(tokens[b], labels[b]);
        }
        List<double[]> alone = new ArrayList<>();
        speaker.parameters().forEach(p -> alone.add(p.gradient().data.clone()));
        speaker.parameters().zeroGradients();
        double[] own = {0.5, 0.5};
        speaker.setContext(own);
        double[][] ownOutputs = new double[2][speaker.outputSize()];
        speaker.forward(new int[] {1, 2}, ownOutputs);
        speaker.setContexts(contexts);
        assertEquals(expected, speaker.backward(tokens, labels), 1e-12);
        for (int p = 0; p < alone.size(); p++) {
            assertArrayEquals(alone.get(p), speaker.parameters().get(p).gradient().data, 1e-12,
                    speaker.parameters().get(p).name());
        }
        double[][][] ys = {new double[3][speaker.outputSize()], new double[1][speaker.outputSize()],
                new double[4][speaker.outputSize()]};
        speaker.forward(tokens, ys);
        for (int b = 0; b < tokens.length; b++) {
            double[][] one = new double[tokens[b].length][speaker.outputSize()];
            speaker.setContext(contexts[b]);
            speaker.forward(tokens[b], one);
            assertArrayEquals(one, ys[b], "sequence " + b);
        }
        speaker.setContext(own);   // what the batch put back: setContext's vector is unchanged by the batches
        speaker.setContexts(contexts);
        speaker.forward(tokens, ys);
        double[][] again = new double[2][speaker.outputSize()];
        speaker.forward(new int[] {1, 2}, again);
        assertArrayEquals(ownOutputs, again);
    }
}
