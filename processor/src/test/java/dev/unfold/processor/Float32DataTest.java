package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.data.ContextSequences;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.data.StreamChunks;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import dev.unfold.runtime.seq2seq.Generator;
import dev.unfold.runtime.seq2seq.SequencePairs;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TruncatedBptt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The data helpers with float32 networks ({@code @Network(precision = FLOAT32)}), each against the
 * float64 twin of the same declaration given the same weights (rounded to float): float data runs
 * the float network's methods and gives the twin's losses and gradients to 1e-4 (relative to the
 * loss, and to each gradient tensor's largest magnitude), the generator makes the twin's choices,
 * and data of the other precision, or an encoder and a decoder of different precisions, are
 * refused before anything changes.
 */
class Float32DataTest {
    private static final CompiledSources NETWORKS = new CompiledSources(twins(
            new String[] {"Sorter", "input = 3, output = 2, loss = Loss.CROSS_ENTROPY, mapping = Mapping.MANY_TO_ONE",
                    "Classifier", "@Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();"},
            new String[] {"Smoother", "input = 2, output = 1, loss = Loss.MSE", "Streaming",
                    "@Recurrent(hidden = 5, cell = Cell.GRU) Layer gru();"},
            new String[] {"Speller", "input = 6, output = 6, loss = Loss.CROSS_ENTROPY", "Encoder, Decoder, Classifier",
                    "@Recurrent(hidden = 5, cell = Cell.LSTM) Layer lstm();"},
            new String[] {"Reader", "input = 3, output = 2, loss = Loss.CROSS_ENTROPY", "Encoder, Classifier",
                    "@Recurrent(hidden = 5, cell = Cell.LSTM) Layer lstm();"},
            new String[] {"Captioner", "input = 6, output = 6, loss = Loss.CROSS_ENTROPY, context = 3",
                    "Streaming, Contextual, Classifier", "@Recurrent(hidden = 4, cell = Cell.GRU) Layer gru();"}));

    /** Each declaration twice: {@code <Name>64} in float64 and {@code <Name>32} in float32, otherwise alike. */
    private static List<JavaFileObject> twins(String[]... declarations) {
        List<JavaFileObject> sources = new ArrayList<>();
        for (String[] d : declarations) {
            for (String precision : List.of("64", "32")) {
                sources.add(TestCompiler.inTestPackage(d[0] + precision,
                        "@Network(" + d[1] + ", precision = Precision.FLOAT" + precision + ")",
                        "public interface " + d[0] + precision + " extends " + d[2] + " {",
                        "    " + d[3],
                        "}"));
            }
        }
        return sources;
    }

    /** A float64 network and its float32 twin with the same weights, rounded to float. */
    private record Twins<T extends SequenceModel>(T doubles, T floats) {}

    private static <T extends SequenceModel> Twins<T> twins(String name, long seed) {
        ClassLoader loader = NETWORKS.loader(TestCompiler.JAVAC);
        T doubles = TestCompiler.instantiate(loader, "test.Unfolded" + name + "64", seed);
        T floats = TestCompiler.instantiate(loader, "test.Unfolded" + name + "32", seed + 1000);
        assertEquals(Precision.FLOAT64, doubles.precision());
        assertEquals(Precision.FLOAT32, floats.precision());
        copyWeights(doubles.parameters(), floats.parameters());
        return new Twins<>(doubles, floats);
    }

    /** Gives {@code to} the values of {@code from}, rounded to its precision, and reads them back into {@code from}. */
    private static void copyWeights(Parameters from, Parameters to) {
        for (Parameter source : from) {
            Parameter target = to.get(source.name());
            for (int i = 0; i < source.size(); i++) {
                target.setValue(i, source.value(i));
                // the float64 network computes with exactly the float32 network's weights
                source.setValue(i, target.value(i));
            }
        }
    }

    /** Multiplies every weight by {@code factor}: sharper distributions, whose choices have wide margins. */
    private static void scaleWeights(Parameters parameters, double factor) {
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setValue(i, parameter.value(i) * factor);
            }
        }
    }

    /** Zeroes every gradient through the element access that serves both precisions. */
    private static void zeroGradients(Parameters parameters) {
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setGradient(i, 0);
            }
        }
    }

    private static void assertSameLoss(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-4 * Math.max(1, Math.abs(expected)), what);
    }

    /**
     * Each gradient tensor of {@code actual} equals {@code expected}'s to 1e-4 of its largest
     * magnitude (exactly, where that is 0: an encoder's unused output layer); some must be nonzero.
     */
    private static void assertSameGradients(Parameters expected, Parameters actual, String what) {
        boolean anyGradient = false;
        for (Parameter e : expected) {
            Parameter a = actual.get(e.name());
            double largest = 0;
            for (int i = 0; i < e.size(); i++) {
                largest = Math.max(largest, Math.abs(e.gradient(i)));
            }
            anyGradient |= largest > 0;
            for (int i = 0; i < e.size(); i++) {
                assertEquals(e.gradient(i), a.gradient(i), 1e-4 * largest, what + ": " + e.name() + "[" + i + "]");
            }
        }
        assertTrue(anyGradient, what + ": no gradient at all");
    }

    private static double[][][] gaussians(Random random, int count, int width) {
        double[][][] xs = new double[count][][];
        for (int s = 0; s < count; s++) {
            xs[s] = new double[2 + random.nextInt(6)][width];
            for (double[] x : xs[s]) {
                for (int j = 0; j < width; j++) {
                    x[j] = random.nextGaussian();
                }
            }
        }
        return xs;
    }

    /** The same values as floats (the doubles here are rounded first, so both networks read the same). */
    private static float[][][] rounded(double[][][] xs) {
        float[][][] floats = new float[xs.length][][];
        for (int s = 0; s < xs.length; s++) {
            floats[s] = rounded(xs[s]);
        }
        return floats;
    }

    private static float[][] rounded(double[][] rows) {
        float[][] floats = new float[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            floats[t] = new float[rows[t].length];
            for (int j = 0; j < rows[t].length; j++) {
                floats[t][j] = (float) rows[t][j];
                rows[t][j] = floats[t][j];
            }
        }
        return floats;
    }

    private static int[][] firstExceedsLast(double[][][] xs) {
        int[][] labels = new int[xs.length][];
        for (int s = 0; s < xs.length; s++) {
            labels[s] = new int[] {xs[s][0][0] > xs[s][xs[s].length - 1][0] ? 1 : 0};
        }
        return labels;
    }

    /**
     * Runs an epoch of each of the two data sets over their networks, update by update, with their
     * gradients zeroed before each: losses and gradients must agree update by update, and so must
     * the losses without gradients.
     */
    private static void assertSameEpoch(TrainingData doubles, Parameters doubleParameters, TrainingData floats,
                                        Parameters floatParameters, String what) {
        assertEquals(doubles.updates(), floats.updates());
        doubles.beforeTraining();
        floats.beforeTraining();
        doubles.startEpoch(5);
        floats.startEpoch(5);
        for (int u = 0; u < doubles.updates(); u++) {
            zeroGradients(doubleParameters);
            zeroGradients(floatParameters);
            double expected = doubles.backward(u);
            assertSameLoss(expected, floats.backward(u), what + ", update " + u);
            assertSameGradients(doubleParameters, floatParameters, what + ", update " + u);
            assertEquals(doubles.outputs(u), floats.outputs(u));
        }
        doubles.startEpoch(5);
        floats.startEpoch(5);
        for (int u = 0; u < doubles.updates(); u++) {
            assertSameLoss(doubles.loss(u), floats.loss(u), what + ", loss of update " + u);
        }
        doubles.afterTraining();
        floats.afterTraining();
    }

    @Test
    void minibatchesOfFloatSequencesAndLabelsGiveTheFloat64TwinsLossesAndGradients() {
        Twins<Classifier> nets = twins("Sorter", 3);
        double[][][] xs = gaussians(new Random(1), 23, 3);
        float[][][] floats = rounded(xs);
        int[][] labels = firstExceedsLast(xs);
        // batches of 5 run the batched pass; the last batch of 3, and batches of 1, too
        for (int batchSize : new int[] {5, 1}) {
            assertSameEpoch(Minibatches.of(nets.doubles(), xs, labels, batchSize), nets.doubles().parameters(),
                    Minibatches.of(nets.floats(), floats, labels, batchSize), nets.floats().parameters(),
                    "batches of " + batchSize);
        }
    }

    /**
     * Training through the Trainer (Adam, clipping, a schedule): the float32 network's loss falls
     * epoch by epoch as its float64 twin's does, to within float rounding of the updates.
     */
    @Test
    void theTrainerTrainsAFloat32NetworkOnMinibatchesAsItsFloat64Twin() throws java.io.IOException {
        Twins<Classifier> nets = twins("Sorter", 13);
        double[][][] xs = gaussians(new Random(6), 40, 3);
        float[][][] floats = rounded(xs);
        int[][] labels = firstExceedsLast(xs);
        List<Double> doubleLosses = epochLosses(nets.doubles(), Minibatches.of(nets.doubles(), xs, labels, 8));
        List<Double> floatLosses = epochLosses(nets.floats(), Minibatches.of(nets.floats(), floats, labels, 8));
        assertTrue(doubleLosses.get(doubleLosses.size() - 1) < 0.8 * doubleLosses.get(0), "float64: " + doubleLosses);
        assertTrue(floatLosses.get(floatLosses.size() - 1) < 0.8 * floatLosses.get(0), "float32: " + floatLosses);
        for (int epoch = 0; epoch < doubleLosses.size(); epoch++) {
            assertEquals(doubleLosses.get(epoch), floatLosses.get(epoch), 1e-3,
                    "epoch " + (epoch + 1) + ": float64 " + doubleLosses + ", float32 " + floatLosses);
        }
    }

    private static List<Double> epochLosses(SequenceModel net, Minibatches data) throws java.io.IOException {
        List<Double> losses = new ArrayList<>();
        new dev.unfold.runtime.train.Trainer(net, new dev.unfold.runtime.optim.Adam(net.parameters(), 0.02))
                .epochs(12)
                .seed(7)
                .clipNorm(1)
                .listener(new dev.unfold.runtime.train.TrainingListener() {
                    @Override
                    public void epochEnded(dev.unfold.runtime.train.EpochReport report) {
                        losses.add(report.trainingLoss());
                    }
                })
                .fit(data);
        return losses;
    }

    @Test
    void minibatchesOfFloatTargetsAndOfTokensWork() {
        Twins<Streaming> nets = twins("Smoother", 4);
        double[][][] xs = gaussians(new Random(2), 11, 2);
        double[][][] targets = new double[xs.length][][];
        for (int s = 0; s < xs.length; s++) {
            targets[s] = new double[xs[s].length][1];
            for (int t = 0; t < xs[s].length; t++) {
                targets[s][t][0] = 0.5 * xs[s][t][0] - xs[s][t][1];
            }
        }
        float[][][] floatXs = rounded(xs);
        float[][][] floatTargets = rounded(targets);
        assertSameEpoch(Minibatches.of(nets.doubles(), xs, targets, 4), nets.doubles().parameters(),
                Minibatches.of(nets.floats(), floatXs, floatTargets, 4), nets.floats().parameters(), "dense targets");

        Twins<Classifier> words = twins("Speller", 5);
        int[][] tokens = {{0, 1, 2}, {3, 4}, {5, 0, 1, 2}, {2}, {4, 4, 1}};
        double[][][] dense = new double[tokens.length][][];
        for (int s = 0; s < tokens.length; s++) {
            dense[s] = new double[tokens[s].length][6];
            for (int t = 0; t < tokens[s].length; t++) {
                dense[s][t][(tokens[s][t] + 1) % 6] = 1;
            }
        }
        assertSameEpoch(Minibatches.of(words.doubles(), tokens, dense, 2), words.doubles().parameters(),
                Minibatches.of(words.floats(), tokens, rounded(dense), 2), words.floats().parameters(),
                "tokens and dense targets");
        // tokens and labels are neither precision's: the same call builds data for both
        assertSameEpoch(Minibatches.of(words.doubles(), tokens, tokens, 2), words.doubles().parameters(),
                Minibatches.of(words.floats(), tokens, tokens, 2), words.floats().parameters(), "tokens and labels");
    }

    @Test
    void minibatchesRefuseDataOfTheOtherPrecision() {
        Twins<Classifier> nets = twins("Sorter", 3);
        double[][][] xs = gaussians(new Random(1), 4, 3);
        int[][] labels = firstExceedsLast(xs);
        float[][][] floats = rounded(xs);
        assertEquals("UnfoldedSorter64 computes in FLOAT64: call Minibatches.of with double arrays, not float arrays"
                        + " (or declare the network with @Network(precision = FLOAT32) to compute in float)",
                assertThrows(IllegalArgumentException.class,
                        () -> Minibatches.of(nets.doubles(), floats, labels, 2)).getMessage());
        assertEquals("UnfoldedSorter32 computes in FLOAT32: call Minibatches.of with float arrays, not double arrays"
                        + " (or declare the network with @Network(precision = FLOAT64) to compute in double)",
                assertThrows(IllegalArgumentException.class,
                        () -> Minibatches.of(nets.floats(), xs, labels, 2)).getMessage());
        Twins<Classifier> words = twins("Speller", 5);
        int[][] tokens = {{0, 1}};
        assertThrows(IllegalArgumentException.class,
                () -> Minibatches.of(words.floats(), tokens, new double[][][] {new double[2][6]}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Minibatches.of(words.doubles(), tokens, new float[][][] {new float[2][6]}, 1));
    }

    @Test
    void truncatedBpttRunsFloatChunks() {
        Twins<Streaming> nets = twins("Smoother", 6);
        double[][] stream = new double[17][2];
        double[][] targets = new double[17][1];
        Random random = new Random(4);
        for (int t = 0; t < stream.length; t++) {
            stream[t][0] = random.nextGaussian();
            stream[t][1] = random.nextGaussian();
            targets[t][0] = t == 0 ? 0 : stream[t - 1][0];
        }
        float[][] floatStream = rounded(stream);
        float[][] floatTargets = rounded(targets);
        TruncatedBptt doubles = new TruncatedBptt(nets.doubles(), 5);
        TruncatedBptt floats = new TruncatedBptt(nets.floats(), 5);
        doubles.restart();
        floats.restart();
        for (int c = 0; c < doubles.count(stream.length); c++) {
            zeroGradients(nets.doubles().parameters());
            zeroGradients(nets.floats().parameters());
            assertSameLoss(doubles.backward(stream, targets, c), floats.backward(floatStream, floatTargets, c), "chunk " + c);
            assertSameGradients(nets.doubles().parameters(), nets.floats().parameters(), "chunk " + c);
        }
        assertEquals("UnfoldedSmoother32 computes in FLOAT32: call backward with float arrays, not double arrays"
                        + " (or declare the network with @Network(precision = FLOAT64) to compute in double)",
                assertThrows(IllegalArgumentException.class, () -> floats.backward(stream, targets, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> doubles.loss(floatStream, floatTargets, 0));
    }

    @Test
    void streamChunksAndContextSequencesTrainFloat32Networks() {
        Twins<Classifier> words = twins("Speller", 7);
        int[] text = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 1, 3, 5, 0, 2, 4, 1};
        assertSameEpoch(StreamChunks.nextToken(spelling(words.doubles()), text, 4), words.doubles().parameters(),
                StreamChunks.nextToken(spelling(words.floats()), text, 4), words.floats().parameters(), "stream chunks");

        Twins<Classifier> captioners = twins("Captioner", 8);
        double[][] contexts = {{1, 0, -1}, {0.5, 0.25, 2}, {-1, -2, 0}, {0, 0, 1}, {2, 1, 0}};
        int[][] captions = {{1, 2, 3}, {4}, {0, 5, 5, 1}, {2, 2}, {3, 1, 4}};
        assertSameEpoch(ContextSequences.teacherForced(captioner(captioners.doubles()), contexts, captions, 0, 5, 2),
                captioners.doubles().parameters(),
                ContextSequences.teacherForced(captioner(captioners.floats()), contexts, captions, 0, 5, 2),
                captioners.floats().parameters(), "context sequences");
    }

    @SuppressWarnings("unchecked")
    private static <M extends Streaming & Classifier> M spelling(Classifier net) {
        return (M) net;
    }

    @SuppressWarnings("unchecked")
    private static <M extends Contextual & Classifier> M captioner(Classifier net) {
        return (M) net;
    }

    @Test
    void theGeneratorMakesTheFloat64TwinsChoices() {
        Twins<Classifier> nets = twins("Speller", 9);
        scaleWeights(nets.doubles().parameters(), 4);
        copyWeights(nets.doubles().parameters(), nets.floats().parameters());
        Generator doubles = new Generator(spelling(nets.doubles()));
        Generator floats = new Generator(spelling(nets.floats()));
        int[] prompt = {2, 0};
        int[] expected = new int[12];
        int[] actual = new int[12];
        assertEquals(doubles.greedy(prompt, 12, 5, expected), floats.greedy(prompt, 12, 5, actual));
        assertArrayEquals(expected, actual);
        assertEquals(doubles.lastScore(), floats.lastScore(), 1e-4, "greedy");
        for (int width : new int[] {1, 3, 8}) {
            Arrays.fill(expected, 0);
            Arrays.fill(actual, 0);
            assertEquals(doubles.beamSearch(prompt, 12, 5, width, expected), floats.beamSearch(prompt, 12, 5, width, actual));
            assertArrayEquals(expected, actual, "beam of " + width);
            assertEquals(doubles.lastScore(), floats.lastScore(), 1e-4, "beam of " + width);
        }
        assertEquals(doubles.sample(prompt, 12, -1, 0.8, 4, new SplittableRandom(3), expected),
                floats.sample(prompt, 12, -1, 0.8, 4, new SplittableRandom(3), actual));
        assertArrayEquals(expected, actual, "sampled");
        assertEquals(doubles.lastScore(), floats.lastScore(), 1e-4, "sampled");
    }

    /** Decoders of the Speller type start from a Speller's or a Reader's state: both are LSTMs of 5. */
    @SuppressWarnings("unchecked")
    private static <D extends Decoder & Classifier> D decoder(Classifier net) {
        return (D) net;
    }

    @Test
    void anEncoderDecoderOfFloat32NetworksLearnsAsItsFloat64Twin() {
        Twins<Classifier> readers = twins("Reader", 10);
        Twins<Classifier> spellers = twins("Speller", 11);
        Twins<Classifier> sources = twins("Speller", 12);   // a token encoder
        EncoderDecoder dense64 = new EncoderDecoder((Encoder) readers.doubles(), decoder(spellers.doubles()));
        EncoderDecoder dense32 = new EncoderDecoder((Encoder) readers.floats(), decoder(spellers.floats()));
        EncoderDecoder tokens64 = new EncoderDecoder((Encoder) sources.doubles(), decoder(spellers.doubles()));
        EncoderDecoder tokens32 = new EncoderDecoder((Encoder) sources.floats(), decoder(spellers.floats()));
        double[][][] xs = gaussians(new Random(5), 6, 3);
        float[][][] floatXs = rounded(xs);
        int[][] sentences = {{1, 2, 3}, {0, 0}, {4, 1, 2, 5}, {3}, {2, 2, 2}, {5, 4}};
        int[][] inputs = new int[6][];
        int[][] labels = new int[6][];
        for (int p = 0; p < 6; p++) {
            inputs[p] = new int[sentences[p].length];
            labels[p] = sentences[p];
            inputs[p][0] = 0;
            System.arraycopy(sentences[p], 0, inputs[p], 1, sentences[p].length - 1);
        }
        int[] decoders = new int[6];

        // one pair, a dense source and a token source
        zero(dense64, dense32);
        assertSameLoss(dense64.backward(xs[0], 0, inputs[0], labels[0]), dense32.backward(floatXs[0], 0, inputs[0], labels[0]),
                "dense source");
        assertSameGradients(dense64.parameters(), dense32.parameters(), "dense source");
        assertSameLoss(dense64.loss(xs[1], 0, inputs[1], labels[1]), dense32.loss(floatXs[1], 0, inputs[1], labels[1]),
                "loss of a dense source");
        zero(tokens64, tokens32);
        assertSameLoss(tokens64.backward(sentences[2], 0, inputs[0], labels[0]),
                tokens32.backward(sentences[2], 0, inputs[0], labels[0]), "token source");
        assertSameGradients(tokens64.parameters(), tokens32.parameters(), "token source");

        // batches of pairs, and scheduled sampling's choices among the decoder's float probabilities
        zero(dense64, dense32);
        assertSameLoss(dense64.backward(xs, decoders, inputs, labels), dense32.backward(floatXs, decoders, inputs, labels),
                "a batch of dense sources");
        assertSameGradients(dense64.parameters(), dense32.parameters(), "a batch of dense sources");
        zero(tokens64, tokens32);
        assertSameLoss(tokens64.backward(sentences, decoders, inputs, labels, 0.5, new SplittableRandom(1)),
                tokens32.backward(sentences, decoders, inputs, labels, 0.5, new SplittableRandom(1)),
                "a batch with scheduled sampling");
        assertSameGradients(tokens64.parameters(), tokens32.parameters(), "a batch with scheduled sampling");

        // generation from an encoded dense source
        int[] expected = new int[8];
        int[] actual = new int[8];
        assertEquals(dense64.encodeFor(xs[3], 0).greedy(new int[] {0}, 8, -1, expected),
                dense32.encodeFor(floatXs[3], 0).greedy(new int[] {0}, 8, -1, actual));
        assertArrayEquals(expected, actual);

        // SequencePairs of float sources, whole epochs of them
        assertSameEpoch(SequencePairs.of(dense64, xs, decoders, sentences, 0, 5, 4), dense64.parameters(),
                SequencePairs.of(dense32, floatXs, decoders, sentences, 0, 5, 4), dense32.parameters(), "sequence pairs");
    }

    private static void zero(EncoderDecoder... models) {
        for (EncoderDecoder model : models) {
            zeroGradients(model.parameters());
        }
    }

    /** The float paths keep their buffers as the double ones do: after warm-up, nothing is allocated. */
    @Test
    void theFloatPathsAllocateNothing() {
        Twins<Classifier> readers = twins("Reader", 14);
        Twins<Classifier> spellers = twins("Speller", 15);
        Generator generator = new Generator(spelling(spellers.floats()));
        int[] prompt = {1, 2};
        int[] into = new int[12];
        SplittableRandom random = new SplittableRandom(2);
        AllocationTest.assertNoAllocation(i -> generator.greedy(prompt, 12, -1, into));
        AllocationTest.assertNoAllocation(i -> generator.sample(prompt, 12, 5, 0.8, 3, random, into));
        AllocationTest.assertNoAllocation(i -> generator.beamSearch(prompt, 8, 5, 3, into));

        EncoderDecoder pair = new EncoderDecoder((Encoder) readers.floats(), decoder(spellers.floats()));
        float[][][] sources = rounded(gaussians(new Random(7), 3, 3));
        int[][] inputs = {{0, 1, 2}, {0, 4}, {0, 3, 3, 1}};
        int[][] labels = {{1, 2, 5}, {4, 5}, {3, 3, 1, 5}};
        int[] decoders = {0, 0, 0};
        AllocationTest.assertNoAllocation(i -> pair.backward(sources[i % 3], 0, inputs[i % 3], labels[i % 3]));
        AllocationTest.assertNoAllocation(i -> pair.encodeFor(sources[i % 3], 0).greedy(prompt, 6, 5, into));
        AllocationTest.assertNoAllocation(i -> pair.backward(sources, decoders, inputs, labels));

        Classifier sorter = Float32DataTest.<Classifier>twins("Sorter", 16).floats();
        double[][][] xs = gaussians(new Random(8), 11, 3);
        Minibatches batches = Minibatches.of(sorter, rounded(xs), firstExceedsLast(xs), 4);
        batches.startEpoch(1);
        AllocationTest.assertNoAllocation(i -> batches.backward(i % batches.updates()));

        Streaming smoother = Float32DataTest.<Streaming>twins("Smoother", 17).floats();
        float[][] stream = rounded(gaussians(new Random(9), 1, 2)[0]);
        float[][] targets = new float[stream.length][1];
        TruncatedBptt chunks = new TruncatedBptt(smoother, 3);
        chunks.restart();
        AllocationTest.assertNoAllocation(i -> chunks.backward(stream, targets, i % chunks.count(stream.length)));
    }

    @Test
    void anEncoderAndADecoderOfDifferentPrecisionsAreRefused() {
        Twins<Classifier> readers = twins("Reader", 10);
        Twins<Classifier> spellers = twins("Speller", 11);
        assertEquals("decoder 1 (UnfoldedSpeller64) computes in FLOAT64 but the encoder (UnfoldedReader32) in FLOAT32:"
                        + " an encoder and its decoders must share one precision; declare them all with the same"
                        + " @Network(precision = ...)",
                assertThrows(IllegalArgumentException.class, () -> new EncoderDecoder((Encoder) readers.floats(),
                        decoder(spellers.floats()), decoder(spellers.doubles()))).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new EncoderDecoder((Encoder) readers.doubles(), decoder(spellers.floats())));

        EncoderDecoder model = new EncoderDecoder((Encoder) readers.floats(), decoder(spellers.floats()));
        double[][] source = new double[3][3];
        int[] inputs = {0, 1};
        int[] labels = {1, 5};
        double[] before = weightsAndGradients(model.parameters());
        assertEquals("UnfoldedReader32 computes in FLOAT32: call backward with float arrays, not double arrays"
                        + " (or declare the network with @Network(precision = FLOAT64) to compute in double)",
                assertThrows(IllegalArgumentException.class, () -> model.backward(source, 0, inputs, labels)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> model.backward(new double[][][] {source}, new int[] {0}, new int[][] {inputs}, new int[][] {labels}));
        assertThrows(IllegalArgumentException.class, () -> model.loss(source, 0, inputs, labels));
        assertThrows(IllegalArgumentException.class, () -> model.encodeFor(source, 0));
        assertThrows(IllegalArgumentException.class,
                () -> SequencePairs.of(model, new double[][][] {source}, new int[] {0}, new int[][] {{1}}, 0, 5, 1));
        assertArrayEquals(before, weightsAndGradients(model.parameters()), "a refused call changes nothing");

        EncoderDecoder doubles = new EncoderDecoder((Encoder) readers.doubles(), decoder(spellers.doubles()));
        assertThrows(IllegalArgumentException.class,
                () -> doubles.backward(new float[3][3], 0, inputs, labels));
        assertThrows(IllegalArgumentException.class,
                () -> SequencePairs.of(doubles, new float[][][] {new float[3][3]}, new int[] {0}, new int[][] {{1}}, 0, 5, 1));
    }

    private static double[] weightsAndGradients(Parameters parameters) {
        List<Double> values = new ArrayList<>();
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                values.add(parameter.value(i));
                values.add(parameter.gradient(i));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
