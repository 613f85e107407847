package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameters saved and loaded under Unfold's names and PyTorch's. */
class ParameterFilesTest {
    @TempDir
    Path directory;

    /** A bidirectional LSTM layer lstm (H = 2, n = 3) and a GRU layer gru (H = 1, n = 4), then out. */
    private static Parameters network() {
        return network(Precision.FLOAT64);
    }

    private static Parameters network(Precision p) {
        return new Parameters(List.of(
                Parameter.matrix("lstm.weight_ih", 8, 3, p), Parameter.matrix("lstm.weight_hh", 8, 2, p),
                Parameter.vector("lstm.bias", 8, p),
                Parameter.matrix("lstm.weight_ih_reverse", 8, 3, p), Parameter.matrix("lstm.weight_hh_reverse", 8, 2, p),
                Parameter.vector("lstm.bias_reverse", 8, p),
                Parameter.matrix("gru.weight_ih", 3, 4, p), Parameter.matrix("gru.weight_hh", 3, 1, p),
                Parameter.vector("gru.bias", 3, p), Parameter.vector("gru.bias_hn", 1, p),
                Parameter.matrix("out.weight", 2, 1, p), Parameter.vector("out.bias", 2, p)));
    }

    /** Every value drawn from {@code seed}, of many magnitudes, rounded to nearest in a float32 network. */
    private static Parameters randomNetwork(Precision precision, long seed) {
        Parameters parameters = network(precision);
        Random random = new Random(seed);
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setValue(i, random.nextGaussian() * Math.pow(10, random.nextInt(13) - 6));
            }
        }
        return parameters;
    }

    /** A parameter's values, widened to double for a float32 one. */
    private static double[] values(Parameter parameter) {
        double[] values = new double[parameter.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameter.value(i);
        }
        return values;
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

    @Test
    void float32FileRoundTripsBitForBitAsF32() throws IOException {
        Parameters saved = randomNetwork(Precision.FLOAT32, 5);
        Path path = directory.resolve("float32.safetensors");
        saved.save(path);
        for (Map.Entry<String, SafeTensors.Tensor> tensor : SafeTensors.read(path).entrySet()) {
            assertEquals(Precision.FLOAT32, tensor.getValue().precision(), tensor.getKey() + " is written as F32");
        }
        assertEquals(4L * saved.count(), Files.size(path) - 8 - headerLength(path), "4 bytes a value");
        Parameters loaded = network(Precision.FLOAT32);
        loaded.load(path);
        for (Parameter parameter : saved) {
            float[] expected = parameter.floatValue().data;
            float[] actual = loaded.get(parameter.name()).floatValue().data;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        parameter.name() + "[" + i + "]");
            }
        }
    }

    private static long headerLength(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        return java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void f64FileLoadsIntoFloat32RoundedToNearest() throws IOException {
        Parameters saved = randomNetwork(Precision.FLOAT64, 6);
        // a tie between two floats, which rounds to the even one, and a value just above it
        saved.get("out.bias").value().data[0] = 1 + Math.scalb(1.0, -24);
        saved.get("out.bias").value().data[1] = Math.nextUp(1 + Math.scalb(1.0, -24));
        Path path = directory.resolve("float64.safetensors");
        saved.save(path);
        Parameters loaded = network(Precision.FLOAT32);
        loaded.load(path);
        int inexact = 0;
        for (Parameter parameter : saved) {
            double[] doubles = parameter.value().data;
            float[] floats = loaded.get(parameter.name()).floatValue().data;
            for (int i = 0; i < doubles.length; i++) {
                assertEquals((float) doubles[i], floats[i], parameter.name() + "[" + i + "] rounded to nearest");
                inexact += floats[i] != doubles[i] ? 1 : 0;
            }
        }
        assertEquals(saved.count(), inexact, "random doubles are not floats: every value was rounded");
        assertEquals(1f, loaded.get("out.bias").floatValue().data[0], "a tie goes to the even float");
        assertEquals(Math.nextUp(1f), loaded.get("out.bias").floatValue().data[1]);
    }

    @Test
    void pytorchF64StateDictLoadsIntoFloat32WithTheBiasSumRoundedOnce() throws IOException {
        Map<String, SafeTensors.Tensor> tensors = pytorchStateDict();
        double[] input = new double[8];
        double[] hidden = new double[8];
        for (int i = 0; i < 8; i++) {
            input[i] = 0.1 * (i + 1);
            hidden[i] = 1e-9 * (i + 1);   // lost if each were rounded to float before the sum
        }
        tensors.put("lstm.bias_ih_l0", tensor(input, 8));
        tensors.put("lstm.bias_hh_l0", tensor(hidden, 8));
        Parameters parameters = network(Precision.FLOAT32);
        parameters.load(write(tensors));
        for (int i = 0; i < 8; i++) {
            assertEquals((float) (input[i] + hidden[i]), parameters.get("lstm.bias").floatValue().data[i], "bias " + i);
        }
    }

    @Test
    void f32FileLoadsIntoFloat64WidenedExactly() throws IOException {
        Parameters saved = randomNetwork(Precision.FLOAT32, 7);
        Path path = directory.resolve("float32.safetensors");
        saved.save(path);
        Parameters loaded = network(Precision.FLOAT64);
        loaded.load(path);
        for (Parameter parameter : saved) {
            float[] floats = parameter.floatValue().data;
            double[] doubles = loaded.get(parameter.name()).value().data;
            for (int i = 0; i < floats.length; i++) {
                assertEquals((double) floats[i], doubles[i], 0.0, parameter.name() + "[" + i + "] widened");
            }
        }
    }

    @Test
    void truncatedF32FileIsRefusedAndChangesNothing() throws IOException {
        Path path = directory.resolve("float32.safetensors");
        randomNetwork(Precision.FLOAT32, 8).save(path);
        byte[] bytes = Files.readAllBytes(path);
        Parameters parameters = randomNetwork(Precision.FLOAT32, 9);
        double[][] before = new double[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            before[p] = values(parameters.get(p));
        }
        for (int cut : new int[] {1, 3, 4, 5}) {
            Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length - cut));
            IOException e = assertThrows(IOException.class, () -> parameters.load(path), "cut " + cut);
            assertTrue(e.getMessage().contains("the file is truncated"), e.getMessage());
            for (int p = 0; p < parameters.size(); p++) {
                assertArrayEquals(before[p], values(parameters.get(p)), "all or nothing");
            }
        }
    }

    @Test
    void anF64ValueBeyondFloat32sRangeIsRefusedAndNothingIsLoaded() throws IOException {
        Parameters saved = randomNetwork(Precision.FLOAT64, 10);
        saved.get("out.bias").value().data[1] = -1e39;   // the last tensor: every other one fits
        Path path = directory.resolve("float64.safetensors");
        saved.save(path);
        Parameters parameters = network(Precision.FLOAT32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parameters.load(path));
        assertEquals(path + "'s value -1.0E39 for out.bias[1] is beyond float32's range (±3.4028235E38): the float32"
                + " parameter cannot hold it", e.getMessage());
        for (Parameter parameter : parameters) {
            assertArrayEquals(new double[parameter.size()], values(parameter), parameter.name() + ": all or nothing");
        }
        saved.get("out.bias").value().data[1] = Double.NEGATIVE_INFINITY;   // an infinity the file has loads as one
        saved.save(path);
        parameters.load(path);
        assertEquals(Float.NEGATIVE_INFINITY, parameters.get("out.bias").floatValue().data[1]);
    }
}
