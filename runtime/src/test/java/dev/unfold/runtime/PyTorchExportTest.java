package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.Precision;
import dev.unfold.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Parameters#savePyTorch}: the state_dict of the PyTorch module the docs describe, and the
 * natural layout of a context network's weight_ih read back. (That PyTorch itself loads these files
 * with strict=True and computes what Unfold computes is the processor's PyTorchExportTest.)
 */
class PyTorchExportTest {
    @TempDir
    Path directory;

    /**
     * A bidirectional LSTM layer lstm (H = 2, n = 3) reading a context of 2 values, a GRU layer gru
     * (H = 1, n = 4), a projecting LSTM layer proj (H = 2, P = 1, n = 1), a simple layer two (H = 2,
     * n = 1) with PyTorch's two biases, then out.
     */
    private static Parameters network(Precision p) {
        return new Parameters(List.of(
                Parameter.matrix("lstm.weight_ih", 8, 3, p), Parameter.matrix("lstm.weight_hh", 8, 2, p),
                Parameter.vector("lstm.bias", 8, p), Parameter.matrix("lstm.weight_context", 8, 2, p),
                Parameter.matrix("lstm.weight_ih_reverse", 8, 3, p), Parameter.matrix("lstm.weight_hh_reverse", 8, 2, p),
                Parameter.vector("lstm.bias_reverse", 8, p), Parameter.matrix("lstm.weight_context_reverse", 8, 2, p),
                Parameter.matrix("gru.weight_ih", 3, 4, p), Parameter.matrix("gru.weight_hh", 3, 1, p),
                Parameter.vector("gru.bias", 3, p), Parameter.vector("gru.bias_hn", 1, p),
                Parameter.matrix("proj.weight_ih", 8, 1, p), Parameter.matrix("proj.weight_hh", 8, 1, p),
                Parameter.vector("proj.bias", 8, p), Parameter.matrix("proj.weight_hr", 1, 2, p),
                Parameter.matrix("two.weight_ih", 2, 1, p), Parameter.matrix("two.weight_hh", 2, 2, p),
                Parameter.vector("two.bias_ih", 2, p), Parameter.vector("two.bias_hh", 2, p),
                Parameter.matrix("out.weight", 2, 2, p), Parameter.vector("out.bias", 2, p)));
    }

