package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Cell;
import dev.unfold.Precision;
import dev.unfold.runtime.Dropout;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
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
 * With dropout declared, backward's gradient is the gradient of the loss backward returns with its
 * masks held fixed ({@code drawMasks} before each call): central differences of that loss agree
 * with it for every parameter entry, for every cell (simple, LSTM, GRU, a projecting LSTM) × one
 * and two directions × one and two layers × input dropout, recurrent dropout and both, dense and
 * token input. The float32 network with the same masks agrees with the float64 one.
 */
class DropoutGradientCheckTest {
    private static final double EPSILON = 1e-5;
    private static final double TOLERANCE = 1e-6;
    private static final double FLOOR = 1e-3;
    private static final long SEED = 11;
    private static final long DRAW = 5;

    /** One network: its bottom cell, directions, depth and which dropouts its layers declare. */
    record Spec(Cell cell, boolean projects, boolean bidirectional, int depth, double input, double recurrent,
                Precision precision) {

        String name() {
            return "Drop" + (projects ? "P" : cell.name().charAt(0)) + (bidirectional ? "B" : "U") + depth
                    + (input > 0 ? "I" : "") + (recurrent > 0 ? "R" : "") + (precision == Precision.FLOAT32 ? "F32" : "");
        }

        Spec in(Precision other) {
            return new Spec(cell, projects, bidirectional, depth, input, recurrent, other);
        }

        JavaFileObject source() {
            List<String> lines = new ArrayList<>(List.of(
                    "package generated.dropout;",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = 3, output = 2, loss = Loss.MSE"
                            + (precision == Precision.FLOAT32 ? ", precision = Precision.FLOAT32" : "") + ")",
                    "public interface " + name() + " extends SequenceModel {"));
            for (int k = 0; k < depth; k++) {
                // the layer above alternates the cell, so that each cell reads a layer below too
                Cell layerCell = k == 0 ? cell : Cell.values()[(cell.ordinal() + k) % Cell.values().length];
                lines.add("    @Recurrent(hidden = " + (3 + k) + ", cell = Cell." + layerCell
                        + (projects && layerCell == Cell.LSTM ? ", projection = 2" : "")
                        + (input > 0 ? ", dropout = " + input : "")
                        + (recurrent > 0 ? ", recurrentDropout = " + recurrent : "") + ")");
                if (bidirectional) {
                    lines.add("    @Bidirectional");
                }
                lines.add("    Layer layer" + k + "();");
            }
            lines.add("}");
            return TestCompiler.source("generated.dropout." + name(), lines.toArray(String[]::new));
        }

        String className() {
            return "generated.dropout.Unfolded" + name();
        }
    }

    static List<Spec> specs() {
        List<Spec> specs = new ArrayList<>();
        for (int kind = 0; kind < 4; kind++) {
            Cell cell = kind == 3 ? Cell.LSTM : Cell.values()[kind];
            for (boolean bidirectional : new boolean[] {false, true}) {
                for (int depth = 1; depth <= 2; depth++) {
                    specs.add(new Spec(cell, kind == 3, bidirectional, depth, 0.3, 0.25, Precision.FLOAT64));
                }
            }
            specs.add(new Spec(cell, kind == 3, false, 2, 0.4, 0, Precision.FLOAT64));
            specs.add(new Spec(cell, kind == 3, true, 2, 0, 0.4, Precision.FLOAT64));
        }
        return specs;
    }

    private static final CompiledSources NETWORKS = new CompiledSources(specs().stream()
            .flatMap(spec -> Stream.of(spec.source(), spec.in(Precision.FLOAT32).source())).toList());

    @TestFactory
    Stream<DynamicContainer> backwardIsTheGradientOfItsLossWithTheMasksHeld() {
        return Arrays.stream(TestCompiler.values()).map(compiler -> DynamicContainer.dynamicContainer(
                compiler.toString(), specs().stream().flatMap(spec -> Stream.of(false, true).map(tokens ->
                        DynamicTest.dynamicTest(spec.name() + (tokens ? " tokens" : " dense"),
                                () -> check(NETWORKS.loader(compiler), spec, tokens))))));
    }

