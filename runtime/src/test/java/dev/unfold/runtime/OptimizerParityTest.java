package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** SGD and Adam take the steps torch.optim takes, given the same gradients (tools/pytorch-fixtures.py). */
class OptimizerParityTest {

    private static Map<String, SafeTensors.Tensor> fixture() throws IOException, URISyntaxException {
        return SafeTensors.read(Path.of(OptimizerParityTest.class.getResource("/optimizers.safetensors").toURI()));
    }

    private static void replay(String run, Function<Parameters, Optimizer> optimizer)
            throws IOException, URISyntaxException {
        Map<String, SafeTensors.Tensor> tensors = fixture();
        double[] initial = tensors.get("initial").values();
        double[] gradients = tensors.get("gradients").values();
        double[] expected = tensors.get(run).values();
        int size = initial.length;
        Parameter parameter = Parameter.vector("p", size);
        System.arraycopy(initial, 0, parameter.value().data, 0, size);
        Optimizer step = optimizer.apply(new Parameters(List.of(parameter)));
        int steps = gradients.length / size;
        assertEquals(5, steps);
        for (int k = 0; k < steps; k++) {
            System.arraycopy(gradients, k * size, parameter.gradient().data, 0, size);
            step.step();
            double[] after = java.util.Arrays.copyOfRange(expected, k * size, (k + 1) * size);
            assertArrayEquals(after, parameter.value().data, 1e-14, run + " after step " + (k + 1));
        }
    }

    @Test
    void sgdMatchesTorchOptimSgd() throws Exception {
        replay("sgd", parameters -> new Sgd(parameters, 0.1));
    }

    @Test
    void adamMatchesTorchOptimAdam() throws Exception {
        replay("adam", parameters -> new Adam(parameters, 0.01));
    }

    @Test
    void adamWithOtherBetasAndEpsilonMatches() throws Exception {
        replay("adam_custom", parameters -> new Adam(parameters, 0.05, 0.8, 0.99, 1e-6));
    }
}
