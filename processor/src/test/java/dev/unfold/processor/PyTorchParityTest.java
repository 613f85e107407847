package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.io.SafeTensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated networks compute what PyTorch computes: for every fixture that tools/pytorch-fixtures.py
 * wrote (each cell × one or two directions × 1–3 layers × mapping × loss, and mixed stacks), the
 * PyTorch state_dict loads under PyTorch's names, and the predictions, the summed loss and every
 * gradient match PyTorch's float64 results to a relative error of 1e-9.
 */
class PyTorchParityTest {
    /** Largest allowed max|unfold − pytorch| / max|pytorch| over a tensor. */
    private static final double TOLERANCE = 1e-9;

    @TestFactory
    Stream<DynamicContainer> everyFixtureMatchesPyTorch() throws IOException, URISyntaxException {
        Path directory = Path.of(PyTorchParityTest.class.getResource("/parity").toURI());
        List<Path> declarations;
        try (Stream<Path> files = Files.list(directory)) {
            declarations = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(declarations.size() >= 72, "fixtures found: " + declarations.size());
        List<JavaFileObject> sources = declarations.stream().map(Fixtures::source).toList();
        CompiledSources fixtures = new CompiledSources(sources);
        return Arrays.stream(TestCompiler.values()).map(compiler -> DynamicContainer.dynamicContainer(compiler.toString(),
                declarations.stream().map(declaration -> {
                    String name = declaration.getFileName().toString().replace(".java", "");
                    return DynamicTest.dynamicTest(name, () -> check(fixtures.loader(compiler), directory, "parity", name));
                })));
    }

    /**
     * Loads fixture {@code name} of {@code directory} into the network {@code packageName.Unfolded<name>}
     * and compares everything PyTorch computed; a fixture with a context vector sets it first.
     */
    static void check(ClassLoader loader, Path directory, String packageName, String name) throws IOException {
        SequenceModel net = TestCompiler.instantiate(loader, packageName + ".Unfolded" + name, 0);
        net.parameters().load(directory.resolve(name + ".weights.safetensors"));
        Map<String, SafeTensors.Tensor> data = SafeTensors.read(directory.resolve(name + ".data.safetensors"));
        if (data.containsKey("context")) {
            ((Contextual) net).setContext(data.get("context").values());
        }
        Example fixture = example(data);

        double[][] outputs = new double[net.outputSteps(fixture.steps())][net.outputSize()];
        fixture.forward(net, outputs);
        assertClose("outputs", data.get("outputs").values(), flatten(outputs));

        net.parameters().zeroGradients();
        double loss = fixture.backward(net);
        assertClose("loss", data.get("loss").values(), new double[] {loss});
        assertClose("loss()", data.get("loss").values(), new double[] {fixture.loss(net)});

        int compared = 0;
        for (Map.Entry<String, SafeTensors.Tensor> entry : data.entrySet()) {
            if (!entry.getKey().startsWith("grad.")) {
                continue;
            }
            String pytorch = entry.getKey().substring("grad.".length());
            compared += compareGradient(net, pytorch, entry.getValue().values());
        }
        assertEquals(net.parameters().size(), compared, "every parameter's gradient was compared");
    }

    /**
     * Compares PyTorch's gradient of {@code pytorch} with Unfold's. Unfold's bias is PyTorch's
     * bias_ih + bias_hh, so its gradient is bias_ih's (and bias_hh's, for the rows that merge); a
     * GRU's bias_hn is the n rows of bias_hh. Returns how many Unfold parameters this covered.
     */
    static int compareGradient(SequenceModel net, String pytorch, double[] expected) {
        if (pytorch.startsWith("out.")) {
            assertClose(pytorch, expected, net.parameters().get(pytorch).gradient().data);
            return 1;
        }
        int dot = pytorch.indexOf('.');
        String layer = pytorch.substring(0, dot + 1);
        String field = pytorch.substring(dot + 1);
        String suffix = field.endsWith("_reverse") ? "_reverse" : "";
        String kind = field.substring(0, field.length() - suffix.length() - "_l0".length());
        switch (kind) {
            case "weight_ih", "weight_hh", "weight_hr", "weight_context", "weight_oh" -> {
                assertClose(pytorch, expected, net.parameters().get(layer + kind + suffix).gradient().data);
                return 1;
            }
            case "bias_ih" -> {
                assertClose(pytorch, expected, net.parameters().get(layer + "bias" + suffix).gradient().data);
                return 1;
            }
            case "bias_hh" -> {
                double[] bias = net.parameters().get(layer + "bias" + suffix).gradient().data;
                String hn = layer + "bias_hn" + suffix;
                if (!net.parameters().contains(hn)) {
                    assertClose(pytorch, expected, bias);
                    return 0;
                }
                int hidden = expected.length / 3;
                double[] gates = java.util.Arrays.copyOf(bias, 2 * hidden);
                assertClose(pytorch + " (r, z)", java.util.Arrays.copyOf(expected, 2 * hidden), gates);
                assertClose(pytorch + " (n)", java.util.Arrays.copyOfRange(expected, 2 * hidden, 3 * hidden),
                        net.parameters().get(hn).gradient().data);
                return 1;
            }
            default -> throw new AssertionError("unexpected PyTorch parameter " + pytorch);
        }
    }

    static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double largest = 0;
        double largestError = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            largestError = Math.max(largestError, Math.abs(expected[i] - actual[i]));
        }
        double scale = largest;
        double error = largestError;
        assertTrue(error <= TOLERANCE * scale, () -> what + ": relative error " + error / scale + "\n  pytorch "
                + java.util.Arrays.toString(expected) + "\n  unfold  " + java.util.Arrays.toString(actual));
    }

    private static double[] flatten(double[][] rows) {
        return Stream.of(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** A fixture's input and targets, in whichever of their two forms it holds them. */
    private static Example example(Map<String, SafeTensors.Tensor> data) {
        return new Example(matrix(data.get("xs")), ints(data.get("tokens")), matrix(data.get("targets")),
                ints(data.get("labels")));
    }

    static double[][] matrix(SafeTensors.Tensor tensor) {
        if (tensor == null) {
            return null;
        }
        int rows = (int) tensor.shape()[0];
        int columns = (int) tensor.shape()[1];
        double[][] matrix = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tensor.values(), r * columns, matrix[r], 0, columns);
        }
        return matrix;
    }

    static int[] ints(SafeTensors.Tensor tensor) {
        if (tensor == null) {
            return null;
        }
        int[] values = new int[tensor.values().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) tensor.values()[i];
            assertEquals(values[i], tensor.values()[i], "an integer");
        }
        return values;
    }
}
