package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameters saved and loaded under Unfold's names and PyTorch's. */
class ParameterFilesTest {
    @TempDir
    Path directory;

    /** A bidirectional LSTM layer lstm (H = 2, n = 3) and a GRU layer gru (H = 1, n = 4), then out. */
    private static Parameters network() {
        return new Parameters(List.of(
                Parameter.matrix("lstm.weight_ih", 8, 3), Parameter.matrix("lstm.weight_hh", 8, 2),
                Parameter.vector("lstm.bias", 8),
                Parameter.matrix("lstm.weight_ih_reverse", 8, 3), Parameter.matrix("lstm.weight_hh_reverse", 8, 2),
                Parameter.vector("lstm.bias_reverse", 8),
                Parameter.matrix("gru.weight_ih", 3, 4), Parameter.matrix("gru.weight_hh", 3, 1),
                Parameter.vector("gru.bias", 3), Parameter.vector("gru.bias_hn", 1),
                Parameter.matrix("out.weight", 2, 1), Parameter.vector("out.bias", 2)));
    }

    private static double[] sequence(int size, double start) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = start + i;
        }
        return values;
    }

    private static SafeTensors.Tensor tensor(double[] values, long... shape) {
        return new SafeTensors.Tensor(shape, values);
    }

    /** What torch.save of the equivalent PyTorch module's state_dict holds. */
    private static Map<String, SafeTensors.Tensor> pytorchStateDict() {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("lstm.weight_ih_l0", tensor(sequence(24, 0), 8, 3));
        tensors.put("lstm.weight_hh_l0", tensor(sequence(16, 100), 8, 2));
        tensors.put("lstm.bias_ih_l0", tensor(sequence(8, 0), 8));
        tensors.put("lstm.bias_hh_l0", tensor(sequence(8, 10), 8));
        tensors.put("lstm.weight_ih_l0_reverse", tensor(sequence(24, 200), 8, 3));
        tensors.put("lstm.weight_hh_l0_reverse", tensor(sequence(16, 300), 8, 2));
        tensors.put("lstm.bias_ih_l0_reverse", tensor(sequence(8, 1), 8));
        tensors.put("lstm.bias_hh_l0_reverse", tensor(sequence(8, 1), 8));
        tensors.put("gru.weight_ih_l0", tensor(sequence(12, 0), 3, 4));
        tensors.put("gru.weight_hh_l0", tensor(sequence(3, 0), 3, 1));
        tensors.put("gru.bias_ih_l0", tensor(new double[] {1, 2, 3}, 3));
        tensors.put("gru.bias_hh_l0", tensor(new double[] {10, 20, 30}, 3));
        tensors.put("out.weight", tensor(new double[] {5, 6}, 2, 1));
        tensors.put("out.bias", tensor(new double[] {7, 8}, 2));
        return tensors;
    }

    private Path write(Map<String, SafeTensors.Tensor> tensors) throws IOException {
        Path path = directory.resolve("model.safetensors");
        SafeTensors.write(path, tensors, Map.of());
        return path;
    }

    @Test
    void ownFileRoundTrips() throws IOException {
        Parameters saved = network();
        for (Parameter parameter : saved) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.value().data[i] = parameter.name().length() + i / 7.0;
            }
        }
        Path path = directory.resolve("own.safetensors");
        saved.save(path);
        assertArrayEquals(new long[] {8}, SafeTensors.read(path).get("lstm.bias").shape(), "biases are 1-D, as PyTorch's");
        Parameters loaded = network();
        loaded.load(path);
        for (Parameter parameter : saved) {
            assertArrayEquals(parameter.value().data, loaded.get(parameter.name()).value().data, parameter.name());
        }
    }

    @Test
    void pytorchStateDictLoadsWithBiasesMerged() throws IOException {
        Parameters parameters = network();
        parameters.load(write(pytorchStateDict()));
        assertArrayEquals(sequence(24, 0), parameters.get("lstm.weight_ih").value().data);
        assertArrayEquals(sequence(16, 300), parameters.get("lstm.weight_hh_reverse").value().data);
        // LSTM: bias_ih + bias_hh
        double[] lstmBias = new double[8];
        for (int i = 0; i < 8; i++) {
            lstmBias[i] = i + (10 + i);
        }
        assertArrayEquals(lstmBias, parameters.get("lstm.bias").value().data);
        // GRU: r and z rows summed, n row from bias_ih alone, bias_hn the n row of bias_hh
        assertArrayEquals(new double[] {11, 22, 3}, parameters.get("gru.bias").value().data);
        assertArrayEquals(new double[] {30}, parameters.get("gru.bias_hn").value().data);
        assertArrayEquals(new double[] {5, 6}, parameters.get("out.weight").value().data);
    }

    @Test
    void wrongShapeNamesTensorExpectedAndFound() throws IOException {
        Map<String, SafeTensors.Tensor> tensors = pytorchStateDict();
        tensors.put("lstm.weight_hh_l0", tensor(sequence(16, 0), 2, 8));
        Parameters parameters = network();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parameters.load(write(tensors)));
        assertEquals("tensor lstm.weight_hh_l0 has shape [2, 8], but lstm.weight_hh needs [8, 2]", e.getMessage());
    }

    @Test
    void missingTensorNamesBothSpellings() throws IOException {
        Map<String, SafeTensors.Tensor> tensors = pytorchStateDict();
        tensors.remove("lstm.bias_hh_l0_reverse");
        Path path = write(tensors);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> network().load(path));
        assertEquals(path + " has no tensor lstm.bias_reverse (nor PyTorch's lstm.bias_ih_l0_reverse and"
                + " lstm.bias_hh_l0_reverse)", e.getMessage());
    }

    @Test
    void tensorWithoutAPlaceIsAnErrorAndNothingIsLoaded() throws IOException {
        Map<String, SafeTensors.Tensor> tensors = pytorchStateDict();
        tensors.put("embedding.weight", tensor(new double[] {1}, 1, 1));
        Parameters parameters = network();
        double[] before = parameters.get("lstm.weight_ih").value().data.clone();
        Path path = write(tensors);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parameters.load(path));
        assertEquals(true, e.getMessage().contains("has tensors this network has no place for: [embedding.weight]"));
        assertArrayEquals(before, parameters.get("lstm.weight_ih").value().data, "all or nothing");
    }

    @Test
    void corruptFileLeavesValuesAlone() throws IOException {
        Parameters parameters = network();
        Path path = directory.resolve("good.safetensors");
        parameters.get("out.bias").value().data[0] = 42;
        parameters.save(path);
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        Parameters other = network();
        assertThrows(IOException.class, () -> other.load(path));
        assertEquals(0.0, other.get("out.bias").value().data[0]);
    }
}
