package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Parameter;
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
