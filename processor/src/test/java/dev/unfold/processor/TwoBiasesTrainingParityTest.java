package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.io.SafeTensors;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.Optimizer;
import dev.unfold.runtime.optim.Sgd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A network whose layers are declared with {@code biases = Biases.TWO} trains as PyTorch does, step
 * by step: from the weights tools/pytorch-fixtures.py drew, on its sequence, 5 steps of
 * {@code torch.optim.SGD(lr=0.1)} and 5 of {@code torch.optim.Adam(lr=0.01)}, every parameter and
 * both biases of every layer trained, give the losses and the weights after each step that Unfold's
 * {@link Sgd} and {@link Adam} give: a simple stack (bidirectional tanh, ReLU), LSTMs (one
 * projecting, bidirectional), GRUs (bidirectional, many-to-one, token input), in float64
 * (resources/twobiases) and float32 (twobiases32), each at its precision's parity tolerance
 * ({@link PyTorchParityTest.Tolerance}: the loss at the loss's, the weights at the gradients').
 */
class TwoBiasesTrainingParityTest {

    @TestFactory
    Stream<DynamicContainer> fiveStepsOfSgdAndAdamFollowTorchOptim() throws IOException {
        return Stream.concat(everyFixtureIn("twobiases", Precision.FLOAT64),
                everyFixtureIn("twobiases32", Precision.FLOAT32));
    }

    /** The optimizers of the fixtures, by the name their trajectories are stored under. */
    private static final Map<String, Function<SequenceModel, Optimizer>> OPTIMIZERS = Map.of(
            "sgd", net -> new Sgd(net.parameters(), 0.1),
            "adam", net -> new Adam(net.parameters(), 0.01));

    private static Stream<DynamicContainer> everyFixtureIn(String set, Precision precision) throws IOException {
        Path directory = Fixtures.directory(set);
        List<Path> declarations;
        try (Stream<Path> files = Files.list(directory)) {
            declarations = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertEquals(3, declarations.size(), "fixtures in " + set);
        List<JavaFileObject> sources = declarations.stream().map(Fixtures::source).toList();
        CompiledSources fixtures = new CompiledSources(sources);
        return Arrays.stream(TestCompiler.values()).map(compiler -> DynamicContainer.dynamicContainer(
                set + " " + compiler, declarations.stream().flatMap(declaration -> {
                    String name = declaration.getFileName().toString().replace(".java", "");
                    return OPTIMIZERS.keySet().stream().sorted().map(optimizer -> DynamicTest.dynamicTest(
                            name + " " + optimizer, () -> check(fixtures.loader(compiler), directory, set, name,
                                    optimizer, precision)));
                })));
    }

    private static void check(ClassLoader loader, Path directory, String set, String name, String optimizerName,
                              Precision precision) throws IOException {
        SequenceModel net = TestCompiler.instantiate(loader, set + ".Unfolded" + name, 0);
        assertEquals(precision, net.precision());
        assertTrue(net.parameters().names().stream().anyMatch(n -> n.endsWith(".bias_hh")), "two biases");
        net.parameters().load(directory.resolve(name + ".weights.safetensors"));
        Map<String, SafeTensors.Tensor> data = SafeTensors.read(directory.resolve(name + ".data.safetensors"));
        Example example = new Example(PyTorchParityTest.matrix(data.get("xs")), PyTorchParityTest.ints(data.get("tokens")),
                PyTorchParityTest.matrix(data.get("targets")), PyTorchParityTest.ints(data.get("labels")));
        FloatExample floats = precision == Precision.FLOAT32 ? FloatExample.rounded(example) : null;
        PyTorchParityTest.Tolerance tolerance = PyTorchParityTest.Tolerance.of(precision);
        Optimizer optimizer = OPTIMIZERS.get(optimizerName).apply(net);
        double[] losses = data.get(optimizerName + ".loss").values();
        for (int step = 1; step <= losses.length; step++) {
            net.parameters().zeroGradients();
            double loss = floats != null ? floats.backward(net) : example.backward(net);
            optimizer.step();
            PyTorchParityTest.assertClose(optimizerName + " step " + step + ": loss", new double[] {losses[step - 1]},
                    new double[] {loss}, tolerance.loss());
            for (Parameter parameter : net.parameters()) {
                String pytorch = optimizerName + "." + step + "." + pytorchName(parameter.name());
                SafeTensors.Tensor expected = data.get(pytorch);
                assertTrue(expected != null, "PyTorch's " + pytorch);
                PyTorchParityTest.assertClose(pytorch, expected.values(), values(parameter), tolerance.gradients());
            }
        }
        assertEquals(5, losses.length, "five steps");
    }

    /** PyTorch's name of a parameter of a layer with two biases: {@code layer0.bias_hh_reverse} → {@code layer0.bias_hh_l0_reverse}. */
    private static String pytorchName(String name) {
        if (name.startsWith("out.")) {
            return name;
        }
        return name.endsWith("_reverse") ? name.replace("_reverse", "_l0_reverse") : name + "_l0";
    }

    private static double[] values(Parameter parameter) {
        double[] values = new double[parameter.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameter.value(i);
        }
        return values;
    }
}
