package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * A network computes in one precision and takes the arrays of that one only: every method over
 * sequence arrays, called with the other precision's, throws an IllegalArgumentException that names
 * the network's precision, the method and the arrays it takes, and changes nothing (no value, no
 * gradient, not the carried state). Arrays are never converted behind the caller's back.
 */
class PrecisionRefusalTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Doubles",
                    "@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY)",
                    "public interface Doubles extends Encoder, Decoder, Classifier {",
                    "    @Recurrent(hidden = 5, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Floats",
                    "@Network(input = 3, output = 4, loss = Loss.CROSS_ENTROPY, precision = Precision.FLOAT32)",
                    "public interface Floats extends Encoder, Decoder, Classifier {",
                    "    @Recurrent(hidden = 5, cell = Cell.LSTM) Layer lstm();",
                    "}")));

    @EachCompiler
    void aFloat64NetworkRefusesFloatArrays(TestCompiler compiler) {
        var net = (Encoder & Decoder & Classifier) TestCompiler.instantiate(NETWORKS.loader(compiler),
                "test.UnfoldedDoubles", 3);
        assertEquals(Precision.FLOAT64, net.precision());
        net.backward(new double[][] {{1, 0, -1}, {0.5, 0.5, 0}}, new int[] {1, 3});   // gradients to keep
        carryAState(net);
        float[][] xs = {{1, 0, -1}};
        float[][] ys = new float[1][4];
        float[][][] batch = {xs};
        float[][][] outputs = {ys};
        assertEachRefused(net, "UnfoldedDoubles computes in FLOAT64", "with double arrays, not float arrays", Map.ofEntries(
                Map.entry("forward", () -> net.forward(xs, ys)),
                Map.entry("forward ", () -> net.forward(new int[] {1}, ys)),
                Map.entry("backward", () -> net.backward(xs, ys)),
                Map.entry("backward ", () -> net.backward(new int[] {1}, ys)),
                Map.entry("backward  ", () -> net.backward(xs, new int[] {2})),
                Map.entry("loss", () -> net.loss(xs, ys)),
                Map.entry("loss ", () -> net.loss(new int[] {1}, ys)),
                Map.entry("loss  ", () -> net.loss(xs, new int[] {2})),
                Map.entry("forward   ", () -> net.forward(batch, outputs)),
                Map.entry("forward    ", () -> net.forward(new int[][] {{1}}, outputs)),
                Map.entry("backward   ", () -> net.backward(batch, outputs)),
                Map.entry("backward    ", () -> net.backward(new int[][] {{1}}, outputs)),
                Map.entry("backward     ", () -> net.backward(batch, new int[][] {{2}})),
                Map.entry("step", () -> net.step(xs[0], ys[0])),
                Map.entry("step ", () -> net.step(1, ys[0])),
                Map.entry("backwardFromState", () -> net.backwardFromState(xs, new double[net.stateSize()], 0)),
                Map.entry("backwardFromStates", () -> net.backwardFromStates(batch, new double[1][net.stateSize()]))));
    }

    @EachCompiler
    void aFloat32NetworkRefusesDoubleArrays(TestCompiler compiler) {
        var net = (Encoder & Decoder & Classifier) TestCompiler.instantiate(NETWORKS.loader(compiler),
                "test.UnfoldedFloats", 3);
        assertEquals(Precision.FLOAT32, net.precision());
        net.backward(new float[][] {{1, 0, -1}, {0.5f, 0.5f, 0}}, new int[] {1, 3});
        carryAState(net);
        double[][] xs = {{1, 0, -1}};
        double[][] ys = new double[1][4];
        double[][][] batch = {xs};
        double[][][] outputs = {ys};
        assertEachRefused(net, "UnfoldedFloats computes in FLOAT32", "with float arrays, not double arrays", Map.ofEntries(
                Map.entry("forward", () -> net.forward(xs, ys)),
                Map.entry("forward ", () -> net.forward(new int[] {1}, ys)),
                Map.entry("backward", () -> net.backward(xs, ys)),
                Map.entry("backward ", () -> net.backward(new int[] {1}, ys)),
                Map.entry("backward  ", () -> net.backward(xs, new int[] {2})),
                Map.entry("loss", () -> net.loss(xs, ys)),
                Map.entry("loss ", () -> net.loss(new int[] {1}, ys)),
                Map.entry("loss  ", () -> net.loss(xs, new int[] {2})),
                Map.entry("forward   ", () -> net.forward(batch, outputs)),
                Map.entry("forward    ", () -> net.forward(new int[][] {{1}}, outputs)),
                Map.entry("backward   ", () -> net.backward(batch, outputs)),
                Map.entry("backward    ", () -> net.backward(new int[][] {{1}}, outputs)),
                Map.entry("backward     ", () -> net.backward(batch, new int[][] {{2}})),
                Map.entry("step", () -> net.step(xs[0], ys[0])),
                Map.entry("step ", () -> net.step(1, ys[0])),
                Map.entry("backwardFromState", () -> net.backwardFromState(xs, new double[net.stateSize()], 0)),
                Map.entry("backwardFromStates", () -> net.backwardFromStates(batch, new double[1][net.stateSize()]))));
    }

    /** Each call (keyed by its method, padded to keep the keys apart) refused with the message, and nothing changed. */
    private static void assertEachRefused(Encoder net, String precision, String arrays, Map<String, Executable> calls) {
        for (Map.Entry<String, Executable> call : calls.entrySet()) {
            String method = call.getKey().strip();
            List<double[]> before = snapshot(net);
            String message = assertThrows(IllegalArgumentException.class, call.getValue(), method).getMessage();
            assertTrue(message.startsWith(precision + ": call " + method + " " + arrays), method + ": " + message);
            List<double[]> after = snapshot(net);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), 0.0, method + " changed something");
            }
        }
    }

    /** Every value and gradient (widened), and the carried state. */
    private static List<double[]> snapshot(Encoder net) {
        List<double[]> parts = new ArrayList<>();
        for (Parameter parameter : net.parameters()) {
            double[] values = new double[2 * parameter.size()];
            for (int i = 0; i < parameter.size(); i++) {
                values[2 * i] = parameter.value(i);
                values[2 * i + 1] = parameter.gradient(i);
            }
            parts.add(values);
        }
        double[] state = new double[net.stateSize()];
        net.saveState(state, 0);
        parts.add(state);
        return parts;
    }

    /** Stateful, from a state of its own: a refused call must leave that state as it is too. */
    private static void carryAState(Encoder net) {
        double[] state = new double[net.stateSize()];
        for (int i = 0; i < state.length; i++) {
            state[i] = 0.25 * (i + 1);
        }
        net.setStateful(true);
        net.restoreState(state, 0);
    }
}
