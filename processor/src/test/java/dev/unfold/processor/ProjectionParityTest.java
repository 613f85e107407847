package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.SequenceModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * LSTMs that project their state match PyTorch's {@code nn.LSTM(proj_size = P)}: for every fixture
 * tools/pytorch-fixtures.py wrote under {@code --only projection} (one and two layers, one and
 * two directions, many-to-many and many-to-one, MSE and cross-entropy, dense and token input,
 * stacks with other cells), the state_dict loads with its {@code weight_hr_l0}, and the
 * predictions, the loss and every gradient, W_hr's among them, match to PyTorch's tolerance of
 * {@link PyTorchParityTest}.
 */
class ProjectionParityTest {

    @TestFactory
    Stream<DynamicContainer> everyProjectionFixtureMatchesPyTorch() throws IOException {
        return PyTorchParityTest.everyFixtureIn("projection", 8, Precision.FLOAT64);
    }

    /**
     * A projecting network's weights saved under Unfold's names load back into a fresh network
     * unchanged, W_hr included, and its layers report the projection: the output of one layer,
     * P or 2P wide, is the input of the next.
     */
    @TestFactory
    Stream<DynamicTest> weightsRoundTripAndLayersReportTheProjection(@TempDir Path temporary) throws Exception {
        Path directory = Path.of(ProjectionParityTest.class.getResource("/projection").toURI());
        CompiledSources fixtures = new CompiledSources(List.of(Fixtures.source(directory.resolve("ProjBi2M2oMse.java"))));
        return Arrays.stream(TestCompiler.values()).map(compiler -> DynamicTest.dynamicTest(compiler.toString(), () -> {
            ClassLoader loader = fixtures.loader(compiler);
            SequenceModel pytorch = TestCompiler.instantiate(loader, "projection.UnfoldedProjBi2M2oMse", 0);
            pytorch.parameters().load(directory.resolve("ProjBi2M2oMse.weights.safetensors"));
            Path saved = temporary.resolve(compiler + ".safetensors");
            pytorch.parameters().save(saved);
            SequenceModel copy = TestCompiler.instantiate(loader, "projection.UnfoldedProjBi2M2oMse", 1);
            copy.parameters().load(saved);
            for (String name : List.of("layer0.weight_hr", "layer0.weight_hr_reverse", "layer1.weight_hr",
                    "layer1.weight_hr_reverse", "layer0.weight_hh")) {
                assertTrue(Arrays.equals(pytorch.parameters().get(name).value().data,
                        copy.parameters().get(name).value().data), name);
            }
            assertEquals(2 * 5, copy.parameters().get("layer0.weight_hr").value().getNumElements());
            Layer first = copy.layers().get(0);
            Layer second = copy.layers().get(1);
            assertEquals(List.of(5, 2, 2, 4), List.of(first.hiddenSize(), first.projectionSize(), first.stateSize(),
                    first.outputSize()));
            assertEquals(List.of(4, 3, 2, 4), List.of(second.inputSize(), second.hiddenSize(), second.projectionSize(),
                    second.outputSize()));
        }));
    }
}
