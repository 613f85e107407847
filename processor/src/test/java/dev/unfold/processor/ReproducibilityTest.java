package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Traceable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A network computes the same values every time: the first call, run by the interpreter, and a
 * call after thousands more, run by code the JIT compiled, agree to the last bit, for one sequence
 * and for a batch. (The Vector API's reductions and its exp and tanh did not: their order and
 * rounding differ between the JIT's tiers, which is why the kernels avoid them.)
 */
class ReproducibilityTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.source("repro.Stack",
                    "package repro;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 13, output = 5, loss = Loss.CROSS_ENTROPY)",
                    "public interface Stack extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 19, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 11, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.source("repro.FloatStack",
                    "package repro;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 13, output = 5, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)",
                    "public interface FloatStack extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 19, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 11, cell = Cell.GRU) Layer gru();",
                    "    @Recurrent(hidden = 7, cell = Cell.LSTM, projection = 3) Layer projected();",
                    "}"),
            TestCompiler.source("repro.FloatTagger",
                    "package repro;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 13, output = 5, loss = Loss.BINARY_CROSS_ENTROPY, precision = Precision.FLOAT32)",
                    "public interface FloatTagger extends SequenceModel {",
                    "    @Recurrent(hidden = 9, cell = Cell.GRU) @Bidirectional Layer gru();",
                    "    @Recurrent(hidden = 6, activation = Activation.TANH) Layer rnn();",
                    "}")));

    @EachCompiler
    void theFirstCallAndTheThousandthAgreeToTheLastBit(TestCompiler compiler) {
        var net = (Encoder & Decoder & Classifier & Traceable) TestCompiler.instantiate(NETWORKS.loader(compiler), "repro.UnfoldedStack", 3);
        Random random = new Random(9);
        double[][][] xs = new double[10][17][13];
        int[][] labels = new int[10][];
        for (int b = 0; b < xs.length; b++) {
            for (double[] x : xs[b]) {
                for (int j = 0; j < x.length; j++) {
                    x[j] = random.nextGaussian();
                }
            }
            labels[b] = random.ints(17, 0, 5).toArray();
        }
        List<double[]> first = run(net, xs, labels);
        for (int i = 0; i < 3000; i++) {
            run(net, xs, labels);
        }
        List<double[]> later = run(net, xs, labels);
        assertEquals(first.size(), later.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), later.get(i), 0.0, "result " + i + " changed once compiled");
        }
    }

    /**
     * The same in float32: FloatActivations' exp, σ and tanh, and the float kernels, are built from
     * exactly rounded operations, so the interpreter and the JIT compute the same bits.
     */
    @EachCompiler
    void float32NetworksAgreeToTheLastBitInterpretedAndCompiled(TestCompiler compiler) {
        ClassLoader loader = NETWORKS.loader(compiler);
        SequenceModel classifier = TestCompiler.instantiate(loader, "repro.UnfoldedFloatStack", 3);
        SequenceModel tagger = TestCompiler.instantiate(loader, "repro.UnfoldedFloatTagger", 3);
        Random random = new Random(10);
        float[][][] xs = new float[10][17][13];
        int[][] labels = new int[10][];
        float[][][] targets = new float[10][17][5];
        for (int b = 0; b < xs.length; b++) {
            for (float[] x : xs[b]) {
                for (int j = 0; j < x.length; j++) {
                    x[j] = (float) random.nextGaussian();
                }
            }
            labels[b] = random.ints(17, 0, 5).toArray();
            for (float[] y : targets[b]) {
                for (int k = 0; k < y.length; k++) {
                    y[k] = random.nextFloat();
                }
            }
        }
        List<double[]> first = runFloat32(classifier, tagger, xs, labels, targets);
        for (int i = 0; i < 3000; i++) {
            runFloat32(classifier, tagger, xs, labels, targets);
        }
        List<double[]> later = runFloat32(classifier, tagger, xs, labels, targets);
        assertEquals(first.size(), later.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), later.get(i), 0.0, "result " + i + " changed once compiled");
        }
    }

    private static List<double[]> runFloat32(SequenceModel classifier, SequenceModel tagger, float[][][] xs,
                                             int[][] labels, float[][][] targets) {
        List<double[]> results = new ArrayList<>();
        float[][] ys = new float[17][5];
        for (SequenceModel net : List.of(classifier, tagger)) {
            net.forward(xs[0], ys);
            for (float[] y : ys) {
                results.add(FloatExample.widened(new float[][] {y})[0]);
            }
            PrecisionAgreement.zeroGradients(net);
            results.add(new double[] {net == classifier ? ((Classifier) net).backward(xs[0], labels[0])
                    : net.backward(xs[0], targets[0])});
            results.addAll(widenedGradients(net));
            PrecisionAgreement.zeroGradients(net);
            results.add(new double[] {net == classifier ? ((Classifier) net).backward(xs, labels)
                    : net.backward(xs, targets)});
            results.addAll(widenedGradients(net));
        }
        return results;
    }

    private static List<double[]> widenedGradients(SequenceModel net) {
        List<double[]> gradients = new ArrayList<>();
        for (Parameter parameter : net.parameters()) {
            float[] gradient = parameter.floatGradient().data;
            gradients.add(FloatExample.widened(new float[][] {gradient})[0]);
        }
        return gradients;
    }

    /** One sequence's predictions and gradients, then the batch's loss and gradients. */
    private static List<double[]> run(Classifier net, double[][][] xs, int[][] labels) {
        List<double[]> results = new ArrayList<>();
        double[][] ys = new double[17][5];
        net.forward(xs[0], ys);
        for (double[] y : ys) {
            results.add(y);
        }
        net.parameters().zeroGradients();
        results.add(new double[] {net.backward(xs[0], labels[0])});
        for (Parameter parameter : net.parameters()) {
            results.add(parameter.gradient().data.clone());
        }
        net.parameters().zeroGradients();
        results.add(new double[] {net.backward(xs, labels)});
        for (Parameter parameter : net.parameters()) {
            results.add(parameter.gradient().data.clone());
        }
        return results;
    }
}
