package dev.unfold.processor;

import static dev.unfold.processor.PrecisionAgreement.gradientsAgree;
import static dev.unfold.processor.PrecisionAgreement.lossesAgree;
import static dev.unfold.processor.PrecisionAgreement.rowsAgree;
import static dev.unfold.processor.PrecisionAgreement.sameWeightsUpToRounding;
import static dev.unfold.processor.PrecisionAgreement.valuesAgree;
import static dev.unfold.processor.PrecisionAgreement.zeroGradients;

import com.google.testing.compile.JavaFileObjects;
import dev.unfold.runtime.Autoregressive;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.SequenceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;

/**
 * The paths {@link Float32AgainstFloat64Test}'s random networks do not take, float32 against float64
 * on the same network (same seed, so the same weights up to rounding; the same inputs, rounded): a
 * context vector, one sequence and a batch each with its own; the previous output fed back, teacher
 * forced, running free and by scheduled sampling; and an encoder's final state handed to a decoder
 * and the decoder's initial-state gradient handed back, one by one and batched. The networks are the
 * PyTorch fixtures' declarations, each compiled as written and with {@code precision = FLOAT32}
 * (in a package of its own, {@code .f32}). Tolerances as {@link PrecisionAgreement} states them.
 */
class Float32PathsAgainstFloat64Test {
    private static final CompiledSources NETWORKS = new CompiledSources(inBothPrecisions("context", "feedback", "seq2seq"));

    /** Every fixture declaration of the directories, and its float32 twin. */
    private static List<JavaFileObject> inBothPrecisions(String... directories) {
        List<JavaFileObject> sources = new ArrayList<>();
        for (String directory : directories) {
            for (JavaFileObject declaration : Fixtures.declarations(Fixtures.directory(directory))) {
                sources.add(declaration);
                sources.add(float32(directory, declaration));
            }
        }
        return sources;
    }

