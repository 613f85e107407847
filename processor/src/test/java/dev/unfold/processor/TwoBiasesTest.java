package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.unfold.runtime.Contextual;
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
 * A layer declared with {@code biases = Biases.TWO} computes what the same layer with one bias
 * b = b_ih + b_hh computes (equations.md (18.1), (18.2)), on every path, and its two biases receive
 * ∂L/∂b (the GRU's n rows of b_hh: ∂L/∂b_hn; equations.md (18.3)): the two-bias network's weights,
 * copied into the one-bias network with b_ih + b_hh summed, and then forward passes, losses
 * and every gradient agree to the bit, for single sequences (dense and token input), batches,
 * stateful batches and streaming steps, with a context, through every cell, both directions and a
 * projecting LSTM, output feedback, in both precisions (where a network fed its output sums a batch one
 * sequence after another, to rounding). Central differences check the two biases' gradients too, and a
 * training run under the trainer resumes from its checkpoint bit for bit.
 */
class TwoBiasesTest {
    private static final String PACKAGE = "generated.biases";

    /** One network, declared with one bias and with two: its name, @Network values, capabilities and layers. */
    private record Declaration(String name, String network, String capabilities, List<String> layers) {

        String typeName(boolean two, Precision precision) {
            return name + (two ? "Two" : "One") + (precision == Precision.FLOAT32 ? "F32" : "");
        }

        JavaFileObject source(boolean two, Precision precision) {
            List<String> lines = new ArrayList<>(List.of("package " + PACKAGE + ";", "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(" + network + (precision == Precision.FLOAT32 ? ", precision = Precision.FLOAT32" : "")
                            + ")",
                    "public interface " + typeName(two, precision) + " extends " + capabilities + " {"));
            for (int k = 0; k < layers.size(); k++) {
                String layer = layers.get(k);
                boolean bidirectional = layer.endsWith(" @Bidirectional");
                String values = layer.replace(" @Bidirectional", "");
                lines.add("    @Recurrent(" + values + (two ? ", biases = Biases.TWO" : "") + ")"
                        + (bidirectional ? " @Bidirectional" : ""));
                lines.add("    Layer layer" + k + "();");
            }
            lines.add("}");
            return TestCompiler.source(PACKAGE + "." + typeName(two, precision), lines.toArray(String[]::new));
        }

        String className(boolean two, Precision precision) {
            return PACKAGE + ".Unfolded" + typeName(two, precision);
        }
    }

    private static final List<Declaration> DECLARATIONS = List.of(
            new Declaration("Stack", "input = 3, output = 2, loss = Loss.CROSS_ENTROPY", "Classifier", List.of(
                    "hidden = 3, activation = Activation.RELU @Bidirectional",
                    "hidden = 2, cell = Cell.GRU @Bidirectional",
                    "hidden = 3, cell = Cell.LSTM, projection = 2")),
            new Declaration("Streamed", "input = 4, output = 3, loss = Loss.MSE", "Streaming", List.of(
                    "hidden = 3, cell = Cell.GRU",
                    "hidden = 2, cell = Cell.LSTM",
                    "hidden = 2")),
            new Declaration("Context", "input = 3, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE,"
                    + " context = 2", "Contextual", List.of(
                    "hidden = 2, cell = Cell.LSTM @Bidirectional",
                    "hidden = 2, cell = Cell.GRU")),
            // one small layer, whose steps may take a path of their own
            new Declaration("SmallGru", "input = 2, output = 2, loss = Loss.MSE", "Streaming", List.of(
                    "hidden = 4, cell = Cell.GRU")),
            new Declaration("SmallLstm", "input = 3, output = 4, loss = Loss.CROSS_ENTROPY", "Streaming, Classifier",
                    List.of("hidden = 5, cell = Cell.LSTM")),
            // the output fed back: teacher-forced backward, forward and step running free
            new Declaration("Fed", "input = 2, output = 2, loss = Loss.MSE", "Autoregressive", List.of(
                    "hidden = 3, recurrence = Recurrence.OUTPUT",
                    "hidden = 2, cell = Cell.GRU")),
            new Declaration("FedGru", "input = 2, output = 3, loss = Loss.MSE", "Autoregressive",
                    List.of("hidden = 3, cell = Cell.GRU, recurrence = Recurrence.HIDDEN_AND_OUTPUT")));

    @TestFactory
    Stream<DynamicContainer> twoBiasesComputeWhatTheirSumComputesOnEveryPath() {
        List<JavaFileObject> sources = new ArrayList<>();
        for (Declaration declaration : DECLARATIONS) {
            for (Precision precision : Precision.values()) {
                sources.add(declaration.source(false, precision));
                sources.add(declaration.source(true, precision));
            }
        }
        CompiledSources networks = new CompiledSources(sources);
        return Arrays.stream(TestCompiler.values()).map(compiler -> DynamicContainer.dynamicContainer(
                compiler.toString(), DECLARATIONS.stream().flatMap(declaration -> Stream.of(Precision.values())
                        .flatMap(precision -> Stream.of(
                                DynamicTest.dynamicTest(declaration.name() + " " + precision,
                                        () -> equivalent(networks.loader(compiler), declaration, precision)),
                                DynamicTest.dynamicTest(declaration.name() + " " + precision + " central differences",
                                        () -> centralDifferences(networks.loader(compiler), declaration,
                                                precision)))))));
    }

    /**
     * Under the trainer, in minibatches: a run of 4 epochs stopped after 2 and resumed from its
     * checkpoint (weights, b_ih and b_hh among them, and Adam's state of each) ends with the weights
     * of the uninterrupted run, bit for bit, in both precisions; both biases of every layer moved.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void aResumedTrainingRunIsTheUninterruptedOne(Precision precision, @TempDir Path directory) throws IOException {
        Declaration declaration = new Declaration("Sorter", "input = 3, output = 2, loss = Loss.CROSS_ENTROPY,"
                + " mapping = Mapping.MANY_TO_ONE", "Classifier", List.of(
                "hidden = 4, cell = Cell.LSTM @Bidirectional", "hidden = 3, cell = Cell.GRU"));
        ClassLoader loader = TestCompiler.loader(TestCompiler.JAVAC.compileCleanly(
                List.of(declaration.source(true, precision))));
        String className = declaration.className(true, precision);
        Classifier straight = TestCompiler.instantiate(loader, className, 3);
        double[][] initial = weights(straight);
        trainer(straight, 4).fit(sortingData(straight));
        Path checkpoint = directory.resolve("run.safetensors");
        Classifier interrupted = TestCompiler.instantiate(loader, className, 3);
        trainer(interrupted, 2).checkpoint(checkpoint).fit(sortingData(interrupted));
        Classifier resumed = TestCompiler.instantiate(loader, className, 99);
        trainer(resumed, 4).checkpoint(checkpoint).fit(sortingData(resumed));
        assertTrue(Arrays.deepEquals(weights(straight), weights(resumed)), "the resumed run's weights");
        List<String> names = straight.parameters().names();
        double[][] trained = weights(straight);
        int biases = 0;
        for (int p = 0; p < names.size(); p++) {
            if (names.get(p).contains(".bias_")) {
                assertTrue(!Arrays.equals(initial[p], trained[p]), names.get(p) + " was trained");
                biases++;
            }
        }
        assertEquals(6, biases, "bias_ih and bias_hh of each direction of both layers");
    }

    private static Trainer trainer(SequenceModel net, int epochs) {
        return new Trainer(net, new Adam(net.parameters(), 0.01)).epochs(epochs).seed(7).clipNorm(0.5);
    }

    private static double[][] weights(SequenceModel net) {
        return net.parameters().names().stream().map(name -> {
            Parameter parameter = net.parameters().get(name);
            double[] values = new double[parameter.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = parameter.value(i);
            }
            return values;
        }).toArray(double[][]::new);
    }

    /** 23 sequences of 2 to 7 steps in minibatches of 5; the label says whether the first value exceeds the last. */
    private static Minibatches sortingData(Classifier net) {
        Random random = new Random(1);
        double[][][] xs = new double[23][][];
        int[][] labels = new int[23][];
        for (int s = 0; s < xs.length; s++) {
            xs[s] = new double[2 + random.nextInt(6)][3];
            for (double[] x : xs[s]) {
                for (int j = 0; j < 3; j++) {
                    x[j] = (float) random.nextGaussian();
                }
            }
            labels[s] = new int[] {xs[s][0][0] > xs[s][xs[s].length - 1][0] ? 1 : 0};
        }
        if (net.precision() == Precision.FLOAT32) {
            float[][][] floats = Arrays.stream(xs).map(FloatExample::rounded).toArray(float[][][]::new);
            return Minibatches.of(net, floats, labels, 5);
        }
        return Minibatches.of(net, xs, labels, 5);
    }

    /**
     * The one-bias network holding the two-bias network's function: its weights, b = b_ih + b_hh
     * summed in double and rounded once (as a float32 network's float sum is), a GRU's n rows of b
     * b_ih's alone and its b_hn b_hh's n rows.
     */
    private static SequenceModel[] pair(ClassLoader loader, Declaration declaration, Precision precision) {
        SequenceModel two = TestCompiler.instantiate(loader, declaration.className(true, precision), 11);
        SequenceModel one = TestCompiler.instantiate(loader, declaration.className(false, precision), 0);
        for (Parameter parameter : one.parameters()) {
            String name = parameter.name();
            if (isLayerBias(name)) {
                Parameter input = two.parameters().get(name.replace(".bias", ".bias_ih"));
                Parameter hidden = two.parameters().get(name.replace(".bias", ".bias_hh"));
                boolean gru = one.parameters().contains(name.replace(".bias", ".bias_hn"));
                int merged = gru ? parameter.size() * 2 / 3 : parameter.size();
                for (int i = 0; i < parameter.size(); i++) {
                    parameter.setValue(i, i < merged ? input.value(i) + hidden.value(i) : input.value(i));
                }
            } else if (name.contains(".bias_hn")) {
                Parameter hidden = two.parameters().get(name.replace(".bias_hn", ".bias_hh"));
                for (int i = 0; i < parameter.size(); i++) {
                    parameter.setValue(i, hidden.value(2 * parameter.size() + i));
                }
            } else {
                Parameter same = two.parameters().get(name);
                for (int i = 0; i < parameter.size(); i++) {
                    parameter.setValue(i, same.value(i));
                }
            }
        }
        return new SequenceModel[] {one, two};
    }

    private static void equivalent(ClassLoader loader, Declaration declaration, Precision precision) {
        SequenceModel[] nets = pair(loader, declaration, precision);
        SequenceModel one = nets[0];
        SequenceModel two = nets[1];
        assertEquals(one.parameterCount() + countOfSecondBiases(one), two.parameterCount(), "b_hh's G·H more a layer");
        Random random = new Random(declaration.name().hashCode());
        double[] context = gaussians(random, 2);
        double[][] contexts = {gaussians(random, 2), gaussians(random, 2), gaussians(random, 2)};
        Calls calls = new Calls(precision, one, random);
        for (SequenceModel net : nets) {
            if (net instanceof Contextual contextual) {
                contextual.setContext(context);
            }
        }
        // single sequences, dense and tokens
        assertSame("forward", calls.forward(one), calls.forward(two));
        assertSame("forward(tokens)", calls.forwardTokens(one), calls.forwardTokens(two));
        sameGradients("backward", one, two, net -> calls.backward(net));
        sameGradients("backward(tokens)", one, two, net -> calls.backwardTokens(net));
        // batches
        for (SequenceModel net : nets) {
            if (net instanceof Contextual contextual) {
                contextual.setContexts(contexts);
            }
        }
        assertSame("batched forward", calls.forwardBatch(one), calls.forwardBatch(two));
        // a network fed its output runs a batch's sequences one after another: the one-bias network adds each
        // step's δ to ∂L/∂b, the two-bias network each sequence's sum of them, which rounds differently
        double rounding = !declaration.capabilities().contains("Autoregressive") ? 0
                : precision == Precision.FLOAT32 ? 1e-6 : 1e-14;
        sameGradients("batched backward", one, two, net -> calls.backwardBatch(net), rounding);
        sameGradients("batched backward(tokens)", one, two, net -> calls.backwardTokenBatch(net), rounding);
        if (one instanceof Streaming streamingOne && two instanceof Streaming streamingTwo) {
            streamingOne.setStateful(true);
            streamingTwo.setStateful(true);
            boolean fedBack = declaration.capabilities().contains("Autoregressive"); // streams one sequence at a time
            for (int chunk = 0; chunk < 3; chunk++) {
                sameGradients((fedBack ? "stateful chunk " : "stateful batch ") + chunk, one, two,
                        net -> fedBack ? calls.backward(net) : calls.backwardBatch(net));
            }
            streamingOne.setStateful(false);
            streamingTwo.setStateful(false);
            streamingOne.resetState();
            streamingTwo.resetState();
            for (int t = 0; t < 4; t++) {
                assertSame("step " + t, calls.step(streamingOne, t), calls.step(streamingTwo, t));
            }
        }
    }

    /** b_hh's G·H values per direction of every layer, less a GRU's b_hn, which b_hh's n rows then are. */
    private static int countOfSecondBiases(SequenceModel one) {
        int count = 0;
        for (Parameter parameter : one.parameters()) {
            String name = parameter.name();
            if (isLayerBias(name)) {
                count += parameter.size();
            } else if (name.contains(".bias_hn")) {
                count -= parameter.size();
            }
        }
        return count;
    }

    /** A layer's one bias b (not the output's c, out.bias). */
    private static boolean isLayerBias(String name) {
        return !name.startsWith("out.") && (name.endsWith(".bias") || name.endsWith(".bias_reverse"));
    }

    /** Runs {@code call} on both networks from zero gradients; losses and every gradient the same bits. */
    private static void sameGradients(String what, SequenceModel one, SequenceModel two,
                                      java.util.function.ToDoubleFunction<SequenceModel> call) {
        sameGradients(what, one, two, call, 0);
    }

    /**
     * Runs {@code call} on both networks from zero gradients: the same loss, and every gradient the
     * same bits ({@code rounding} 0) or within {@code rounding} of its tensor's largest magnitude.
     */
    private static void sameGradients(String what, SequenceModel one, SequenceModel two,
                                      java.util.function.ToDoubleFunction<SequenceModel> call, double rounding) {
        one.parameters().zeroGradients();
        two.parameters().zeroGradients();
        assertEquals(call.applyAsDouble(one), call.applyAsDouble(two), what + ": loss");
        int compared = 0;
        for (Parameter parameter : one.parameters()) {
            String name = parameter.name();
            double[] gradient = PyTorchParityTest.gradient(one, name);
            if (isLayerBias(name)) {
                String input = name.replace(".bias", ".bias_ih");
                String hidden = name.replace(".bias", ".bias_hh");
                assertGradient(rounding, what + ": ∂L/∂" + input, gradient, PyTorchParityTest.gradient(two, input));
                double[] hiddenGradient = PyTorchParityTest.gradient(two, hidden);
                String hn = name.replace(".bias", ".bias_hn");
                if (one.parameters().contains(hn)) {
                    int size = gradient.length / 3;
                    assertGradient(rounding, what + ": ∂L/∂" + hidden + " (r, z)", Arrays.copyOf(gradient, 2 * size),
                            Arrays.copyOf(hiddenGradient, 2 * size));
                    assertGradient(rounding, what + ": ∂L/∂" + hidden + " (n)", PyTorchParityTest.gradient(one, hn),
                            Arrays.copyOfRange(hiddenGradient, 2 * size, 3 * size));
                } else {
                    assertGradient(rounding, what + ": ∂L/∂" + hidden, gradient, hiddenGradient);
                }
                compared += 2;
            } else if (!name.contains(".bias_hn")) {
                assertGradient(rounding, what + ": ∂L/∂" + name, gradient, PyTorchParityTest.gradient(two, name));
                compared++;
            }
        }
        assertEquals(two.parameters().size(), compared, what + ": every parameter of the two-bias network compared");
        assertTrue(Arrays.stream(PyTorchParityTest.gradient(two, two.parameters().get(2).name())).anyMatch(g -> g != 0),
                what + ": a bias gradient that is not all zero");
    }

    private static void assertGradient(double rounding, String what, double[] expected, double[] actual) {
        if (rounding == 0) {
            assertSame(what, expected, actual);
        } else {
            PyTorchParityTest.assertClose(what, expected, actual, rounding);
        }
    }

    private static void assertSame(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], what + "[" + i + "]");
        }
    }

    private static double[] gaussians(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    /**
     * Central differences of the two-bias network's loss in each of its parameters' first entries and
     * every entry of its biases (float64 only: float32's rounding swamps a difference quotient).
     */
    private static void centralDifferences(ClassLoader loader, Declaration declaration, Precision precision) {
        if (precision == Precision.FLOAT32) {
            return;
        }
        SequenceModel net = TestCompiler.instantiate(loader, declaration.className(true, precision), 5);
        Random random = new Random(declaration.name().hashCode() + 1);
        if (net instanceof Contextual contextual) {
            contextual.setContext(gaussians(random, 2));
        }
        Calls calls = new Calls(precision, net, random);
        net.parameters().zeroGradients();
        calls.backward(net);
        double epsilon = 1e-5;
        int biases = 0;
        for (Parameter parameter : net.parameters()) {
            boolean bias = parameter.name().contains(".bias_");
            biases += bias ? 1 : 0;
            for (int i = 0; i < (bias ? parameter.size() : 1); i++) {
                double analytic = parameter.gradient(i);
                double original = parameter.value(i);
                parameter.setValue(i, original + epsilon);
                double plus = calls.loss(net);
                parameter.setValue(i, original - epsilon);
                double minus = calls.loss(net);
                parameter.setValue(i, original);
                double numeric = (plus - minus) / (2 * epsilon);
                double error = Math.abs(analytic - numeric) / Math.max(1e-3, Math.max(Math.abs(analytic),
                        Math.abs(numeric)));
                assertTrue(error < 1e-6, parameter.name() + "[" + i + "]: analytic " + analytic + ", numeric "
                        + numeric);
            }
        }
        assertTrue(biases >= 2 * declaration.layers().size(), "bias_ih and bias_hh of every layer: " + biases);
    }

    /** The same random inputs and targets for any network of the declaration, in its precision's arrays. */
    private static final class Calls {
        private final boolean float32;
        private final int input;
        private final int output;
        private final double[][] xs;
        private final int[] tokens;
        private final double[][] targets;
        private final double[][][] batch;
        private final int[][] tokenBatch;
        private final double[][][] batchTargets;

        Calls(Precision precision, SequenceModel like, Random random) {
            this.float32 = precision == Precision.FLOAT32;
            this.input = like.inputSize();
            this.output = like.outputSize();
            this.xs = matrix(random, 5, input);
            this.tokens = random.ints(5, 0, input).toArray();
            this.targets = matrix(random, like.outputSteps(5), output);
            int[] lengths = {2, 4, 3};
            this.batch = new double[3][][];
            this.tokenBatch = new int[3][];
            this.batchTargets = new double[3][][];
            for (int b = 0; b < 3; b++) {
                batch[b] = matrix(random, lengths[b], input);
                tokenBatch[b] = random.ints(lengths[b], 0, input).toArray();
                batchTargets[b] = matrix(random, like.outputSteps(lengths[b]), output);
            }
        }

        /** Gaussian values that are floats already, so that a float32 network's inputs are the same values. */
        private static double[][] matrix(Random random, int rows, int columns) {
            double[][] values = new double[rows][columns];
            for (double[] row : values) {
                for (int j = 0; j < columns; j++) {
                    row[j] = (float) random.nextGaussian();
                }
            }
            return values;
        }

        private static float[][] floats(double[][] rows) {
            return FloatExample.rounded(rows);
        }

        private static float[][][] floats(double[][][] sequences) {
            return Arrays.stream(sequences).map(Calls::floats).toArray(float[][][]::new);
        }

        private static double[] flat(float[][] rows) {
            return PyTorchParityTest.flatten(FloatExample.widened(rows));
        }

        double[] forward(SequenceModel net) {
            int rows = net.outputSteps(xs.length);
            if (float32) {
                float[][] ys = new float[rows][output];
                net.forward(floats(xs), ys);
                return flat(ys);
            }
            double[][] ys = new double[rows][output];
            net.forward(xs, ys);
            return PyTorchParityTest.flatten(ys);
        }

        double[] forwardTokens(SequenceModel net) {
            int rows = net.outputSteps(tokens.length);
            if (float32) {
                float[][] ys = new float[rows][output];
                net.forward(tokens, ys);
                return flat(ys);
            }
            double[][] ys = new double[rows][output];
            net.forward(tokens, ys);
            return PyTorchParityTest.flatten(ys);
        }

        double backward(SequenceModel net) {
            return float32 ? net.backward(floats(xs), floats(targets)) : net.backward(xs, targets);
        }

        double loss(SequenceModel net) {
            return float32 ? net.loss(floats(xs), floats(targets)) : net.loss(xs, targets);
        }

        double backwardTokens(SequenceModel net) {
            return float32 ? net.backward(tokens, floats(targets)) : net.backward(tokens, targets);
        }

        double[] forwardBatch(SequenceModel net) {
            List<Double> values = new ArrayList<>();
            if (float32) {
                float[][][] ys = new float[batch.length][][];
                for (int b = 0; b < batch.length; b++) {
                    ys[b] = new float[net.outputSteps(batch[b].length)][output];
                }
                net.forward(floats(batch), ys);
                for (float[][] y : ys) {
                    Arrays.stream(flat(y)).forEach(values::add);
                }
            } else {
                double[][][] ys = new double[batch.length][][];
                for (int b = 0; b < batch.length; b++) {
                    ys[b] = new double[net.outputSteps(batch[b].length)][output];
                }
                net.forward(batch, ys);
                for (double[][] y : ys) {
                    Arrays.stream(PyTorchParityTest.flatten(y)).forEach(values::add);
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        double backwardBatch(SequenceModel net) {
            return float32 ? net.backward(floats(batch), floats(batchTargets)) : net.backward(batch, batchTargets);
        }

        double backwardTokenBatch(SequenceModel net) {
            return float32 ? net.backward(tokenBatch, floats(batchTargets)) : net.backward(tokenBatch, batchTargets);
        }

        double[] step(Streaming net, int t) {
            double[] x = xs[t];
            if (float32) {
                float[] y = new float[output];
                float[] in = new float[input];
                for (int j = 0; j < input; j++) {
                    in[j] = (float) x[j];
                }
                net.step(in, y);
                double[] widened = new double[output];
                for (int k = 0; k < output; k++) {
                    widened[k] = y[k];
                }
                return widened;
            }
            double[] y = new double[output];
            net.step(x, y);
            return y;
        }
    }
}
