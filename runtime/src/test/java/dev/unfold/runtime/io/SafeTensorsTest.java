package dev.unfold.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import java.io.IOException;
import java.io.RandomAccessFile;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

    /** A file laid out by hand from the header's raw bytes, which need not be valid UTF-8. */
    private Path file(byte[] json, byte[] data) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json).put(data);
        Path path = directory.resolve("raw.safetensors");
        Files.write(path, bytes.array());
        return path;
    }

    /**
     * A file of {@code size} bytes that starts with {@code header}'s length and bytes and is zero
     * after them, sparse where the file system allows, so that a huge file costs no disk.
     */
    private Path sparse(String header, long size) throws IOException {
        Path path = directory.resolve("sparse.safetensors");
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            file.write(json);
            file.setLength(size);
        }
        return path;
    }

    private static String message(Path path) {
        return assertThrows(IOException.class, () -> SafeTensors.read(path)).getMessage();
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
        assertEquals(Precision.FLOAT32, SafeTensors.read(path).get("w").precision(), "the file's dtype is kept");
    }

    @Test
    void float32TensorsAreWrittenAsF32AndReadBackBitForBit() throws IOException {
        float[] floats = {0.1f, -Float.MIN_VALUE, Float.MAX_VALUE, 1 / 3f, -0f, Float.MIN_NORMAL};
        double[] widened = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            widened[i] = floats[i];
        }
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", new SafeTensors.Tensor(new long[] {2, 3}, widened, Precision.FLOAT32));
        tensors.put("a.bias", new SafeTensors.Tensor(new long[] {1}, new double[] {Math.PI}));
        Path path = directory.resolve("f32.safetensors");
        SafeTensors.write(path, tensors, Map.of());

        byte[] bytes = Files.readAllBytes(path);
        int headerEnd = 8 + (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, headerEnd - 8, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header);
        assertTrue(header.contains("\"a.bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[24,32]}"), header);
        assertEquals(headerEnd + 24 + 8, bytes.length, "4 bytes a float, 8 a double");
        ByteBuffer data = ByteBuffer.wrap(bytes, headerEnd, 24).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : floats) {
            assertEquals(Float.floatToRawIntBits(value), data.getInt(), "the float's own bits");
        }

        Map<String, SafeTensors.Tensor> read = SafeTensors.read(path);
        assertEquals(Precision.FLOAT32, read.get("a.weight").precision());
        assertEquals(Precision.FLOAT64, read.get("a.bias").precision());
        assertArrayEquals(widened, read.get("a.weight").values());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(read.get("a.weight").values()[4]));
    }

    @Test
    void aFloat32TensorHoldsFloatsOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SafeTensors.Tensor(new long[] {3}, new double[] {0.5, 0.1, Double.NaN}, Precision.FLOAT32));
        assertEquals("values[1] is 0.1, which is not a float: an F32 tensor holds floats only (round with (float)"
                + " first, or write F64)", e.getMessage());
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, (float) 0.1};
        assertEquals(4, new SafeTensors.Tensor(new long[] {4}, specials, Precision.FLOAT32).values().length);
    }

    @Test
    void aFloat32RangeThatDisagreesWithItsShapeIsAnError() throws IOException {
        // 3 floats are 12 bytes: a range of 24 (what 3 doubles would take) is refused, as is one of 8
        Path wide = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,24]}}", doubles(1, 2, 3));
        assertTrue(message(wide).contains("tensor w of shape [3] and dtype F32 needs 12 bytes, but its range holds 24"),
                message(wide));
        Path narrow = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floats(1, 2));
        assertTrue(message(narrow).contains("needs 12 bytes, but its range holds 8"), message(narrow));
        Path truncated = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", floats(1, 2));
        assertTrue(message(truncated).contains("tensor w ends at byte 12 but the data has 8: the file is truncated"),
                message(truncated));
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

    @Test
    void deeplyNestedHeadersAreRefusedNotRecursedInto() throws IOException {
        for (int depth : new int[] {129, 5_000, 1_000_000}) {
            Path path = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8],\"x\":"
                    + "[".repeat(depth - 2) + "]".repeat(depth - 2) + "}}", doubles(1));
            String message = message(path);
            assertTrue(message.contains("nested more than 128 levels deep"), message);
        }
        // as deep as the format's reference parser goes is still read (the outer object and the entry are 2 levels)
        Path deepest = file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8],\"x\":"
                + "[".repeat(126) + "]".repeat(126) + "}}", doubles(5));
        assertEquals(5, SafeTensors.read(deepest).get("w").values()[0]);
    }

    @Test
    void aHeaderLargerThanTheFormatAllowsIsRefusedBeforeItIsRead() throws IOException {
        // the reference implementation's bound is 100,000,000 bytes; a file that big is sparse here
        Path path = directory.resolve("big-header.safetensors");
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001).array());
            file.write('{');
            file.setLength(8 + 100_000_001L + 8);
        }
        String message = message(path);
        assertTrue(message.contains("header of 100000001 bytes is larger than the 100000000 bytes the format allows"),
                message);
        Path negative = directory.resolve("negative.safetensors");
        Files.write(negative, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertTrue(message(negative).contains("header length 18446744073709551615 does not fit its 16 bytes"),
                message(negative));
    }

    @Test
    void aHugeFileIsCheckedAgainstItsHeaderBeforeItsDataIsRead() throws IOException {
        // 3 GiB, more than a byte array holds: its header declares 8 bytes of data
        String small = "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        Path trailing = sparse(small, 3L << 30);
        String message = message(trailing);
        assertTrue(message.contains("its tensors cover 8 bytes of data, but " + ((3L << 30) - 8 - small.length())
                + " follow the header"), message);
        // a consistent header whose one tensor holds more doubles than any heap of this test's JVM
        long count = Integer.MAX_VALUE - 8;
        String header = "{\"w\":{\"dtype\":\"F64\",\"shape\":[" + count + "],\"data_offsets\":[0," + 8 * count
                + "]}}";
        Path huge = sparse(header, 8 + header.length() + 8 * count);
        assumeTrue(Runtime.getRuntime().maxMemory() < 8 * count, "a heap of 16 GiB would hold it");
        message = message(huge);
        assertTrue(message.contains("its tensors hold 2147483639 values, 17179869112 bytes as doubles, more than this"
                + " JVM's maximum heap"), message);
    }

    @Test
    void headersThatBreakTheFormatAreRefused() throws IOException {
        String w = "\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}";
        assertTrue(message(file("{\"__metadata__\":{\"epoch\":5}," + w + "}", doubles(1)))
                .contains("its __metadata__ field \"epoch\" is 5, not a string"));
        assertTrue(message(file("{\"__metadata__\":{\"note\":[\"a\"]}," + w + "}", doubles(1)))
                .contains("its __metadata__ field \"note\" is [a], not a string"));
        assertTrue(message(file("{\"__metadata__\":\"pt\"," + w + "}", doubles(1)))
                .contains("its __metadata__ is pt, not an object of strings"));
        assertTrue(message(file("{\"__metadata__\":{\"note\":\"\\udc00\"}," + w + "}", doubles(1)))
                .contains("holds a lone surrogate \\udc00"));
        assertTrue(message(file("{\"\\ud800\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                doubles(1))).contains("a tensor name holds a lone surrogate \\ud800"));
        assertTrue(message(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[01],\"data_offsets\":[0,8]}}", doubles(1)))
                .contains("leading zero"));
        assertTrue(message(file("{\"w\nx\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                doubles(1))).contains("control character (U+000A) in a string must be escaped"));
        assertTrue(message(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[\u0661],\"data_offsets\":[0,8]}}",
                doubles(1))).contains("bad JSON"), "only ASCII digits are JSON's");
        assertTrue(message(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904,4],"
                + "\"data_offsets\":[0,8]}}", doubles(1))).contains("more values than a long counts"));
    }

    @Test
    void aHeaderThatIsNotUtf8IsRefused() throws IOException {
        byte[] good = "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xC0, (byte) 0xA2},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {   // stray, cut short, overlong, a surrogate
            byte[] json = new byte[good.length + bad.length];
            System.arraycopy(good, 0, json, 0, 2);   // {"
            System.arraycopy(bad, 0, json, 2, bad.length);   // the name starts with the bad bytes
            System.arraycopy(good, 2, json, 2 + bad.length, good.length - 2);
            String message = message(file(json, doubles(1)));
            assertTrue(message.contains("its header is not valid UTF-8: byte 2 of the header starts a malformed"
                    + " sequence"), message);
        }
    }

    @Test
    void rangesMustTileTheDataWithoutOverlapButEmptyTensorsMayShareAnOffset() throws IOException {
        Path overlap = file("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", doubles(1, 2));
        assertTrue(message(overlap).contains("tensor b starts at byte 8 of the data, expected 16: the byte ranges must"
                + " tile the data (they overlap)"), message(overlap));
        // an empty tensor's range is empty wherever it starts, even after the tensor that ends there
        Path empty = file("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"e\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[0,0]}}", doubles(1, 2));
        Map<String, SafeTensors.Tensor> read = SafeTensors.read(empty);
        assertEquals(0, read.get("e").values().length);
        assertArrayEquals(new double[] {1, 2}, read.get("a").values());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyCorruptionOfAValidFileIsAnIOExceptionAndChangesNothing(Precision precision) throws IOException {
        Parameters saved = new Parameters(List.of(Parameter.matrix("m.weight", 2, 3, precision),
                Parameter.vector("m.bias", 2, precision)));
        for (Parameter parameter : saved) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setValue(i, 0.5);
            }
        }
        Path path = directory.resolve("valid.safetensors");
        saved.save(path);
        byte[] valid = Files.readAllBytes(path);
        int headerEnd = 8 + (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(valid, 8, headerEnd - 8, StandardCharsets.US_ASCII);
        // the one place a changed byte may leave a valid file: a letter of the metadata's free text
        String metadata = "{\"format\":\"pt\",\"producer\":\"Unfold\"}";
        int metadataAt = 8 + header.indexOf(metadata);
        assertTrue(metadataAt > 8, header);

        Map<String, byte[]> corruptions = new LinkedHashMap<>();
        for (int length = 0; length < valid.length; length++) {
            corruptions.put("the first " + length + " bytes", Arrays.copyOf(valid, length));
        }
        byte[] replacements = {0, 1, 0x7F, '"', '{', '}', '[', ']', ',', ':', '-', '0', '9', 'e', (byte) 0x80, (byte) 0xC3,
                (byte) 0xFF};
        for (int at = 0; at < headerEnd; at++) {   // every byte of the length and the header
            boolean freeText = at >= metadataAt && at < metadataAt + metadata.length()
                    && Character.isLetter(metadata.charAt(at - metadataAt));
            for (byte replacement : replacements) {
                boolean stillText = freeText && replacement >= 0x20 && replacement != '"';   // ASCII, not a quote
                if (valid[at] != replacement && !stillText) {
                    byte[] corrupt = valid.clone();
                    corrupt[at] = replacement;
                    corruptions.put("byte " + at + " set to " + (replacement & 0xFF), corrupt);
                }
            }
        }
        for (int at = 0; at < 8; at++) {   // the length's bytes at their extremes
            byte[] corrupt = valid.clone();
            corrupt[at] = (byte) 0x7F;
            corruptions.put("length byte " + at + " set to 127", corrupt);
        }
        for (Map.Entry<String, byte[]> corruption : corruptions.entrySet()) {
            Files.write(path, corruption.getValue());
            Parameters loaded = new Parameters(List.of(Parameter.matrix("m.weight", 2, 3, precision),
                    Parameter.vector("m.bias", 2, precision)));
            loaded.get("m.bias").setValue(0, 7);
            loaded.get("m.bias").setValue(1, 7);
            Exception refused = assertThrows(Exception.class, () -> loaded.load(path), corruption.getKey());
            // a file that breaks the format is an IOException; one that is valid but another network's, a misfit
            assertTrue(refused instanceof IOException || refused instanceof IllegalArgumentException,
                    corruption.getKey() + ": " + refused);
            assertArrayEquals(new double[] {7, 7}, values(loaded.get("m.bias")), "all or nothing");
            assertArrayEquals(new double[6], values(loaded.get("m.weight")), "all or nothing");
        }
    }

    /** A parameter's values in either precision, widened. */
    private static double[] values(Parameter parameter) {
        double[] values = new double[parameter.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameter.value(i);
        }
        return values;
    }
}
