package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path directory;

    /** A file laid out by hand, as another writer would: header JSON and raw little-endian bytes. */
    private Path file(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json).put(data);
        Path path = directory.resolve("hand.safetensors");
        Files.write(path, bytes.array());
        return path;
    }

    private static byte[] doubles(double... values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return bytes.array();
    }

    private static byte[] floats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    @Test
    void writtenFileReadsBackExactlyAndIsAligned() throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", new SafeTensors.Tensor(new long[] {2, 3}, new double[] {1, -2, 3.5, Math.PI, 0, -0.0}));
        tensors.put("a.bias", new SafeTensors.Tensor(new long[] {2}, new double[] {Double.MIN_VALUE, 1e300}));
        Path path = directory.resolve("w.safetensors");
        SafeTensors.write(path, tensors, Map.of("format", "pt"));
        Map<String, SafeTensors.Tensor> read = SafeTensors.read(path);
        assertEquals(List.of("a.weight", "a.bias"), List.copyOf(read.keySet()));
        assertArrayEquals(new long[] {2, 3}, read.get("a.weight").shape());
        assertArrayEquals(tensors.get("a.weight").values(), read.get("a.weight").values());
        assertArrayEquals(tensors.get("a.bias").values(), read.get("a.bias").values());
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(path), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data starts 8-byte aligned");
        try (var listing = Files.list(directory)) {
            assertEquals(List.of(path), listing.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void readsFloat32AsPyTorchSavesByDefault() throws IOException {
        Path path = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", floats(0.5f, -1.25f, 3f));
        assertArrayEquals(new double[] {0.5, -1.25, 3}, SafeTensors.read(path).get("w").values());
    }

    @Test
    void truncatedFileIsAnError() throws IOException {
        Path path = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]}}", doubles(1, 2));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(path));
        assertTrue(e.getMessage().contains("tensor w ends at byte 24 but the data has 16: the file is truncated"),
                e.getMessage());
    }

    @Test
    void shapeThatDisagreesWithItsBytesIsAnError() throws IOException {
        Path path = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,24]}}", doubles(1, 2, 3));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(path));
        assertTrue(e.getMessage().contains("needs 32 bytes, but its range holds 24"), e.getMessage());
    }

    @Test
    void gapsAndTrailingBytesAreErrors() throws IOException {
        Path gap = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", doubles(1, 2));
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(gap)).getMessage()
                .contains("starts at byte 8 of the data, expected 0"));
        Path trailing = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", doubles(1, 2));
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(trailing)).getMessage()
                .contains("cover 8 bytes of data, but 16 follow the header"));
    }

    @Test
    void corruptHeadersAreErrors() throws IOException {
        Path notJson = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]", doubles(1));
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(notJson)).getMessage().contains("bad JSON"));
        Path dtype = file("{\"w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", new byte[2]);
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(dtype)).getMessage()
                .contains("has dtype BF16; Unfold reads F64 and F32"));
        Path duplicate = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", doubles(1));
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(duplicate)).getMessage()
                .contains("duplicate key"));
        Path tiny = directory.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(tiny)).getMessage()
                .contains("fewer than the 8"));
        Path huge = directory.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(huge)).getMessage()
                .contains("does not fit"));
    }

    @Test
    void metadataIsSkippedAndEscapesAreRead() throws IOException {
        Path path = file("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"a \\\"quoted\\\" \\u00e9\"},"
                + "\"w\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}   ", doubles(7));
        Map<String, SafeTensors.Tensor> read = SafeTensors.read(path);
        assertEquals(List.of("w"), List.copyOf(read.keySet()));
        assertEquals(7, read.get("w").values()[0]);
        assertEquals(0, read.get("w").shape().length);
    }

    @Test
    void sameValuesGiveTheSameBytes() throws IOException {
        Parameters parameters = new Parameters(List.of(Parameter.matrix("m.weight", 2, 2), Parameter.vector("m.bias", 2)));
        Arrays.fill(parameters.get("m.weight").value().data, 0.25);
        Path first = directory.resolve("1.safetensors");
        Path second = directory.resolve("2.safetensors");
        parameters.save(first);
        parameters.save(second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }
}
