package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
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

    /**
     * The same in float32, relative to max(1, |expected|) as above: float's unit roundoff is 6e-8,
     * and the two orders of summation differ in at most a few dozen roundings of each value
     * (a dot product's partial sums, the lanes' or the sequences' gradients added up), so their
     * results differ by well under 1e-5; a lane mixed up or a padding lane leaking differs by O(1).
     */
    private static final double FLOAT32_TOLERANCE = 1e-5;

    private static final List<RandomNetworks.Spec> SPECS = RandomNetworks.allCombinations(2027);

    @TestFactory
    Stream<DynamicContainer> batchesEqualTheSumOfTheirSequences() {
        return RandomNetworks.eachCase(SPECS, BatchedPassTest::check);
    }

    @TestFactory
    Stream<DynamicContainer> float32BatchesEqualTheSumOfTheirSequences() {
        return RandomNetworks.eachCase(SPECS.stream().map(spec -> spec.in(Precision.FLOAT32)).toList(),
                BatchedPassTest::checkFloat32);
    }

    /** {@link #check} for a float32 network: the same batches, rounded to float. */
    private static void checkFloat32(ClassLoader loader, RandomNetworks.Spec spec, boolean tokens, boolean labels) {
        SequenceModel net = TestCompiler.instantiate(loader, spec.className(), 11);
        Random random = new Random(spec.seed() * 4 + (tokens ? 1 : 0) + (labels ? 2 : 0));
        int steps = 1 + random.nextInt(6);
        compareFloat32(net, spec, rounded(randomBatch(spec, 11, new int[] {steps}, tokens, labels, random)),
                "batch of 11");
        compareFloat32(net, spec, rounded(randomBatch(spec, 3, new int[] {steps}, tokens, labels, random)), "then 3");
        compareFloat32(net, spec, rounded(randomBatch(spec, 3, new int[] {steps, steps + 2, 1}, tokens, labels,
                random)), "lengths differ");
        compareFloat32(net, spec, rounded(randomBatch(spec, 10, new int[] {steps + 3, 1, steps, 2, steps + 1}, tokens,
                labels, random)), "lengths differ across two vectors of lanes");
    }

    private static List<FloatExample> rounded(List<Example> batch) {
        return batch.stream().map(FloatExample::rounded).toList();
    }

    private static void compareFloat32(SequenceModel net, RandomNetworks.Spec spec, List<FloatExample> batch,
                                       String what) {
        PrecisionAgreement.zeroGradients(net);
        double summed = 0;
        for (FloatExample example : batch) {
            summed += example.backward(net);
        }
        List<double[]> expected = gradients(net);
        PrecisionAgreement.zeroGradients(net);
        double batched = backwardFloat32(net, batch);
        assertClose(summed, batched, what + ": loss", FLOAT32_TOLERANCE);
        List<double[]> actual = gradients(net);
        int p = 0;
        for (Parameter parameter : net.parameters()) {
            for (int i = 0; i < parameter.size(); i++) {
                assertClose(expected.get(p)[i], actual.get(p)[i], what + ": ∂L/∂" + parameter.name() + "[" + i + "]",
                        FLOAT32_TOLERANCE);
            }
            p++;
        }

        float[][][] ys = new float[batch.size()][][];
        for (int b = 0; b < ys.length; b++) {
            ys[b] = new float[net.outputSteps(batch.get(b).steps())][spec.output()];
        }
        if (batch.get(0).tokens() != null) {
            net.forward(batch.stream().map(FloatExample::tokens).toArray(int[][]::new), ys);
        } else {
            net.forward(batch.stream().map(FloatExample::xs).toArray(float[][][]::new), ys);
        }
        for (int b = 0; b < batch.size(); b++) {
            float[][] single = new float[ys[b].length][spec.output()];
            batch.get(b).forward(net, single);
            for (int t = 0; t < single.length; t++) {
                for (int k = 0; k < single[t].length; k++) {
                    assertClose(single[t][k], ys[b][t][k], what + ": ŷ of sequence " + b + " at " + t + ", " + k,
                            FLOAT32_TOLERANCE);
                }
            }
        }
    }

    /** Every parameter's gradient, widened. */
    private static List<double[]> gradients(SequenceModel net) {
        List<double[]> gradients = new ArrayList<>();
        for (Parameter parameter : net.parameters()) {
            double[] gradient = new double[parameter.size()];
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] = parameter.gradient(i);
            }
            gradients.add(gradient);
        }
        return gradients;
    }

    private static double backwardFloat32(SequenceModel net, List<FloatExample> batch) {
        FloatExample first = batch.get(0);
        int[][] labels = first.labels() == null ? null : batch.stream().map(FloatExample::labels).toArray(int[][]::new);
        float[][][] targets = batch.stream().map(FloatExample::targets).toArray(float[][][]::new);
        if (first.tokens() != null) {
            int[][] tokens = batch.stream().map(FloatExample::tokens).toArray(int[][]::new);
            return labels != null ? ((Classifier) net).backward(tokens, labels) : net.backward(tokens, targets);
        }
        float[][][] xs = batch.stream().map(FloatExample::xs).toArray(float[][][]::new);
        return labels != null ? ((Classifier) net).backward(xs, labels) : net.backward(xs, targets);
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
        assertClose(expected, actual, what, TOLERANCE);
    }

    private static void assertClose(double expected, double actual, String what, double tolerance) {
        double error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
        assertTrue(error <= tolerance, what + ": expected " + expected + ", batched " + actual);
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
