package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Cell;
import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What {@code parameters().savePyTorch} writes, PyTorch loads with {@code strict=True} into the
 * module docs/weights-and-pytorch.md describes, and computes Unfold's outputs with: for a set of
 * seeded networks (every cell, bidirectional layers, a projecting LSTM, a context, two biases, a
 * many-to-one network, float32 and float64, and a two-layer LSTM character model of the charlm
 * sample's shape reading tokens), resources/export holds the file Unfold wrote
 * ({@code <Name>.safetensors}), the module it is for ({@code <Name>.module.json}), and what
 * tools/pytorch-fixtures.py ({@code --only export}) computed after
 * {@code module.load_state_dict(tensors, strict=True)} on inputs of its own
 * ({@code <Name>.outputs.safetensors}). This test checks that today's export is the committed file
 * byte for byte, and that Unfold's outputs on those inputs are PyTorch's to the parity tolerances.
 *
 * <p>After a deliberate change to the export, rewrite the first two with
 * {@code mvn test -pl processor -Dtest=PyTorchExportTest -Dunfold.updateExport=true}, then run
 * {@code /usr/bin/python3 tools/pytorch-fixtures.py --only export}.
 */
class PyTorchExportTest {
    private static final Path DIRECTORY = Path.of(System.getProperty("unfold.exportDirectory",
            "src/test/resources/export"));
    private static final boolean UPDATE = Boolean.getBoolean("unfold.updateExport");
    private static final String PACKAGE = "generated.export";

    /** A network: its @Network values, capabilities, layers ({@code @Recurrent} values), and whether it reads tokens. */
    private record Declaration(String name, String network, String capabilities, List<String> layers, boolean tokens,
                               int steps, long seed) {

        JavaFileObject source() {
            List<String> lines = new ArrayList<>(List.of("package " + PACKAGE + ";", "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;", "@Network(" + network + ")",
                    "public interface " + name + " extends " + capabilities + " {"));
            for (int k = 0; k < layers.size(); k++) {
                String layer = layers.get(k);
                boolean bidirectional = layer.endsWith(" @Bidirectional");
                lines.add("    @Recurrent(" + layer.replace(" @Bidirectional", "") + ")"
                        + (bidirectional ? " @Bidirectional" : ""));
                lines.add("    Layer layer" + k + "();");
            }
            lines.add("}");
            return TestCompiler.source(PACKAGE + "." + name, lines.toArray(String[]::new));
        }
    }

    private static final List<Declaration> DECLARATIONS = List.of(
            new Declaration("SimpleBi", "input = 3, output = 2, loss = Loss.MSE", "SequenceModel", List.of(
                    "hidden = 3, activation = Activation.RELU @Bidirectional",
                    "hidden = 2, activation = Activation.TANH"), false, 5, 1),
            new Declaration("LstmProjected", "input = 4, output = 3, loss = Loss.CROSS_ENTROPY,"
                    + " precision = Precision.FLOAT32", "Classifier", List.of(
                    "hidden = 3, cell = Cell.LSTM",
                    "hidden = 4, cell = Cell.LSTM, projection = 2 @Bidirectional"), false, 6, 2),
            new Declaration("GruManyToOne", "input = 3, output = 2, loss = Loss.BINARY_CROSS_ENTROPY,"
                    + " mapping = Mapping.MANY_TO_ONE", "SequenceModel", List.of(
                    "hidden = 3, cell = Cell.GRU @Bidirectional",
                    "hidden = 2, cell = Cell.GRU, biases = Biases.TWO"), false, 4, 3),
            new Declaration("ContextTwoBiases", "input = 3, output = 3, loss = Loss.CROSS_ENTROPY, context = 2,"
                    + " precision = Precision.FLOAT32", "Contextual, Classifier", List.of(
                    "hidden = 3, cell = Cell.LSTM, biases = Biases.TWO",
                    "hidden = 2, biases = Biases.TWO"), false, 5, 4),
            new Declaration("GruContext", "input = 2, output = 2, loss = Loss.MSE, context = 3", "Contextual", List.of(
                    "hidden = 2, cell = Cell.GRU @Bidirectional"), true, 4, 5),
            // the charlm sample's shape (96 characters in as tokens, a softmax over the next), two LSTM layers
            new Declaration("CharLm", "input = 96, output = 96, loss = Loss.CROSS_ENTROPY,"
                    + " precision = Precision.FLOAT32", "Streaming, Classifier", List.of(
                    "hidden = 16, cell = Cell.LSTM",
                    "hidden = 16, cell = Cell.LSTM"), true, 12, 6));

    @TestFactory
    Stream<DynamicContainer> pytorchLoadsTheExportStrictlyAndComputesUnfoldsOutputs() {
        CompiledSources networks = new CompiledSources(DECLARATIONS.stream().map(Declaration::source).toList());
        return Arrays.stream(TestCompiler.values()).map(compiler -> DynamicContainer.dynamicContainer(
                compiler.toString(), DECLARATIONS.stream().map(declaration -> DynamicTest.dynamicTest(
                        declaration.name(), () -> check(networks.loader(compiler), declaration)))));
    }

    private static void check(ClassLoader loader, Declaration declaration) throws IOException {
        SequenceModel net = TestCompiler.instantiate(loader, PACKAGE + ".Unfolded" + declaration.name(),
                declaration.seed());
        Path exported = Files.createTempFile("export", ".safetensors");
        try {
            net.parameters().savePyTorch(exported);
            Path file = DIRECTORY.resolve(declaration.name() + ".safetensors");
            Path module = DIRECTORY.resolve(declaration.name() + ".module.json");
            String description = module(net, declaration);
            if (UPDATE) {
                Files.createDirectories(DIRECTORY);
                Files.write(file, Files.readAllBytes(exported));   // a new file's permissions, not the temporary's
                Files.writeString(module, description);
                return;
            }
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(exported),
                    "today's savePyTorch writes the committed " + file.getFileName() + " byte for byte");
            assertEquals(Files.readString(module, StandardCharsets.UTF_8), description, "the module");
        } finally {
            Files.delete(exported);
        }
        Map<String, SafeTensors.Tensor> data = SafeTensors.read(DIRECTORY.resolve(declaration.name()
                + ".outputs.safetensors"));
        if (data.containsKey("context")) {
            ((Contextual) net).setContext(data.get("context").values());
        }
        Example example = new Example(PyTorchParityTest.matrix(data.get("xs")), PyTorchParityTest.ints(data.get("tokens")),
                null, null);
        double[][] outputs = PyTorchParityTest.predictions(net, example);
        assertEquals(declaration.steps(), example.steps());
        PyTorchParityTest.assertClose("outputs", data.get("outputs").values(), PyTorchParityTest.flatten(outputs),
                PyTorchParityTest.Tolerance.of(net.precision()).predictions());
        assertTrue(Arrays.stream(data.get("outputs").values()).distinct().count() > 1, "outputs that vary");
    }

    /**
     * The PyTorch module {@code net} is, for tools/pytorch-fixtures.py: its layers as the runtime's
     * {@link Layer} views report them, the output, and what the input is.
     */
    private static String module(SequenceModel net, Declaration declaration) {
        int context = net instanceof Contextual contextual ? contextual.contextSize() : 0;
        StringBuilder json = new StringBuilder("{\n")
                .append("  \"name\": \"").append(declaration.name()).append("\",\n")
                .append("  \"dtype\": \"").append(net.precision() == Precision.FLOAT32 ? "float32" : "float64")
                .append("\",\n")
                .append("  \"input\": ").append(net.inputSize()).append(",\n")
                .append("  \"context\": ").append(context).append(",\n")
                .append("  \"tokens\": ").append(declaration.tokens()).append(",\n")
                .append("  \"steps\": ").append(declaration.steps()).append(",\n")
                .append("  \"output\": ").append(net.outputSize()).append(",\n")
                .append("  \"loss\": \"").append(declaration.network().contains("BINARY_CROSS_ENTROPY")
                        ? "BINARY_CROSS_ENTROPY" : declaration.network().contains("CROSS_ENTROPY") ? "CROSS_ENTROPY"
                        : "MSE").append("\",\n")
                .append("  \"mapping\": \"").append(net.mapping() == Mapping.MANY_TO_ONE ? "MANY_TO_ONE" : "MANY_TO_MANY")
                .append("\",\n")
                .append("  \"layers\": [\n");
        List<? extends Layer> layers = net.layers();
        for (int k = 0; k < layers.size(); k++) {
            Layer layer = layers.get(k);
            json.append("    {\"name\": \"").append(layer.name())
                    .append("\", \"cell\": \"").append(layer.cell())
                    .append("\", \"hidden\": ").append(layer.hiddenSize())
                    .append(", \"projection\": ").append(layer.projectionSize())
                    .append(", \"bidirectional\": ").append(layer.bidirectional())
                    .append(", \"nonlinearity\": \"").append(layer.cell() == Cell.SIMPLE
                            ? layer.activation().name().toLowerCase(Locale.ROOT) : "tanh")
                    .append("\"}").append(k < layers.size() - 1 ? ",\n" : "\n");
        }
        return json.append("  ]\n}\n").toString();
    }
}
