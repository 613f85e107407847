package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.SequenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated batched pass equals the single-sequence pass it batches: for every network of
 * the gradient checks (which prove the single-sequence gradients right), the batch's loss is the
 * sum of the sequences' losses, its gradient the sum of their gradients and its predictions
 * theirs, up to the rounding of a different order of summation. Each case runs a batch of 11
 * (two vectors of lanes, five of them padding) and then a batch of 3 on the same instance, so that
 * values the wider batch left in the padding lanes would show; then batches of sequences of
 * different lengths, which run in one masked pass: past a sequence's end its state is held at zero
 * and nothing reaches its gradient, so each sequence gets what it would alone.
 */
class BatchedPassTest {
    /** Largest allowed |batched − summed| / max(1, |summed|): summation order only. */
    private static final double TOLERANCE = 1e-10;

    private static final List<RandomNetworks.Spec> SPECS = RandomNetworks.allCombinations(2027);

    @TestFactory
    Stream<DynamicContainer> batchesEqualTheSumOfTheirSequences() {
        return RandomNetworks.eachCase(SPECS, BatchedPassTest::check);
    }

    private static void check(ClassLoader loader, RandomNetworks.Spec spec, boolean tokens, boolean labels) {
        SequenceModel net = TestCompiler.instantiate(loader, spec.className(), 11);
        Random random = new Random(spec.seed() * 4 + (tokens ? 1 : 0) + (labels ? 2 : 0));
        int steps = 1 + random.nextInt(6);
        compare(net, spec, randomBatch(spec, 11, new int[] {steps}, tokens, labels, random), "batch of 11");
        // no longer, so that the buffers stay and the padding lanes hold what the batch of 11 left
        compare(net, spec, randomBatch(spec, 3, new int[] {steps}, tokens, labels, random), "then 3");
        compare(net, spec, randomBatch(spec, 3, new int[] {steps, steps + 2, 1}, tokens, labels, random),
                "lengths differ");
        compare(net, spec, randomBatch(spec, 10, new int[] {steps + 3, 1, steps, 2, steps + 1}, tokens, labels,
                random), "lengths differ across two vectors of lanes");
    }

    private static void compare(SequenceModel net, RandomNetworks.Spec spec, List<Example> batch, String what) {
        net.parameters().zeroGradients();
        double summed = 0;
        for (Example example : batch) {
            summed += example.backward(net);
        }
        List<double[]> expected = new ArrayList<>();
        for (Parameter parameter : net.parameters()) {
            expected.add(parameter.gradient().data.clone());
        }
        net.parameters().zeroGradients();
        double batched = backward(net, batch);
        assertClose(summed, batched, what + ": loss");
        int p = 0;
        for (Parameter parameter : net.parameters()) {
            double[] gradient = parameter.gradient().data;
            double[] sum = expected.get(p++);
            for (int i = 0; i < gradient.length; i++) {
                assertClose(sum[i], gradient[i], what + ": ∂L/∂" + parameter.name() + "[" + i + "]");
            }
        }

        double[][][] ys = outputs(net, spec, batch);
        forward(net, batch, ys);
        for (int b = 0; b < batch.size(); b++) {
            double[][] single = new double[ys[b].length][spec.output()];
            batch.get(b).forward(net, single);
            for (int t = 0; t < single.length; t++) {
                for (int k = 0; k < single[t].length; k++) {
                    assertClose(single[t][k], ys[b][t][k], what + ": ŷ of sequence " + b + " at " + t + ", " + k);
                }
            }
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        double error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
        assertTrue(error <= TOLERANCE, what + ": expected " + expected + ", batched " + actual);
    }

    private static double[][][] outputs(SequenceModel net, RandomNetworks.Spec spec, List<Example> batch) {
        double[][][] ys = new double[batch.size()][][];
        for (int b = 0; b < ys.length; b++) {
            ys[b] = new double[net.outputSteps(batch.get(b).steps())][spec.output()];
        }
        return ys;
    }

    private static double backward(SequenceModel net, List<Example> batch) {
        Example first = batch.get(0);
        if (first.tokens() != null) {
            int[][] tokens = batch.stream().map(Example::tokens).toArray(int[][]::new);
            return first.labels() != null
                    ? ((Classifier) net).backward(tokens, batch.stream().map(Example::labels).toArray(int[][]::new))
                    : net.backward(tokens, batch.stream().map(Example::targets).toArray(double[][][]::new));
        }
        double[][][] xs = batch.stream().map(Example::xs).toArray(double[][][]::new);
        return first.labels() != null
                ? ((Classifier) net).backward(xs, batch.stream().map(Example::labels).toArray(int[][]::new))
                : net.backward(xs, batch.stream().map(Example::targets).toArray(double[][][]::new));
    }

    private static void forward(SequenceModel net, List<Example> batch, double[][][] ys) {
        if (batch.get(0).tokens() != null) {
            net.forward(batch.stream().map(Example::tokens).toArray(int[][]::new), ys);
        } else {
            net.forward(batch.stream().map(Example::xs).toArray(double[][][]::new), ys);
        }
    }

    /** {@code count} random examples; lengths cycle through {@code lengths}. */
    private static List<Example> randomBatch(RandomNetworks.Spec spec, int count, int[] lengths, boolean useTokens,
                                             boolean useLabels, Random random) {
        List<Example> batch = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            batch.add(RandomNetworks.example(spec, lengths[b % lengths.length], useTokens, useLabels, random));
        }
        return batch;
    }
}
