package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Loss;
import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A stateful batch of B streams is B single-sequence stateful streams run at once: over several
 * chunks, each batched call's loss is the sum of the streams' losses, its gradient the sum of their
 * gradients (each stopping at the state its chunk started from), its predictions theirs, and the
 * states it carries on theirs, up to the rounding of another order of summation. Every kind of
 * bottom layer (the simple cells, LSTM, GRU, a projecting LSTM) × 1–3 layers × loss × mapping,
 * dense and token input, dense targets and labels, both precisions; the streams of the last chunk
 * end at different lengths, and each carries its state from its own last step.
 */
class StatefulBatchTest {
    /** As BatchedPassTest: |batched − one by one| / max(1, |one by one|), summation order only. */
    private static final double TOLERANCE = 1e-10;
    /** As BatchedPassTest's float32 tolerance: a few dozen roundings of float's 6e-8; a mixed-up lane is O(1). */
    private static final double FLOAT32_TOLERANCE = 1e-5;
    /** Streams: more than one vector of double lanes (8), fewer than one of float lanes (16). */
    private static final int STREAMS = 10;

    /** The gradient checks' networks that can stream: every bottom kind, loss, mapping and depth, one direction. */
    private static final List<RandomNetworks.Spec> SPECS = RandomNetworks.allCombinations(2031).stream()
            .filter(spec -> spec.layers().stream().noneMatch(RandomNetworks.LayerSpec::bidirectional))
            .toList();

    @TestFactory
    Stream<DynamicContainer> statefulBatchesEqualTheirStreamsOneByOne() {
        List<JavaFileObject> sources = new ArrayList<>();
        for (RandomNetworks.Spec spec : SPECS) {
            for (Precision precision : Precision.values()) {
                sources.add(spec.in(precision).source(capabilities(spec)));
            }
        }
        CompiledSources networks = new CompiledSources(sources);
        return Arrays.stream(TestCompiler.values()).map(compiler -> {
            List<DynamicTest> tests = new ArrayList<>();
            for (RandomNetworks.Spec spec : SPECS) {
                for (Precision precision : Precision.values()) {
                    for (boolean tokens : new boolean[] {false, true}) {
                        for (boolean labels : spec.loss() == Loss.CROSS_ENTROPY ? new boolean[] {false, true}
                                : new boolean[] {false}) {
                            String name = spec + " " + precision + (tokens ? " tokens" : " dense")
                                    + (labels ? " labels" : " targets");
                            tests.add(DynamicTest.dynamicTest(name, () -> check(networks.loader(compiler),
                                    spec.in(precision), tokens, labels)));
                        }
                    }
                }
            }
            return DynamicContainer.dynamicContainer(compiler.toString(), tests.stream());
        });
    }

    private static List<String> capabilities(RandomNetworks.Spec spec) {
        return spec.loss() == Loss.CROSS_ENTROPY ? List.of("Streaming", "Classifier") : List.of("Streaming");
    }

    private static void check(ClassLoader loader, RandomNetworks.Spec spec, boolean tokens, boolean labels) {
        Streaming batched = TestCompiler.instantiate(loader, spec.className(), 7);
        Streaming single = TestCompiler.instantiate(loader, spec.className(), 7);
        double tolerance = spec.precision() == Precision.FLOAT64 ? TOLERANCE : FLOAT32_TOLERANCE;
        Random random = new Random(spec.seed() * 4 + (tokens ? 1 : 0) + (labels ? 2 : 0));
        int length = 2 + random.nextInt(4);
        // the last chunk's streams end at different lengths, some after one step
        int[][] chunkLengths = {{length}, {length}, {length, 1, length + 2, 2}};
        batched.setStateful(true);
        batched.resetState();
        single.setStateful(true);
        double[][] states = new double[STREAMS][single.stateSize()];   // each stream's, run one by one
        for (int c = 0; c < chunkLengths.length; c++) {
            List<Example> chunk = new ArrayList<>();
            for (int b = 0; b < STREAMS; b++) {
                chunk.add(RandomNetworks.example(spec, chunkLengths[c][b % chunkLengths[c].length], tokens, labels,
                        random));
            }
            compareChunk(batched, single, states, spec, chunk, "chunk " + c, tolerance);
        }
    }

