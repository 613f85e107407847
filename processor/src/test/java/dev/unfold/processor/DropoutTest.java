package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Dropout;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;

/**
 * Dropout's paths besides the gradient itself (see {@link DropoutGradientCheckTest}): forward and
 * loss never drop; two backward calls draw different masks unless drawMasks holds them; a batch
 * draws its sequences' own masks, so it equals them one by one; stateful batches and stateful
 * sequences (truncated BPTT) compute the gradient of the loss they return; and only a network
 * that declares dropout implements {@link Dropout}.
 */
class DropoutTest {
    private static final String PACKAGE = "generated.dropping";

    /** A network with every kind of dropout: an LSTM and above it a GRU with PyTorch's two biases. */
    private static JavaFileObject network(String name, String dropout, String capability) {
        return TestCompiler.source(PACKAGE + "." + name,
                "package " + PACKAGE + ";",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY)",
                "public interface " + name + " extends Classifier" + capability + " {",
                "    @Recurrent(hidden = 5, cell = Cell.LSTM" + dropout + ")",
                "    Layer lower();",
                "    @Recurrent(hidden = 4, cell = Cell.GRU, biases = Biases.TWO" + dropout + ")",
                "    Layer upper();",
                "}");
    }

    private static final String BOTH = ", dropout = 0.3, recurrentDropout = 0.3";

    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            network("Dropping", BOTH, ""),
            network("Plain", "", ""),
            network("DroppingStream", BOTH, ", Streaming"),
            TestCompiler.source(PACKAGE + ".Projecting",
                    "package " + PACKAGE + ";",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 4, output = 2, loss = Loss.MSE, mapping = Mapping.MANY_TO_ONE)",
                    "public interface Projecting extends SequenceModel {",
                    "    @Recurrent(hidden = 5, cell = Cell.LSTM, projection = 3" + BOTH + ")",
                    "    @Bidirectional",
                    "    Layer lower();",
                    "    @Recurrent(hidden = 3, cell = Cell.SIMPLE" + BOTH + ")",
                    "    Layer upper();",
                    "}")));

    private static <T extends SequenceModel> T net(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), PACKAGE + ".Unfolded" + name, 3);
    }

    private static double[][][] sequences(Random random, int... lengths) {
        double[][][] xs = new double[lengths.length][][];
        for (int b = 0; b < lengths.length; b++) {
            xs[b] = new double[lengths[b]][4];
            for (double[] x : xs[b]) {
                for (int j = 0; j < x.length; j++) {
                    x[j] = random.nextGaussian();
                }
            }
        }
        return xs;
    }

    private static int[][] labels(Random random, int classes, int... lengths) {
        int[][] labels = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            labels[b] = random.ints(lengths[b], 0, classes).toArray();
        }
        return labels;
    }

    private static List<double[]> gradients(SequenceModel net) {
        List<double[]> gradients = new ArrayList<>();
        for (Parameter parameter : net.parameters()) {
            gradients.add(parameter.gradient().data.clone());
        }
        return gradients;
    }

    /** Forward, loss and step use every value: the same bits as the same network without dropout, before and after a backward. */
    @EachCompiler
    void forwardAndLossNeverDrop(TestCompiler compiler) {
        dev.unfold.runtime.Classifier dropping = net(compiler, "Dropping");
        dev.unfold.runtime.Classifier plain = net(compiler, "Plain");
        Random random = new Random(1);
        double[][][] xs = sequences(random, 6, 3, 5);
        int[][] labels = labels(random, 3, 6, 3, 5);
        for (int round = 0; round < 2; round++) {
            assertEquals(plain.loss(xs[0], labels[0]), dropping.loss(xs[0], labels[0]));
            double[][] expected = new double[6][3];
            double[][] actual = new double[6][3];
            plain.forward(xs[0], expected);
            dropping.forward(xs[0], actual);
            for (int t = 0; t < 6; t++) {
                assertArrayEquals(expected[t], actual[t], "step " + t);
            }
            double[][][] batchExpected = {new double[6][3], new double[3][3], new double[5][3]};
            double[][][] batchActual = {new double[6][3], new double[3][3], new double[5][3]};
            plain.forward(xs, batchExpected);
            dropping.forward(xs, batchActual);
            for (int b = 0; b < 3; b++) {
                for (int t = 0; t < batchExpected[b].length; t++) {
                    assertArrayEquals(batchExpected[b][t], batchActual[b][t]);
                }
            }
            // backward drops, and leaves nothing behind that would make the passes above drop
            assertNotEquals(plain.backward(xs[0], labels[0]), dropping.backward(xs[0], labels[0]));
            assertNotEquals(plain.backward(xs, labels), dropping.backward(xs, labels));
        }
    }

    /** Each backward takes the next masks; drawMasks before each holds them, to the bit. */
    @EachCompiler
    void callsDrawNewMasksUntilHeld(TestCompiler compiler) {
        dev.unfold.runtime.Classifier net = net(compiler, "Dropping");
        Random random = new Random(2);
        double[][] xs = sequences(random, 7)[0];
        int[] labels = labels(random, 3, 7)[0];
        double first = net.backward(xs, labels);
        double second = net.backward(xs, labels);
        assertNotEquals(first, second, "two calls drew the same masks");
        Dropout masks = (Dropout) net;
        masks.drawMasks(5, 9);
        net.parameters().zeroGradients();
        double held = net.backward(xs, labels);
        List<double[]> gradient = gradients(net);
        masks.drawMasks(5, 9);
        net.parameters().zeroGradients();
        assertEquals(held, net.backward(xs, labels));
        Iterator<double[]> again = gradients(net).iterator();
        for (double[] g : gradient) {
            assertArrayEquals(g, again.next());
        }
        masks.drawMasks(5, 10);
        assertNotEquals(held, net.backward(xs, labels), "another draw, other masks");
    }

    /**
     * Lane b of a batch draws the masks of the call's sequence b, so a batch of sequences of
     * different lengths gives the loss and gradient of its sequences one by one, up to rounding.
     */
    @EachCompiler
    void aBatchEqualsItsSequencesOneByOne(TestCompiler compiler) {
        for (String name : List.of("Dropping", "Projecting")) {
            SequenceModel batched = net(compiler, name);
            SequenceModel single = net(compiler, name);
            Random random = new Random(3);
            int[] lengths = {5, 2, 7, 1, 4};
            double[][][] xs = sequences(random, lengths);
            boolean manyToOne = name.equals("Projecting");
            double[][][] targets = new double[lengths.length][][];
            int[][] labels = labels(random, 3, lengths);
            for (int b = 0; b < lengths.length; b++) {
                targets[b] = new double[manyToOne ? 1 : lengths[b]][2];
                for (double[] y : targets[b]) {
                    y[0] = random.nextGaussian();
                    y[1] = random.nextGaussian();
                }
            }
            for (boolean tokens : new boolean[] {false, true}) {
                int[][] tokenIds = labels(random, 4, lengths);
                batched.parameters().zeroGradients();
                single.parameters().zeroGradients();
                ((Dropout) batched).drawMasks(17, 4);
                ((Dropout) single).drawMasks(17, 4);
                double batchLoss;
                double sum = 0;
                if (manyToOne) {
                    batchLoss = tokens ? batched.backward(tokenIds, targets) : batched.backward(xs, targets);
                    for (int b = 0; b < lengths.length; b++) {
                        sum += tokens ? single.backward(tokenIds[b], targets[b]) : single.backward(xs[b], targets[b]);
                    }
                } else {
                    dev.unfold.runtime.Classifier c = (dev.unfold.runtime.Classifier) batched;
                    dev.unfold.runtime.Classifier s = (dev.unfold.runtime.Classifier) single;
                    batchLoss = tokens ? c.backward(tokenIds, labels) : c.backward(xs, labels);
                    for (int b = 0; b < lengths.length; b++) {
                        sum += tokens ? s.backward(tokenIds[b], labels[b]) : s.backward(xs[b], labels[b]);
                    }
                }
                String what = name + (tokens ? " tokens" : " dense");
                assertEquals(sum, batchLoss, 1e-12 * Math.abs(sum), what);
                Iterator<Parameter> others = single.parameters().iterator();
                for (Parameter parameter : batched.parameters()) {
                    Parameter other = others.next();
                    double largest = 0;
                    for (int i = 0; i < parameter.size(); i++) {
                        largest = Math.max(largest, Math.abs(other.gradient(i)));
                    }
                    for (int i = 0; i < parameter.size(); i++) {
                        assertEquals(other.gradient(i), parameter.gradient(i), 1e-12 * largest,
                                what + ": " + parameter.name() + "[" + i + "]");
                    }
                }
                // and the masks did drop: the same calls without them give another loss
                assertNotEquals(sum, manyToOne ? lossOf(single, xs, tokenIds, targets, tokens)
                        : lossOf((dev.unfold.runtime.Classifier) single, xs, tokenIds, labels, tokens), what);
            }
        }
    }

    private static double lossOf(SequenceModel net, double[][][] xs, int[][] tokens, double[][][] targets, boolean useTokens) {
        double sum = 0;
        for (int b = 0; b < xs.length; b++) {
            sum += useTokens ? net.loss(tokens[b], targets[b]) : net.loss(xs[b], targets[b]);
        }
        return sum;
    }

    private static double lossOf(dev.unfold.runtime.Classifier net, double[][][] xs, int[][] tokens, int[][] labels,
                                 boolean useTokens) {
        double sum = 0;
        for (int b = 0; b < xs.length; b++) {
            sum += useTokens ? net.loss(tokens[b], labels[b]) : net.loss(xs[b], labels[b]);
        }
        return sum;
    }

    /**
     * Stateful batches (streams carried from a first chunk) and a stateful sequence: backward's
     * gradient is the gradient of the loss it returns, the carried states and masks held.
     */
    @EachCompiler
    void statefulPassesComputeTheGradientOfTheirLoss(TestCompiler compiler) {
        Streaming net = net(compiler, "DroppingStream");
        dev.unfold.runtime.Classifier classifier = (dev.unfold.runtime.Classifier) net;
        Dropout masks = (Dropout) net;
        Random random = new Random(4);
        double[][][] first = sequences(random, 4, 4, 4);
        double[][][] second = sequences(random, 3, 3, 3);
        int[][] firstLabels = labels(random, 3, 4, 4, 4);
        int[][] secondLabels = labels(random, 3, 3, 3, 3);
        net.setStateful(true);
        classifier.backward(first, firstLabels);
        double[][] carried = new double[3][net.stateSize()];
        net.saveStates(carried);
        assertTrue(carried[1][0] != 0, "the first chunk carried its states on");
        checkGradient(net, () -> {
            net.restoreStates(carried);
            masks.drawMasks(23, 2);
            return classifier.backward(second, secondLabels);
        });
        // one stream, as truncated BPTT runs it
        net.resetState();
        classifier.backward(first[0], firstLabels[0]);
        double[] state = new double[net.stateSize()];
        net.saveState(state, 0);
        checkGradient(net, () -> {
            net.restoreState(state, 0);
            masks.drawMasks(23, 3);
            return classifier.backward(second[0], secondLabels[0]);
        });
        net.setStateful(false);
    }

    /** Central differences of {@code loss} agree with the gradient its first call adds. */
    private static void checkGradient(SequenceModel net, java.util.function.DoubleSupplier loss) {
        net.parameters().zeroGradients();
        double at = loss.getAsDouble();
        List<double[]> gradients = gradients(net);
        int p = 0;
        for (Parameter parameter : net.parameters()) {
            double[] value = parameter.value().data;
            double[] gradient = gradients.get(p++);
            for (int i = 0; i < value.length; i++) {
                double original = value[i];
                value[i] = original + 1e-5;
                double plus = loss.getAsDouble();
                value[i] = original - 1e-5;
                double minus = loss.getAsDouble();
                value[i] = original;
                double numeric = (plus - minus) / 2e-5;
                double error = Math.abs(gradient[i] - numeric) / Math.max(1e-3, Math.max(Math.abs(gradient[i]),
                        Math.abs(numeric)));
                assertTrue(error < 1e-6, parameter.name() + "[" + i + "]: analytic " + gradient[i] + ", numeric "
                        + numeric + " (loss " + at + ")");
            }
        }
    }

    /** Only a network that declares dropout implements Dropout: no method it could only refuse. */
    @EachCompiler
    void onlyDroppingNetworksImplementDropout(TestCompiler compiler) {
        assertTrue(net(compiler, "Dropping") instanceof Dropout);
        assertFalse(net(compiler, "Plain") instanceof Dropout);
    }
}