    private static JavaFileObject float32(String directory, JavaFileObject declaration) {
        try {
            String source = declaration.getCharContent(true).toString();
            String name = Path.of(declaration.toUri()).getFileName().toString().replace(".java", "");
            String float32 = source.replace("package " + directory + ";", "package " + directory + ".f32;")
                    .replace("@Network(", "@Network(precision = Precision.FLOAT32, ");
            Path file = Files.createDirectories(Path.of("target/unfold-test-sources/float32", directory))
                    .resolve(name + ".java");
            Files.writeString(file, float32, StandardCharsets.UTF_8);
            return JavaFileObjects.forResource(file.toUri().toURL());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SequenceModel[] pair(TestCompiler compiler, String directory, String name) {
        ClassLoader loader = NETWORKS.loader(compiler);
        SequenceModel doubles = TestCompiler.instantiate(loader, directory + ".Unfolded" + name, 5);
        SequenceModel floats = TestCompiler.instantiate(loader, directory + ".f32.Unfolded" + name, 5);
        sameWeightsUpToRounding(doubles, floats);
        return new SequenceModel[] {doubles, floats};
    }

    @EachCompiler
    void contexts(TestCompiler compiler) {
        for (String name : List.of("LstmContext", "GruBiContext")) {
            SequenceModel[] nets = pair(compiler, "context", name);
            Random random = new Random(name.hashCode());
            Contextual doubles = (Contextual) nets[0];
            Contextual floats = (Contextual) nets[1];
            double[] context = Float32AgainstFloat64Test.roundedGaussians(doubles.contextSize(), random);
            doubles.setContext(context);
            floats.setContext(context);
            for (boolean tokens : new boolean[] {false, true}) {
                FloatExample example = example(nets[0], 4, tokens, random);
                agreeOnOneSequence(name + " with a context" + (tokens ? ", tokens" : ""), nets[0], nets[1], example);
            }
            // a batch, each sequence with its own context
            double[][] contexts = new double[3][];
            List<FloatExample> batch = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                contexts[b] = Float32AgainstFloat64Test.roundedGaussians(doubles.contextSize(), random);
                batch.add(example(nets[0], 2 + b, false, random));
            }
            doubles.setContexts(contexts);
            floats.setContexts(contexts);
            agreeOnABatch(name + ", a batch of contexts", nets[0], nets[1], batch);
        }
    }

    @EachCompiler
    void feedback(TestCompiler compiler) {
        for (String name : List.of("LstmFedBack", "GruFedBackDeep")) {
            SequenceModel[] nets = pair(compiler, "feedback", name);
            Random random = new Random(name.hashCode());
            FloatExample example = example(nets[0], 6, false, random);
            agreeOnOneSequence(name + " teacher forced, running free", nets[0], nets[1], example);
            Autoregressive doubles = (Autoregressive) nets[0];
            Autoregressive floats = (Autoregressive) nets[1];
            // the same coins in both: the same steps read the own prediction
            doubles.setScheduledSampling(0.5, new Random(3));
            floats.setScheduledSampling(0.5, new Random(3));
            agreeOnOneSequence(name + " by scheduled sampling", nets[0], nets[1], example);
            doubles.setScheduledSampling(0.5, new Random(4));
            floats.setScheduledSampling(0.5, new Random(4));
            agreeOnABatch(name + ", a batch by scheduled sampling", nets[0], nets[1],
                    List.of(example, example(nets[0], 3, false, random)));
            doubles.setScheduledSampling(0, null);
            floats.setScheduledSampling(0, null);
        }
    }

    /** Encoder → final state → decoder, and the decoder's initial-state gradient → the encoder's BPTT. */
    @EachCompiler
    void encoderDecoderHandOver(TestCompiler compiler) {
        for (String pair : List.of("LstmGru", "ProjectedLstm", "Tanh")) {
            SequenceModel[] encoders = pair(compiler, "seq2seq", pair + "Encoder");
            SequenceModel[] decoders = pair(compiler, "seq2seq", pair + "Decoder");
            Random random = new Random(pair.hashCode());
            FloatExample source = example(encoders[0], 5, false, random);
            FloatExample target = example(decoders[0], 4, true, random);
            double[][] states = new double[2][];
            double[][] stateGradients = new double[2][];
            for (int p = 0; p < 2; p++) {
                Encoder encoder = (Encoder) encoders[p];
                Decoder decoder = (Decoder) decoders[p];
                zeroGradients(encoder, decoder);
                if (p == 0) {
                    encoder.forward(source.widened().xs(), new double[5][encoder.outputSize()]);
                } else {
                    encoder.forward(source.xs(), new float[5][encoder.outputSize()]);
                }
                states[p] = new double[encoder.stateSize()];
                encoder.finalState(states[p], 0);
                decoder.setStateful(true);
                decoder.restoreState(states[p], 0);
                double loss = p == 0 ? target.widened().backward(decoder) : target.backward(decoder);
                decoder.setStateful(false);
                stateGradients[p] = new double[decoder.stateSize()];
                decoder.initialStateGradient(stateGradients[p], 0);
                if (p == 0) {
                    encoder.backwardFromState(source.widened().xs(), stateGradients[p], 0);
                } else {
                    encoder.backwardFromState(source.xs(), stateGradients[p], 0);
                }
                states[p] = append(states[p], loss);
            }
            valuesAgree(pair + " final state (and the decoder's loss last)", states[0], states[1]);
            valuesAgree(pair + " initial-state gradient", stateGradients[0], stateGradients[1]);
            gradientsAgree(pair + " decoder", decoders[0], decoders[1]);
            gradientsAgree(pair + " encoder", encoders[0], encoders[1]);
            batchedHandOverAgrees(pair, encoders, decoders, random);
        }
    }

    private static void batchedHandOverAgrees(String pair, SequenceModel[] encoders, SequenceModel[] decoders,
                                              Random random) {
        List<FloatExample> sources = List.of(example(encoders[0], 3, false, random), example(encoders[0], 5, false, random));
        List<FloatExample> targets = List.of(example(decoders[0], 4, true, random), example(decoders[0], 2, true, random));
        double[][][] states = new double[2][2][];
        double[][][] stateGradients = new double[2][2][];
        for (int p = 0; p < 2; p++) {
            Encoder encoder = (Encoder) encoders[p];
            Decoder decoder = (Decoder) decoders[p];
            zeroGradients(encoder, decoder);
            for (int b = 0; b < 2; b++) {
                states[p][b] = new double[encoder.stateSize()];
                stateGradients[p][b] = new double[decoder.stateSize()];
            }
            if (p == 0) {
                encoder.forward(widenedInputs(sources), outputs(sources, encoder.outputSize()));
            } else {
                encoder.forward(inputs(sources), floatOutputs(sources, encoder.outputSize()));
            }
            encoder.finalStates(states[p]);
            decoder.setInitialStates(states[p]);
            int[][] tokens = {targets.get(0).tokens(), targets.get(1).tokens()};
            int[][] labels = {targets.get(0).labels(), targets.get(1).labels()};
            ((dev.unfold.runtime.Classifier) decoder).backward(tokens, labels);
            decoder.setInitialStates(null);
            decoder.initialStateGradients(stateGradients[p]);
            if (p == 0) {
                encoder.backwardFromStates(widenedInputs(sources), stateGradients[p]);
            } else {
                encoder.backwardFromStates(inputs(sources), stateGradients[p]);
            }
        }
        for (int b = 0; b < 2; b++) {
            valuesAgree(pair + " batched final state " + b, states[0][b], states[1][b]);
            valuesAgree(pair + " batched initial-state gradient " + b, stateGradients[0][b], stateGradients[1][b]);
        }
        gradientsAgree(pair + " batched decoder", decoders[0], decoders[1]);
        gradientsAgree(pair + " batched encoder", encoders[0], encoders[1]);
    }

    /** Forward, loss and every gradient of one sequence, in both precisions. */
    private static void agreeOnOneSequence(String what, SequenceModel doubles, SequenceModel floats, FloatExample example) {
        Example same = example.widened();
        int rows = doubles.mapping() == dev.unfold.Mapping.MANY_TO_MANY ? example.steps() : 1;
        double[][] expected = new double[rows][doubles.outputSize()];
        float[][] actual = new float[rows][floats.outputSize()];
        same.forward(doubles, expected);
        example.forward(floats, actual);
        rowsAgree(what + ": predictions", expected, actual);
        zeroGradients(doubles, floats);
        lossesAgree(what + ": loss", same.backward(doubles), example.backward(floats));
        gradientsAgree(what, doubles, floats);
    }

    /** A batched forward and backward, in both precisions. */
    private static void agreeOnABatch(String what, SequenceModel doubles, SequenceModel floats, List<FloatExample> batch) {
        boolean tokens = batch.get(0).tokens() != null;
        boolean labels = batch.get(0).labels() != null;
        boolean manyToMany = doubles.mapping() == dev.unfold.Mapping.MANY_TO_MANY;
        double[][][] expected = outputs(batch, doubles.outputSize());
        float[][][] actual = floatOutputs(batch, floats.outputSize());
        if (!manyToMany) {
            for (int b = 0; b < batch.size(); b++) {
                expected[b] = new double[1][doubles.outputSize()];
                actual[b] = new float[1][floats.outputSize()];
            }
        }
        if (tokens) {
            int[][] sequences = batch.stream().map(FloatExample::tokens).toArray(int[][]::new);
            doubles.forward(sequences, expected);
            floats.forward(sequences, actual);
        } else {
            doubles.forward(widenedInputs(batch), expected);
            floats.forward(inputs(batch), actual);
        }
        for (int b = 0; b < batch.size(); b++) {
            rowsAgree(what + ": predictions of sequence " + b, expected[b], actual[b]);
        }
        zeroGradients(doubles, floats);
        double loss;
        double expectedLoss;
        if (labels) {
            int[][] classes = batch.stream().map(FloatExample::labels).toArray(int[][]::new);
            var doubleClassifier = (dev.unfold.runtime.Classifier) doubles;
            var floatClassifier = (dev.unfold.runtime.Classifier) floats;
            if (tokens) {
                int[][] sequences = batch.stream().map(FloatExample::tokens).toArray(int[][]::new);
                expectedLoss = doubleClassifier.backward(sequences, classes);
                loss = floatClassifier.backward(sequences, classes);
            } else {
                expectedLoss = doubleClassifier.backward(widenedInputs(batch), classes);
                loss = floatClassifier.backward(inputs(batch), classes);
            }
        } else {
            double[][][] doubleTargets = batch.stream().map(e -> e.widened().targets()).toArray(double[][][]::new);
            float[][][] floatTargets = batch.stream().map(FloatExample::targets).toArray(float[][][]::new);
            if (tokens) {
                int[][] sequences = batch.stream().map(FloatExample::tokens).toArray(int[][]::new);
                expectedLoss = doubles.backward(sequences, doubleTargets);
                loss = floats.backward(sequences, floatTargets);
            } else {
                expectedLoss = doubles.backward(widenedInputs(batch), doubleTargets);
                loss = floats.backward(inputs(batch), floatTargets);
            }
        }
        lossesAgree(what + ": loss", expectedLoss, loss);
        gradientsAgree(what, doubles, floats);
    }

    /**
     * A random sequence of {@code steps} for {@code network}: dense rows (Gaussian) or tokens, and
     * class labels for a classifier, else dense targets; every value a float.
     */
    private static FloatExample example(SequenceModel network, int steps, boolean tokens, Random random) {
        int rows = network.mapping() == dev.unfold.Mapping.MANY_TO_MANY ? steps : 1;
        float[][] xs = null;
        int[] sequence = null;
        if (tokens) {
            sequence = random.ints(steps, 0, network.inputSize()).toArray();
        } else {
            xs = new float[steps][network.inputSize()];
            for (float[] x : xs) {
                for (int j = 0; j < x.length; j++) {
                    x[j] = (float) random.nextGaussian();
                }
            }
        }
        if (network instanceof dev.unfold.runtime.Classifier) {
            return new FloatExample(xs, sequence, null, random.ints(rows, 0, network.outputSize()).toArray());
        }
        float[][] targets = new float[rows][network.outputSize()];
        for (float[] y : targets) {
            for (int k = 0; k < y.length; k++) {
                y[k] = (float) random.nextGaussian();
            }
        }
        return new FloatExample(xs, sequence, targets, null);
    }

    private static float[][][] inputs(List<FloatExample> batch) {
        return batch.stream().map(FloatExample::xs).toArray(float[][][]::new);
    }

    private static double[][][] widenedInputs(List<FloatExample> batch) {
        return batch.stream().map(e -> FloatExample.widened(e.xs())).toArray(double[][][]::new);
    }

    private static double[][][] outputs(List<FloatExample> batch, int width) {
        return batch.stream().map(e -> new double[e.steps()][width]).toArray(double[][][]::new);
    }

    private static float[][][] floatOutputs(List<FloatExample> batch, int width) {
        return batch.stream().map(e -> new float[e.steps()][width]).toArray(float[][][]::new);
    }

    private static double[] append(double[] values, double last) {
        double[] longer = java.util.Arrays.copyOf(values, values.length + 1);
        longer[values.length] = last;
        return longer;
    }
}