    @TestFactory
    Stream<DynamicContainer> float32AgreesWithFloat64UnderTheSameMasks() {
        return Arrays.stream(TestCompiler.values()).map(compiler -> DynamicContainer.dynamicContainer(
                compiler.toString(), specs().stream().map(spec ->
                        DynamicTest.dynamicTest(spec.name(), () -> agree(NETWORKS.loader(compiler), spec)))));
    }

    static Example example(Spec spec, boolean tokens, Random random) {
        int steps = 4;
        double[][] targets = new double[steps][2];
        for (double[] y : targets) {
            y[0] = random.nextGaussian();
            y[1] = random.nextGaussian();
        }
        if (tokens) {
            return new Example(null, random.ints(steps, 0, 3).toArray(), targets, null);
        }
        double[][] xs = new double[steps][3];
        for (double[] x : xs) {
            for (int j = 0; j < 3; j++) {
                x[j] = random.nextGaussian();
            }
        }
        return new Example(xs, null, targets, null);
    }

    /** backward's loss with the masks of (SEED, DRAW). */
    private static double droppedLoss(SequenceModel net, Example example) {
        ((Dropout) net).drawMasks(SEED, DRAW);
        return example.backward(net);
    }

    private static void check(ClassLoader loader, Spec spec, boolean tokens) {
        SequenceModel net = TestCompiler.instantiate(loader, spec.className(), 7);
        Example example = example(spec, tokens, new Random(spec.name().hashCode() + (tokens ? 1 : 0)));
        net.parameters().zeroGradients();
        double loss = droppedLoss(net, example);
        assertNotEquals(example.loss(net), loss, "backward drops, loss does not");
        List<double[]> gradients = new ArrayList<>();
        for (Parameter parameter : net.parameters()) {
            gradients.add(parameter.gradient().data.clone());
        }
        int p = 0;
        for (Parameter parameter : net.parameters()) {
            double[] value = parameter.value().data;
            double[] gradient = gradients.get(p++);
            for (int i = 0; i < value.length; i++) {
                double original = value[i];
                value[i] = original + EPSILON;
                double plus = droppedLoss(net, example);
                value[i] = original - EPSILON;
                double minus = droppedLoss(net, example);
                value[i] = original;
                double numeric = (plus - minus) / (2 * EPSILON);
                double error = Math.abs(gradient[i] - numeric)
                        / Math.max(FLOOR, Math.max(Math.abs(gradient[i]), Math.abs(numeric)));
                assertTrue(error < TOLERANCE, spec.name() + ", loss " + loss + ": " + parameter.name() + "[" + i
                        + "]: analytic " + gradient[i] + ", numeric " + numeric + ", relative error " + error);
            }
        }
    }

    private static void agree(ClassLoader loader, Spec spec) {
        SequenceModel doubles = TestCompiler.instantiate(loader, spec.className(), 7);
        SequenceModel floats = TestCompiler.instantiate(loader, spec.in(Precision.FLOAT32).className(), 7);
        PrecisionAgreement.sameWeightsUpToRounding(doubles, floats);
        Example example = example(spec, false, new Random(spec.name().hashCode()));
        float[][] xs = FloatExample.rounded(example.xs());
        float[][] targets = FloatExample.rounded(example.targets());
        PrecisionAgreement.zeroGradients(doubles, floats);
        double expected = droppedLoss(doubles, example);
        ((Dropout) floats).drawMasks(SEED, DRAW);
        double actual = floats.backward(xs, targets);
        assertNotEquals(doubles.loss(example.xs(), example.targets()), expected, "backward drops");
        PrecisionAgreement.lossesAgree(spec.name(), expected, actual);
        PrecisionAgreement.gradientsAgree(spec.name(), doubles, floats);
        assertEquals(Precision.FLOAT32, floats.precision());
    }
}