    /**
     * One chunk of every stream: batched (backward, then forward again from the same states, which
     * saveStates and restoreStates put back) against each stream's single stateful calls.
     */
    private static void compareChunk(Streaming batched, Streaming single, double[][] states, RandomNetworks.Spec spec,
                                     List<Example> chunk, String what, double tolerance) {
        single.parameters().zeroGradients();
        double summed = 0;
        for (int b = 0; b < STREAMS; b++) {
            single.restoreState(states[b], 0);
            summed += backward(single, chunk.get(b), spec);
        }
        List<double[]> expected = gradients(single);
        double[][][] expectedOutputs = new double[STREAMS][][];
        for (int b = 0; b < STREAMS; b++) {
            single.restoreState(states[b], 0);
            expectedOutputs[b] = forward(single, chunk.get(b), spec);
            single.saveState(states[b], 0);
        }

        double[][] before = new double[batched.streamCount()][batched.stateSize()];
        batched.saveStates(before);
        batched.parameters().zeroGradients();
        assertClose(summed, backwardBatch(batched, chunk, spec), what + ": loss", tolerance);
        List<double[]> actual = gradients(batched);
        for (int p = 0; p < expected.size(); p++) {
            for (int i = 0; i < expected.get(p).length; i++) {
                assertClose(expected.get(p)[i], actual.get(p)[i], what + ": ∂L/∂"
                        + batched.parameters().get(p).name() + "[" + i + "]", tolerance);
            }
        }
        double[][] afterBackward = new double[STREAMS][batched.stateSize()];
        batched.saveStates(afterBackward);
        batched.restoreStates(before);
        double[][][] outputs = forwardBatch(batched, chunk, spec);
        for (int b = 0; b < STREAMS; b++) {
            for (int t = 0; t < outputs[b].length; t++) {
                for (int k = 0; k < outputs[b][t].length; k++) {
                    assertClose(expectedOutputs[b][t][k], outputs[b][t][k],
                            what + ": ŷ of stream " + b + " at " + t + ", " + k, tolerance);
                }
            }
        }
        double[][] afterForward = new double[STREAMS][batched.stateSize()];
        batched.saveStates(afterForward);
        for (int b = 0; b < STREAMS; b++) {
            for (int k = 0; k < states[b].length; k++) {
                assertClose(states[b][k], afterBackward[b][k], what + ": state of stream " + b + " [" + k
                        + "] after backward", tolerance);
                assertClose(states[b][k], afterForward[b][k], what + ": state of stream " + b + " [" + k
                        + "] after forward", tolerance);
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

    private static boolean doubles(RandomNetworks.Spec spec) {
        return spec.precision() == Precision.FLOAT64;
    }

    private static double backward(SequenceModel net, Example example, RandomNetworks.Spec spec) {
        return doubles(spec) ? example.backward(net) : FloatExample.rounded(example).backward(net);
    }

    private static double[][] forward(SequenceModel net, Example example, RandomNetworks.Spec spec) {
        int rows = net.outputSteps(example.steps());
        if (doubles(spec)) {
            double[][] ys = new double[rows][spec.output()];
            example.forward(net, ys);
            return ys;
        }
        float[][] ys = new float[rows][spec.output()];
        FloatExample.rounded(example).forward(net, ys);
        return FloatExample.widened(ys);
    }

    private static double backwardBatch(SequenceModel net, List<Example> chunk, RandomNetworks.Spec spec) {
        Example first = chunk.get(0);
        int[][] tokens = first.tokens() == null ? null : chunk.stream().map(Example::tokens).toArray(int[][]::new);
        int[][] labels = first.labels() == null ? null : chunk.stream().map(Example::labels).toArray(int[][]::new);
        if (doubles(spec)) {
            double[][][] xs = chunk.stream().map(Example::xs).toArray(double[][][]::new);
            double[][][] targets = chunk.stream().map(Example::targets).toArray(double[][][]::new);
            if (labels != null) {
                return tokens != null ? ((Classifier) net).backward(tokens, labels) : ((Classifier) net).backward(xs, labels);
            }
            return tokens != null ? net.backward(tokens, targets) : net.backward(xs, targets);
        }
        List<FloatExample> rounded = chunk.stream().map(FloatExample::rounded).toList();
        float[][][] xs = rounded.stream().map(FloatExample::xs).toArray(float[][][]::new);
        float[][][] targets = rounded.stream().map(FloatExample::targets).toArray(float[][][]::new);
        if (labels != null) {
            return tokens != null ? ((Classifier) net).backward(tokens, labels) : ((Classifier) net).backward(xs, labels);
        }
        return tokens != null ? net.backward(tokens, targets) : net.backward(xs, targets);
    }

    private static double[][][] forwardBatch(SequenceModel net, List<Example> chunk, RandomNetworks.Spec spec) {
        Example first = chunk.get(0);
        int[][] tokens = first.tokens() == null ? null : chunk.stream().map(Example::tokens).toArray(int[][]::new);
        double[][][] widened = new double[chunk.size()][][];
        if (doubles(spec)) {
            double[][][] ys = new double[chunk.size()][][];
            for (int b = 0; b < ys.length; b++) {
                ys[b] = new double[net.outputSteps(chunk.get(b).steps())][spec.output()];
            }
            if (tokens != null) {
                net.forward(tokens, ys);
            } else {
                net.forward(chunk.stream().map(Example::xs).toArray(double[][][]::new), ys);
            }
            return ys;
        }
        float[][][] ys = new float[chunk.size()][][];
        for (int b = 0; b < ys.length; b++) {
            ys[b] = new float[net.outputSteps(chunk.get(b).steps())][spec.output()];
        }
        if (tokens != null) {
            net.forward(tokens, ys);
        } else {
            net.forward(chunk.stream().map(example -> FloatExample.rounded(example).xs()).toArray(float[][][]::new), ys);
        }
        for (int b = 0; b < ys.length; b++) {
            widened[b] = FloatExample.widened(ys[b]);
        }
        return widened;
    }

    private static void assertClose(double expected, double actual, String what, double tolerance) {
        double error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
        assertTrue(error <= tolerance, what + ": expected " + expected + ", batched " + actual);
    }
}
