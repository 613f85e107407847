package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.Autoregressive;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Dropout;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.Traceable;
import dev.unfold.runtime.metrics.Predictor;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.Clipping;
import dev.unfold.runtime.optim.Sgd;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;

/**
 * After warm-up, forward, backward and loss allocate nothing: 1,000 calls, measured in bytes by
 * the JVM's per-thread allocation counter, for sequences of varying lengths up to the longest seen,
 * and for batches of varying sizes and lengths up to the largest seen (these run with the Vector
 * API; the benchmarks' AllocationCheck counts both ways, and the second-core helper too).
 */
class AllocationTest {
    private static final int CALLS = 1_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
                TestCompiler.source("alloc.Regression",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 4, output = 2)",
                        "public interface Regression extends Encoder, Decoder, Traceable {",
                        "    @Recurrent(hidden = 20) Layer rnn();",
                        "}"),
                TestCompiler.source("alloc.Language",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 30, output = 30, loss = Loss.CROSS_ENTROPY)",
                        "public interface Language extends Encoder, Decoder, Classifier, Traceable {",
                        "    @Recurrent(hidden = 16, activation = Activation.RELU) Layer lower();",
                        "    @Recurrent(hidden = 12, activation = Activation.SIGMOID) Layer middle();",
                        "    @Recurrent(hidden = 8) Layer upper();",
                        "}"),
                TestCompiler.source("alloc.Gated",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 12, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                        "public interface Gated extends Classifier, Traceable {",
                        "    @Recurrent(hidden = 10, cell = Cell.LSTM) @Bidirectional Layer lstm();",
                        "    @Recurrent(hidden = 6, cell = Cell.GRU) @Bidirectional Layer gru();",
                        "    @Recurrent(hidden = 5, cell = Cell.GRU) Layer top();",
                        "}"),
                TestCompiler.source("alloc.Projected",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 6, output = 3, loss = Loss.CROSS_ENTROPY)",
                        "public interface Projected extends Classifier, Traceable {",
                        "    @Recurrent(hidden = 10, cell = Cell.LSTM, projection = 4) @Bidirectional Layer lower();",
                        "    @Recurrent(hidden = 7, cell = Cell.LSTM, projection = 3) Layer upper();",
                        "}"),
                TestCompiler.source("alloc.Streamed",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 6, output = 3, loss = Loss.CROSS_ENTROPY)",
                        "public interface Streamed extends Streaming, Classifier {",
                        "    @Recurrent(hidden = 9, cell = Cell.LSTM, projection = 5) Layer lstm();",
                        "}"),
                TestCompiler.source("alloc.Tagger",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 5, output = 3, loss = Loss.BINARY_CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE)",
                        "public interface Tagger extends Encoder, Decoder, Traceable {",
                        "    @Recurrent(hidden = 10, activation = Activation.IDENTITY) Layer rnn();",
                        "}"),
                TestCompiler.source("alloc.Speaker",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 9, output = 9, loss = Loss.CROSS_ENTROPY, context = 6)",
                        "public interface Speaker extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                        "    @Recurrent(hidden = 8, cell = Cell.LSTM) Layer lstm();",
                        "}"),
                TestCompiler.source("alloc.Folded",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 3, output = 2)",
                        "public interface Folded extends Autoregressive, Traceable {",
                        "    @Recurrent(hidden = 7, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer rnn();",
                        "}"),
                // float32 networks: the same passes over float arrays
                TestCompiler.source("alloc.FloatLanguage",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 30, output = 30, loss = Loss.CROSS_ENTROPY, context = 4, precision = Precision.FLOAT32)",
                        "public interface FloatLanguage extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                        "    @Recurrent(hidden = 16, activation = Activation.RELU) Layer lower();",
                        "    @Recurrent(hidden = 12, cell = Cell.LSTM, projection = 5) Layer middle();",
                        "    @Recurrent(hidden = 8, cell = Cell.GRU) Layer upper();",
                        "}"),
                TestCompiler.source("alloc.FloatGated",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 12, output = 4, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE,",
                        "        precision = Precision.FLOAT32)",
                        "public interface FloatGated extends Classifier, Traceable {",
                        "    @Recurrent(hidden = 10, cell = Cell.LSTM) @Bidirectional Layer lstm();",
                        "    @Recurrent(hidden = 6, cell = Cell.GRU) @Bidirectional Layer gru();",
                        "    @Recurrent(hidden = 5, activation = Activation.SIGMOID) Layer top();",
                        "}"),
                TestCompiler.source("alloc.FloatFolded",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 3, output = 2, loss = Loss.BINARY_CROSS_ENTROPY, precision = Precision.FLOAT32)",
                        "public interface FloatFolded extends Autoregressive, Traceable {",
                        "    @Recurrent(hidden = 7, cell = Cell.LSTM, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer rnn();",
                        "}"),
                // dropout: backward draws masks and drops, in both precisions
                TestCompiler.source("alloc.Dropping",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 7, output = 7, loss = Loss.CROSS_ENTROPY)",
                        "public interface Dropping extends Streaming, Classifier {",
                        "    @Recurrent(hidden = 10, cell = Cell.LSTM, projection = 6, dropout = 0.3, recurrentDropout = 0.2)",
                        "    Layer lower();",
                        "    @Recurrent(hidden = 8, cell = Cell.GRU, dropout = 0.25, recurrentDropout = 0.25) Layer upper();",
                        "}"),
                TestCompiler.source("alloc.FloatDropping",
                        "package alloc;",
                        "import dev.unfold.*;",
                        "import dev.unfold.runtime.*;",
                        "@Network(input = 7, output = 7, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)",
                        "public interface FloatDropping extends Classifier {",
                        "    @Recurrent(hidden = 10, cell = Cell.LSTM, dropout = 0.3, recurrentDropout = 0.2) @Bidirectional",
                        "    Layer lower();",
                        "    @Recurrent(hidden = 8, activation = Activation.RELU, dropout = 0.25, recurrentDropout = 0.25)",
                        "    Layer upper();",
                        "}")));

    /**
     * Dropout: backward draws its masks into the network's own buffers, in one sequence, a masked
     * batch, token batches and stateful batches, in float64 and float32, with new masks every call.
     */
    @EachCompiler
    void dropoutAllocatesNothing(TestCompiler compiler) {
        for (String name : List.of("alloc.UnfoldedDropping", "alloc.UnfoldedFloatDropping")) {
            Classifier net = TestCompiler.instantiate(NETWORKS.loader(compiler), name, 1);
            Dropout masks = (Dropout) net;
            boolean floats = net.precision() == dev.unfold.Precision.FLOAT32;
            Random random = new Random(12);
            int[][] tokens = {random.ints(40, 0, 7).toArray(), random.ints(6, 0, 7).toArray(),
                    random.ints(17, 0, 7).toArray()};
            int[][] labels = {random.ints(40, 0, 7).toArray(), random.ints(6, 0, 7).toArray(),
                    random.ints(17, 0, 7).toArray()};
            assertNoAllocation(i -> {
                masks.drawMasks(5, i);
                net.backward(tokens[i % 3], labels[i % 3]);
            });
            int[][][] tokenBatches = {{tokens[0], tokens[1], tokens[2]}, {tokens[1], tokens[1]}};
            int[][][] labelBatches = {{labels[0], labels[1], labels[2]}, {labels[1], labels[1]}};
            assertNoAllocation(i -> net.backward(tokenBatches[i % 2], labelBatches[i % 2]));
            if (floats) {
                float[][][] xs = floatSequences(random, 7, 40, 6, 17);
                float[][][][] batches = {xs, {xs[1], xs[1]}};
                assertNoAllocation(i -> net.backward(xs[i % 3], labels[i % 3]));
                assertNoAllocation(i -> net.backward(batches[i % 2], labelBatches[i % 2]));
            } else {
                double[][][] xs = sequences(random, 7, 40, 6, 17);
                double[][][][] batches = {xs, {xs[1], xs[1]}};
                assertNoAllocation(i -> net.backward(xs[i % 3], labels[i % 3]));
                assertNoAllocation(i -> net.backward(batches[i % 2], labelBatches[i % 2]));
                Streaming streams = (Streaming) net;
                streams.setStateful(true);
                assertNoAllocation(i -> net.backward(tokenBatches[1], labelBatches[1]));
                streams.setStateful(false);
            }
        }
    }

    @EachCompiler
    void denseRegressionAllocatesNothing(TestCompiler compiler) {
        SequenceModel net = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedRegression", 1);
        double[][][] xs = sequences(new Random(1), net.inputSize(), 50, 7, 31);
        double[][][] ys = outputs(net, xs);
        assertNoAllocation(i -> net.forward(xs[i % 3], ys[i % 3]));
        assertNoAllocation(i -> net.backward(xs[i % 3], ys[i % 3]));
        assertNoAllocation(i -> net.loss(xs[i % 3], ys[i % 3]));
    }

    @EachCompiler
    void tokenLanguageModelAllocatesNothing(TestCompiler compiler) {
        Classifier net = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedLanguage", 1);
        Random random = new Random(2);
        int[][] tokens = {random.ints(40, 0, 30).toArray(), random.ints(9, 0, 30).toArray()};
        int[][] labels = {random.ints(40, 0, 30).toArray(), random.ints(9, 0, 30).toArray()};
        double[][][] ys = {new double[40][30], new double[9][30]};
        assertNoAllocation(i -> net.forward(tokens[i % 2], ys[i % 2]));
        assertNoAllocation(i -> net.backward(tokens[i % 2], labels[i % 2]));
        assertNoAllocation(i -> net.loss(tokens[i % 2], labels[i % 2]));
        assertNoAllocation(i -> net.backward(tokens[i % 2], ys[i % 2]));
    }

    @EachCompiler
    void streamingStepsAllocateNothing(TestCompiler compiler) {
        Streaming net = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedLanguage", 1);
        int[] tokens = new Random(3).ints(50, 0, 30).toArray();
        double[] y = new double[30];
        double[][] xs = sequences(new Random(4), 30, 50)[0];
        assertNoAllocation(i -> net.step(tokens[i % 50], y));
        assertNoAllocation(i -> net.step(xs[i % 50], y));
        assertNoAllocation(i -> net.resetState());
    }

    @EachCompiler
    void manyToOneClassifierAllocatesNothing(TestCompiler compiler) {
        SequenceModel net = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedTagger", 1);
        double[][][] xs = sequences(new Random(3), net.inputSize(), 12, 100, 3);
        double[][] target = {{1, 0, 1}};
        double[][] y = new double[1][3];
        assertNoAllocation(i -> net.forward(xs[i % 3], y));
        assertNoAllocation(i -> net.backward(xs[i % 3], target));
        assertNoAllocation(i -> net.loss(xs[i % 3], target));
    }

    @EachCompiler
    void bidirectionalLstmAndGruStackAllocatesNothing(TestCompiler compiler) {
        Classifier net = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedGated", 1);
        Random random = new Random(4);
        double[][][] xs = sequences(random, net.inputSize(), 60, 5, 23);
        int[][] tokens = {random.ints(60, 0, 12).toArray(), random.ints(7, 0, 12).toArray()};
        int[] label = {2};
        double[][] y = new double[1][4];
        assertNoAllocation(i -> net.forward(xs[i % 3], y));
        assertNoAllocation(i -> net.backward(xs[i % 3], label));
        assertNoAllocation(i -> net.backward(tokens[i % 2], label));
        assertNoAllocation(i -> net.loss(tokens[i % 2], label));
    }

    /** Projecting LSTMs, stacked and bidirectional: one sequence, a masked batch, and streaming steps. */
    @EachCompiler
    void projectingLstmsAllocateNothing(TestCompiler compiler) {
        Classifier net = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedProjected", 1);
        Random random = new Random(9);
        double[][][] xs = sequences(random, net.inputSize(), 40, 6, 17);
        int[][] labels = {random.ints(40, 0, 3).toArray(), random.ints(6, 0, 3).toArray(),
                random.ints(17, 0, 3).toArray()};
        double[][][] ys = {new double[40][3], new double[6][3], new double[17][3]};
        assertNoAllocation(i -> net.forward(xs[i % 3], ys[i % 3]));
        assertNoAllocation(i -> net.backward(xs[i % 3], labels[i % 3]));
        double[][][][] batches = {
                sequences(random, net.inputSize(), 12, 3, 12, 9, 1),   // masked: lengths differ
                sequences(random, net.inputSize(), 5, 5)};
        int[][][] batchLabels = {new int[5][], new int[2][]};
        for (int b = 0; b < batches.length; b++) {
            for (int s = 0; s < batches[b].length; s++) {
                batchLabels[b][s] = random.ints(batches[b][s].length, 0, 3).toArray();
            }
        }
        assertNoAllocation(i -> net.backward(batches[i % 2], batchLabels[i % 2]));

        Streaming streamed = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedStreamed", 1);
        double[] x = new double[6];
        double[] out = new double[3];
        assertNoAllocation(i -> {
            x[i % 6] = i % 5 - 2;
            streamed.step(x, out);
        });
    }

    @EachCompiler
    void batchesAllocateNothing(TestCompiler compiler) {
        Classifier gated = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedGated", 1);
        Random random = new Random(5);
        double[][][][] batches = {
                sequences(random, gated.inputSize(), 20, 3, 20, 11, 20, 1, 20, 20, 5), // 9, up to 20 steps: masked
                sequences(random, gated.inputSize(), 7, 7, 7)};                       // then 3 of 7
        int[][][] labels = {new int[9][], new int[3][]};
        double[][][][] ys = {new double[9][1][4], new double[3][1][4]};
        for (int b = 0; b < labels.length; b++) {
            for (int s = 0; s < labels[b].length; s++) {
                labels[b][s] = new int[] {random.nextInt(4)};
            }
        }
        assertNoAllocation(i -> gated.forward(batches[i % 2], ys[i % 2]));
        assertNoAllocation(i -> gated.backward(batches[i % 2], labels[i % 2]));

        Classifier language = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedLanguage", 1);
        int[][][] tokens = {new int[12][], new int[5][]};
        int[][][] targets = {new int[12][], new int[5][]};
        for (int b = 0; b < tokens.length; b++) {
            int steps = b == 0 ? 30 : 11;
            for (int s = 0; s < tokens[b].length; s++) {
                int length = steps - (s % 4) * 2;   // lengths differ: one masked pass
                tokens[b][s] = random.ints(length, 0, 30).toArray();
                targets[b][s] = random.ints(length, 0, 30).toArray();
            }
        }
        assertNoAllocation(i -> language.backward(tokens[i % 2], targets[i % 2]));
    }

    /**
     * Predictions into the caller's arrays: one sequence and masked batches, token and dense input,
     * many-to-many and many-to-one, in both precisions, once each length and batch size was seen.
     */
    @EachCompiler
    void predictionsAllocateNothing(TestCompiler compiler) {
        Random random = new Random(13);
        Classifier language = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedLanguage", 1);
        Predictor languagePredictor = new Predictor(language);
        int[][] tokens = {random.ints(40, 0, 30).toArray(), random.ints(9, 0, 30).toArray()};
        int[][] tokenClasses = {new int[40], new int[9]};
        assertNoAllocation(i -> languagePredictor.predict(tokens[i % 2], tokenClasses[i % 2]));
        int[][][] tokenBatches = {{tokens[0], tokens[1], tokens[1]}, {tokens[1], tokens[0]}};
        int[][][] tokenBatchClasses = {{new int[40], new int[9], new int[9]}, {new int[9], new int[40]}};
        assertNoAllocation(i -> languagePredictor.predict(tokenBatches[i % 2], tokenBatchClasses[i % 2]));

        Classifier projected = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedProjected", 1);
        Predictor projectedPredictor = new Predictor(projected);
        double[][][] xs = sequences(random, projected.inputSize(), 17, 4, 11);
        int[][] classes = {new int[17], new int[4], new int[11]};
        assertNoAllocation(i -> projectedPredictor.predict(xs[i % 3], classes[i % 3]));
        assertNoAllocation(i -> projectedPredictor.predict(xs, classes));

        Classifier floatGated = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedFloatGated", 1);
        Predictor floatPredictor = new Predictor(floatGated);
        float[][][] floatXs = floatSequences(random, floatGated.inputSize(), 30, 5, 12);
        int[][] perSequence = {new int[1], new int[1], new int[1]};
        assertNoAllocation(i -> floatPredictor.predict(floatXs[i % 3], perSequence[i % 3]));
        float[][][][] floatBatches = {floatXs, {floatXs[1], floatXs[2]}};
        int[][][] floatBatchClasses = {perSequence, {new int[1], new int[1]}};
        assertNoAllocation(i -> floatPredictor.predict(floatBatches[i % 2], floatBatchClasses[i % 2]));
        int[][] readerTokens = {random.ints(25, 0, 12).toArray(), random.ints(3, 0, 12).toArray()};
        assertNoAllocation(i -> floatPredictor.predict(readerTokens[i % 2], perSequence[0]));
    }

    @EachCompiler
    void contextsAndOutputFeedbackAllocateNothing(TestCompiler compiler) {
        Contextual speaker = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedSpeaker", 1);
        Random random = new Random(9);
        double[][] contexts = new double[6][6];
        int[][] tokens = new int[6][];
        int[][] labels = new int[6][];
        for (int s = 0; s < 6; s++) {
            contexts[s] = random.doubles(6).toArray();
            tokens[s] = random.ints(4 + s, 0, 9).toArray();
            labels[s] = random.ints(4 + s, 0, 9).toArray();
        }
        assertNoAllocation(i -> {
            speaker.setContexts(contexts);
            ((Classifier) speaker).backward(tokens, labels);
        });
        assertNoAllocation(i -> {
            speaker.setContext(contexts[i % 6]);
            ((Classifier) speaker).backward(tokens[i % 6], labels[i % 6]);
        });

        Autoregressive folded = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedFolded", 1);
        double[][][] xs = {sequences(random, 3, 12)[0], sequences(random, 3, 5)[0]};
        double[][][] ys = {new double[12][2], new double[5][2]};
        assertNoAllocation(i -> folded.backward(xs[i % 2], ys[i % 2]));
        assertNoAllocation(i -> folded.forward(xs[i % 2], ys[i % 2]));
        folded.setScheduledSampling(0.5, new Random(3));
        assertNoAllocation(i -> folded.backward(xs[i % 2], ys[i % 2]));
    }

    /** Float32: one sequence (dense and tokens), batches, streaming, states handed over, and tracing. */
    @EachCompiler
    void float32PassesAllocateNothing(TestCompiler compiler) {
        Classifier gated = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedFloatGated", 1);
        Random random = new Random(11);
        float[][][] xs = floatSequences(random, gated.inputSize(), 60, 5, 23);
        float[][][] targets = {{{0, 1, 0, 0}}, {{0.5f, 0, 0.5f, 0}}, {{0, 0, 0, 1}}};
        int[][] tokens = {random.ints(60, 0, 12).toArray(), random.ints(7, 0, 12).toArray()};
        int[] label = {2};
        float[][] y = new float[1][4];
        assertNoAllocation(i -> gated.forward(xs[i % 3], y));
        assertNoAllocation(i -> gated.backward(xs[i % 3], label));
        assertNoAllocation(i -> gated.backward(xs[i % 3], targets[i % 3]));
        assertNoAllocation(i -> gated.loss(xs[i % 3], targets[i % 3]));
        assertNoAllocation(i -> gated.backward(tokens[i % 2], label));
        float[][][][] batches = {
                floatSequences(random, gated.inputSize(), 20, 3, 20, 11, 20, 1, 20, 20, 5), // masked
                floatSequences(random, gated.inputSize(), 7, 7, 7)};
        int[][][] labels = {new int[9][], new int[3][]};
        float[][][][] ys = {new float[9][1][4], new float[3][1][4]};
        for (int b = 0; b < labels.length; b++) {
            for (int s = 0; s < labels[b].length; s++) {
                labels[b][s] = new int[] {random.nextInt(4)};
            }
        }
        assertNoAllocation(i -> gated.forward(batches[i % 2], ys[i % 2]));
        assertNoAllocation(i -> gated.backward(batches[i % 2], labels[i % 2]));
        ((Traceable) gated).traceStateGradients(true);
        assertNoAllocation(i -> gated.backward(xs[i % 3], label));
        ((Traceable) gated).traceStateGradients(false);

        var language = (Encoder & Decoder & Contextual & Classifier) TestCompiler.instantiate(NETWORKS.loader(compiler),
                "alloc.UnfoldedFloatLanguage", 1);
        float[][] dense = floatSequences(random, 30, 50)[0];
        float[] out = new float[30];
        int[] text = random.ints(50, 0, 30).toArray();
        assertNoAllocation(i -> language.step(text[i % 50], out));
        assertNoAllocation(i -> language.step(dense[i % 50], out));
        double[] state = new double[language.stateSize()];
        double[] context = random.doubles(4).toArray();
        assertNoAllocation(i -> {
            language.setContext(context);
            language.saveState(state, 0);
            language.restoreState(state, 0);
            language.backward(text, text);
            language.initialStateGradient(state, 0);
            language.finalState(state, 0);
            language.backwardFromState(text, state, 0);
        });
        int[][] sequences = {text, random.ints(17, 0, 30).toArray(), random.ints(9, 0, 30).toArray()};
        double[][] states = new double[3][language.stateSize()];
        double[][] contexts = new double[3][4];
        assertNoAllocation(i -> {
            language.setContexts(contexts);
            language.setInitialStates(states);
            language.backward(sequences, sequences);
            language.initialStateGradients(states);
            language.finalStates(states);
            language.backwardFromStates(sequences, states);
        });
        language.setInitialStates(null);

        Autoregressive folded = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedFloatFolded", 1);
        float[][][] inputs = {floatSequences(random, 3, 12)[0], floatSequences(random, 3, 5)[0]};
        float[][][] probabilities = {new float[12][2], new float[5][2]};
        assertNoAllocation(i -> folded.forward(inputs[i % 2], probabilities[i % 2]));
        assertNoAllocation(i -> folded.backward(inputs[i % 2], probabilities[i % 2]));
        folded.setScheduledSampling(0.5, new Random(3));
        assertNoAllocation(i -> folded.backward(inputs[i % 2], probabilities[i % 2]));
        assertNoAllocation(i -> folded.backward(inputs, probabilities));
    }

    @EachCompiler
    void optimizerStepsClippingAndZeroingAllocateNothing(TestCompiler compiler) {
        SequenceModel net = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedGated", 1);
        Sgd sgd = new Sgd(net.parameters(), 0.01);
        Adam adam = new Adam(net.parameters(), 0.001);
        assertNoAllocation(i -> {
            Clipping.clipGlobalNorm(net.parameters(), 1.0);
            sgd.step();
            adam.step();
            net.parameters().zeroGradients();
        });
    }

    @EachCompiler
    void generationAllocatesNothing(TestCompiler compiler) {
        Decoder language = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedLanguage", 1);
        dev.unfold.runtime.seq2seq.Generator generator
                = new dev.unfold.runtime.seq2seq.Generator((Streaming & Classifier) language);
        int[] prompt = {1, 2, 3};
        int[] into = new int[20];
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        assertNoAllocation(i -> generator.greedy(prompt, 20, -1, into));
        assertNoAllocation(i -> generator.sample(prompt, 20, 7, 0.8, 10, random, into));
        assertNoAllocation(i -> generator.beamSearch(prompt, 8, 7, 3, into));

        // an encoder and a decoder: teacher-forced updates, and decoding from the encoded source
        dev.unfold.runtime.seq2seq.EncoderDecoder pair = new dev.unfold.runtime.seq2seq.EncoderDecoder((Encoder) language,
                (Decoder & Classifier) TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedLanguage", 2));
        int[][] sources = {random.ints(9, 0, 30).toArray(), random.ints(4, 0, 30).toArray()};
        int[] inputs = random.ints(7, 0, 30).toArray();
        int[] labels = random.ints(7, 0, 30).toArray();
        assertNoAllocation(i -> pair.backward(sources[i % 2], 0, inputs, labels));
        assertNoAllocation(i -> pair.encodeFor(sources[i % 2], 0).greedy(prompt, 6, 7, into));
        // and a minibatch of pairs in batched passes, of two sizes
        int[][][] batchSources = {{sources[0], sources[1], sources[0]}, {sources[1], sources[0]}};
        int[][] batchDecoders = {{0, 0, 0}, {0, 0}};
        int[][][] batchInputs = {{inputs, labels, inputs}, {labels, inputs}};
        int[][][] batchLabels = {{labels, inputs, labels}, {inputs, labels}};
        assertNoAllocation(i -> pair.backward(batchSources[i % 2], batchDecoders[i % 2], batchInputs[i % 2],
                batchLabels[i % 2]));
        assertNoAllocation(i -> pair.backward(batchSources[i % 2], batchDecoders[i % 2], batchInputs[i % 2],
                batchLabels[i % 2], 0.5, random));
    }

    @EachCompiler
    void trainingAllocatesNothingPerUpdate(TestCompiler compiler) throws java.io.IOException {
        Classifier gated = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedGated", 1);
        Random random = new Random(6);
        // 14 sequences of different lengths in batches of 4: three masked batches of 4, then one of 2
        double[][][] xs = sequences(random, gated.inputSize(), 9, 3, 7, 12, 5, 9, 1, 4, 8, 8, 2, 11, 6, 3);
        int[][] labels = new int[xs.length][];
        for (int s = 0; s < labels.length; s++) {
            labels[s] = new int[] {random.nextInt(4)};
        }
        dev.unfold.runtime.data.Minibatches batches = dev.unfold.runtime.data.Minibatches.of(gated, xs, labels, 4);
        batches.startEpoch(3);
        assertNoAllocation(i -> batches.backward(i % batches.updates()));

        // a stream of 95 steps in chunks of 9: ten whole chunks, then one of 5
        Classifier language = TestCompiler.instantiate(NETWORKS.loader(compiler), "alloc.UnfoldedLanguage", 1);
        int[] text = random.ints(96, 0, 30).toArray();
        dev.unfold.runtime.data.StreamChunks chunks = dev.unfold.runtime.data.StreamChunks.nextToken((Streaming & Classifier) language, text, 9);
        chunks.startEpoch(0);
        assertNoAllocation(i -> chunks.backward(i % chunks.updates()));

        // the whole loop, watched by a GradientMonitor: an epoch of 35 updates allocates exactly what an
        // epoch of 4 does (its report, its shuffle's Random, the monitor's row), so an update allocates nothing
        double[][][] repeatedXs = new double[140][][];
        int[][] repeatedLabels = new int[140][];
        for (int s = 0; s < 140; s++) {
            repeatedXs[s] = xs[s % xs.length];
            repeatedLabels[s] = labels[s % labels.length];
        }
        dev.unfold.runtime.data.Minibatches more = dev.unfold.runtime.data.Minibatches.of(gated, repeatedXs, repeatedLabels, 4);
        long few = Long.MAX_VALUE;
        long many = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            few = Math.min(few, allocatedByAnEpoch(gated, batches));
            many = Math.min(many, allocatedByAnEpoch(gated, more));
        }
        assertEquals(few, many, "bytes an epoch allocates with 4 updates and with 35");
    }

    @EachCompiler
    void statefulBatchesAllocateNothing(TestCompiler compiler) {
        // a text of 96 tokens as 4 streams of 23 (input, next token) pairs in chunks of 9: 9, 9, then 5
        var language = (Streaming & Classifier) TestCompiler.instantiate(NETWORKS.loader(compiler),
                "alloc.UnfoldedLanguage", 1);
        Random random = new Random(12);
        int[] text = random.ints(96, 0, 30).toArray();
        dev.unfold.runtime.data.StreamChunks streams = dev.unfold.runtime.data.StreamChunks.nextToken(language, text, 9, 4);
        streams.startEpoch(0);
        assertNoAllocation(i -> streams.backward(i % streams.updates()));
        assertNoAllocation(i -> streams.loss(i % streams.updates()));
        // float32, dense input, a projecting LSTM and a context: each call continues the 3 streams the first started
        var floats = (Streaming & Classifier) TestCompiler.instantiate(NETWORKS.loader(compiler),
                "alloc.UnfoldedFloatLanguage", 1);
        ((dev.unfold.runtime.Contextual) floats).setContexts(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}});
        float[][][] xs = floatSequences(random, floats.inputSize(), 6, 6, 6);
        int[][] labels = {random.ints(6, 0, floats.outputSize()).toArray(), random.ints(6, 0, floats.outputSize())
                .toArray(), random.ints(6, 0, floats.outputSize()).toArray()};
        float[][][] ys = new float[3][6][floats.outputSize()];
        floats.setStateful(true);
        assertNoAllocation(i -> floats.backward(xs, labels));
        assertNoAllocation(i -> floats.forward(xs, ys));
    }

    private static long allocatedByAnEpoch(SequenceModel net, dev.unfold.runtime.train.TrainingData data)
            throws java.io.IOException {
        dev.unfold.runtime.train.Trainer trainer = new dev.unfold.runtime.train.Trainer(net, new Sgd(net.parameters(), 0.001))
                .epochs(1)
                .clipNorm(1)
                .schedule(dev.unfold.runtime.optim.LearningRateSchedule.cosine(0.001, 0.0001, 100))
                .listener(new dev.unfold.runtime.diagnostics.GradientMonitor(net.parameters()));
        long before = THREADS.getCurrentThreadAllocatedBytes();
        trainer.fit(data);
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /** One call of what is measured; {@code i} counts the calls, to vary their arguments. */
    interface Call {
        void run(int i);
    }

    /**
     * Warms {@code call} up, then asserts that a window of 1,000 more calls allocates exactly 0
     * bytes. Up to three windows are tried: a one-off event of the JIT in this thread (a
     * deoptimisation while the compile queue is long, as when two compilers' classes warm up at
     * once) has been seen to cost a few hundred bytes once, while an allocation on the call's own
     * path costs at least 16 bytes in every window and so still fails all three.
     */
    static void assertNoAllocation(Call call) {
        for (int i = 0; i < 3 * CALLS; i++) {
            call.run(i);
        }
        long[] windows = new long[3];
        for (int w = 0; w < windows.length; w++) {
            long overhead = allocatedBetweenTwoReadings();
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS; i++) {
                call.run(i);
            }
            windows[w] = THREADS.getCurrentThreadAllocatedBytes() - before - overhead;
            if (windows[w] == 0) {
                return;
            }
        }
        assertEquals(0, windows[windows.length - 1], "bytes allocated by " + CALLS + " calls, in each of "
                + windows.length + " windows: " + java.util.Arrays.toString(windows));
    }

    private static long allocatedBetweenTwoReadings() {
        long first = THREADS.getCurrentThreadAllocatedBytes();
        return THREADS.getCurrentThreadAllocatedBytes() - first;
    }

    private static double[][][] sequences(Random random, int width, int... lengths) {
        double[][][] sequences = new double[lengths.length][][];
        for (int s = 0; s < lengths.length; s++) {
            sequences[s] = new double[lengths[s]][width];
            for (double[] x : sequences[s]) {
                for (int j = 0; j < width; j++) {
                    x[j] = random.nextGaussian();
                }
            }
        }
        return sequences;
    }

    private static float[][][] floatSequences(Random random, int width, int... lengths) {
        float[][][] sequences = new float[lengths.length][][];
        for (int s = 0; s < lengths.length; s++) {
            sequences[s] = new float[lengths[s]][width];
            for (float[] x : sequences[s]) {
                for (int j = 0; j < width; j++) {
                    x[j] = (float) random.nextGaussian();
                }
            }
        }
        return sequences;
    }

    private static double[][][] outputs(SequenceModel net, double[][][] xs) {
        double[][][] ys = new double[xs.length][][];
        for (int s = 0; s < xs.length; s++) {
            ys[s] = new double[net.outputSteps(xs[s].length)][net.outputSize()];
        }
        return ys;
    }
}