    /** Values of many magnitudes and both signs, −0 among them, rounded to nearest in a float32 network. */
    private static Parameters randomNetwork(Precision precision, long seed) {
        Parameters parameters = network(precision);
        Random random = new Random(seed);
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setValue(i, random.nextInt(5) == 0 ? -0.0
                        : random.nextGaussian() * Math.pow(10, random.nextInt(13) - 6));
            }
        }
        return parameters;
    }

    private static double[] values(Parameter parameter) {
        double[] values = new double[parameter.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameter.value(i);
        }
        return values;
    }

    @Test
    void writesExactlyTheNamesAndShapesOfPyTorchsModule() throws IOException {
        Path file = directory.resolve("model.safetensors");
        network(Precision.FLOAT64).savePyTorch(file);
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(file);
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> shapes.put(name, java.util.Arrays.stream(tensor.shape()).boxed().toList()));
        assertEquals(Map.ofEntries(
                Map.entry("lstm.weight_ih_l0", List.of(8L, 5L)), Map.entry("lstm.weight_hh_l0", List.of(8L, 2L)),
                Map.entry("lstm.bias_ih_l0", List.of(8L)), Map.entry("lstm.bias_hh_l0", List.of(8L)),
                Map.entry("lstm.weight_ih_l0_reverse", List.of(8L, 5L)),
                Map.entry("lstm.weight_hh_l0_reverse", List.of(8L, 2L)),
                Map.entry("lstm.bias_ih_l0_reverse", List.of(8L)), Map.entry("lstm.bias_hh_l0_reverse", List.of(8L)),
                Map.entry("gru.weight_ih_l0", List.of(3L, 4L)), Map.entry("gru.weight_hh_l0", List.of(3L, 1L)),
                Map.entry("gru.bias_ih_l0", List.of(3L)), Map.entry("gru.bias_hh_l0", List.of(3L)),
                Map.entry("proj.weight_ih_l0", List.of(8L, 1L)), Map.entry("proj.weight_hh_l0", List.of(8L, 1L)),
                Map.entry("proj.bias_ih_l0", List.of(8L)), Map.entry("proj.bias_hh_l0", List.of(8L)),
                Map.entry("proj.weight_hr_l0", List.of(1L, 2L)),
                Map.entry("two.weight_ih_l0", List.of(2L, 1L)), Map.entry("two.weight_hh_l0", List.of(2L, 2L)),
                Map.entry("two.bias_ih_l0", List.of(2L)), Map.entry("two.bias_hh_l0", List.of(2L)),
                Map.entry("out.weight", List.of(2L, 2L)), Map.entry("out.bias", List.of(2L))), shapes);
    }

    @Test
    void oneBiasIsBiasIhWithAZeroBiasHhAndAGrusBiasHnIsItsNRows() throws IOException {
        Parameters parameters = randomNetwork(Precision.FLOAT64, 1);
        Path file = directory.resolve("model.safetensors");
        parameters.savePyTorch(file);
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(file);
        assertArrayEquals(values(parameters.get("lstm.bias_reverse")), tensors.get("lstm.bias_ih_l0_reverse").values());
        assertArrayEquals(new double[8], tensors.get("lstm.bias_hh_l0_reverse").values());
        assertArrayEquals(values(parameters.get("gru.bias")), tensors.get("gru.bias_ih_l0").values());
        assertArrayEquals(new double[] {0, 0, parameters.get("gru.bias_hn").value(0)},
                tensors.get("gru.bias_hh_l0").values());
        assertArrayEquals(values(parameters.get("two.bias_hh")), tensors.get("two.bias_hh_l0").values());
        assertArrayEquals(values(parameters.get("proj.weight_hr")), tensors.get("proj.weight_hr_l0").values());
    }

    @Test
    void contextWeightsAreTheColumnsAfterTheInputs() throws IOException {
        Parameters parameters = randomNetwork(Precision.FLOAT64, 2);
        Path file = directory.resolve("model.safetensors");
        parameters.savePyTorch(file);
        double[] joined = SafeTensors.read(file).get("lstm.weight_ih_l0_reverse").values();
        Parameter input = parameters.get("lstm.weight_ih_reverse");
        Parameter context = parameters.get("lstm.weight_context_reverse");
        for (int row = 0; row < 8; row++) {
            for (int column = 0; column < 3; column++) {
                assertEquals(input.value(row * 3 + column), joined[row * 5 + column], "W_ih[" + row + "][" + column + "]");
            }
            for (int column = 0; column < 2; column++) {
                assertEquals(context.value(row * 2 + column), joined[row * 5 + 3 + column], "R[" + row + "][" + column + "]");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aSavedFileLoadsBackToTheSameBitsInTheNetworksPrecision(Precision precision) throws IOException {
        Parameters saved = randomNetwork(precision, 3);
        Path file = directory.resolve("model.safetensors");
        saved.savePyTorch(file);
        String dtype = precision == Precision.FLOAT32 ? "F32" : "F64";
        SafeTensors.read(file).forEach((name, tensor) -> assertEquals(dtype, tensor.dtype(), name));
        Parameters loaded = network(precision);
        loaded.load(file);
        for (Parameter parameter : saved) {
            double[] expected = values(parameter);
            double[] actual = values(loaded.get(parameter.name()));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                        parameter.name() + "[" + i + "]: " + expected[i] + " came back as " + actual[i]);
            }
        }
    }

    @Test
    void theSameValuesGiveTheSameBytes() throws IOException {
        Path first = directory.resolve("first.safetensors");
        Path second = directory.resolve("second.safetensors");
        randomNetwork(Precision.FLOAT32, 4).savePyTorch(first);
        randomNetwork(Precision.FLOAT32, 4).savePyTorch(second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    /** PyTorch's natural layout of a network reading [x_t ; x]: weight_ih of [G·H, input + context]. */
    @Test
    void aContextNetworkLoadsFromPyTorchsJoinedWeightIh() throws IOException {
        Parameters source = randomNetwork(Precision.FLOAT64, 5);
        Path file = directory.resolve("model.safetensors");
        source.savePyTorch(file);
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(file);
        Parameters loaded = network(Precision.FLOAT64);
        loaded.load(file);
        assertArrayEquals(values(source.get("lstm.weight_context")), values(loaded.get("lstm.weight_context")));
        assertArrayEquals(values(source.get("lstm.weight_ih")), values(loaded.get("lstm.weight_ih")));

        // R under its own name and weight_ih_l0 of the input's columns alone loads too, as before
        Map<String, SafeTensors.Tensor> split = new LinkedHashMap<>(tensors);
        Parameter r = source.get("lstm.weight_context");
        split.put("lstm.weight_context", new SafeTensors.Tensor(new long[] {8, 2}, values(r)));
        split.put("lstm.weight_ih_l0", new SafeTensors.Tensor(new long[] {8, 3}, values(source.get("lstm.weight_ih"))));
        Path splitFile = directory.resolve("split.safetensors");
        SafeTensors.write(splitFile, split, Map.of());
        Parameters other = network(Precision.FLOAT64);
        other.load(splitFile);
        assertArrayEquals(values(r), values(other.get("lstm.weight_context")));
    }

    @Test
    void aWeightIhOfNeitherWidthSaysWhatItNeedsAndLoadsNothing() throws IOException {
        Path file = directory.resolve("model.safetensors");
        randomNetwork(Precision.FLOAT64, 6).savePyTorch(file);
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(SafeTensors.read(file));
        tensors.put("lstm.weight_ih_l0", new SafeTensors.Tensor(new long[] {8, 3}, new double[24]));
        Path bad = directory.resolve("bad.safetensors");
        SafeTensors.write(bad, tensors, Map.of());
        Parameters parameters = network(Precision.FLOAT64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parameters.load(bad));
        assertEquals("tensor lstm.weight_ih_l0 has shape [8, 3], but lstm.weight_ih and lstm.weight_context side by"
                + " side, as PyTorch's module reads [x_t ; x], need [8, 5]", e.getMessage());
        for (Parameter parameter : parameters) {
            assertArrayEquals(new double[parameter.size()], values(parameter), "all or nothing: " + parameter.name());
        }
    }

    @Test
    void aLayerWithoutWeightHhIsRefusedAndNothingIsWritten() {
        Parameters fedBack = new Parameters(List.of(
                Parameter.matrix("rnn.weight_ih", 3, 2), Parameter.vector("rnn.bias", 3),
                Parameter.matrix("rnn.weight_oh", 3, 1),
                Parameter.matrix("out.weight", 1, 3), Parameter.vector("out.bias", 1)));
        Path file = directory.resolve("model.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fedBack.savePyTorch(file));
        assertEquals("rnn has no rnn.weight_hh (it reads the previous output instead of h_{t−1}), but PyTorch's"
                + " nn.RNN, nn.LSTM and nn.GRU always read h_{t−1}: no PyTorch module of that form holds this"
                + " network; save it with save", e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void aFedBackOutputJoinsWeightIhAfterTheContext() throws IOException {
        Parameters both = new Parameters(List.of(
                Parameter.matrix("rnn.weight_ih", 1, 1), Parameter.matrix("rnn.weight_hh", 1, 1),
                Parameter.vector("rnn.bias", 1), Parameter.matrix("rnn.weight_context", 1, 2),
                Parameter.matrix("rnn.weight_oh", 1, 1),
                Parameter.matrix("out.weight", 1, 1), Parameter.vector("out.bias", 1)));
        double[] joined = {1, 2, 3, 4};
        both.get("rnn.weight_ih").setValue(0, 1);
        both.get("rnn.weight_context").setValue(0, 2);
        both.get("rnn.weight_context").setValue(1, 3);
        both.get("rnn.weight_oh").setValue(0, 4);
        Path file = directory.resolve("model.safetensors");
        both.savePyTorch(file);
        assertArrayEquals(joined, SafeTensors.read(file).get("rnn.weight_ih_l0").values());
        assertEquals(Set.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "out.weight",
                "out.bias"), SafeTensors.read(file).keySet());
        Parameters loaded = new Parameters(List.of(
                Parameter.matrix("rnn.weight_ih", 1, 1), Parameter.matrix("rnn.weight_hh", 1, 1),
                Parameter.vector("rnn.bias", 1), Parameter.matrix("rnn.weight_context", 1, 2),
                Parameter.matrix("rnn.weight_oh", 1, 1),
                Parameter.matrix("out.weight", 1, 1), Parameter.vector("out.bias", 1)));
        loaded.load(file);
        assertArrayEquals(new double[] {2, 3}, values(loaded.get("rnn.weight_context")));
        assertArrayEquals(new double[] {4}, values(loaded.get("rnn.weight_oh")));
    }
}
