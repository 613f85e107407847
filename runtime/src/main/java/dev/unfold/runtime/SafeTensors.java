package dev.unfold.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes safetensors files, the weight format of PyTorch and the Hugging Face ecosystem:
 * an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
 * range, then the tensors' bytes, little-endian and row-major.
 *
 * <p>Reading checks everything before returning anything: the header, every dtype and shape
 * against its byte range, and that the ranges tile the data exactly, so a truncated or corrupt
 * file is an {@link IOException} naming what is wrong, never a partial result. F64 and F32 are read
 * (PyTorch saves float32 by default); everything is written as F64. Writing goes to a temporary
 * file that is then renamed over the target, so a crash never leaves a half-written file.
 */
public final class SafeTensors {
    /** Headers past this size are refused as corrupt rather than allocated. */
    private static final long MAX_HEADER = 100L << 20;

    /** One tensor: its shape and its values, row-major. */
    public record Tensor(long[] shape, double[] values) {

        /** A tensor of the given shape; the values' count must be the shape's product. */
        public Tensor {
            if (product(shape) != values.length) {
                throw new IllegalArgumentException("shape " + describe(shape) + " holds " + product(shape)
                        + " values, got " + values.length);
            }
        }

        /** The shape as PyTorch prints it, e.g. [20, 4]. */
        public String shapeText() {
            return describe(shape);
        }
    }

    private SafeTensors() {}

    /** Every tensor in {@code file} by name, in the order of their data. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid safetensors file: " + e.getMessage(), e);
        }
    }

    /** Writes {@code tensors} to {@code file} atomically, in the map's order, as F64. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                header.append(first ? "" : ",").append(Json.quote(entry.getKey())).append(':')
                        .append(Json.quote(entry.getValue()));
                first = false;
            }
            header.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            long size = 8L * entry.getValue().values().length;
            header.append(header.length() > 1 ? "," : "").append(Json.quote(entry.getKey()))
                    .append(":{\"dtype\":\"F64\",\"shape\":").append(describe(entry.getValue().shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + size).append("]}");
            offset += size;
        }
        header.append('}');
        while ((8 + header.length()) % 8 != 0) {
            header.append(' '); // the format pads the header so the data starts 8-byte aligned
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);

        AtomicFile.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
            out.write(length.array());
            out.write(json);
            for (Tensor tensor : tensors.values()) {
                ByteBuffer data = ByteBuffer.allocate(8 * tensor.values().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asDoubleBuffer().put(tensor.values());
                out.write(data.array());
            }
        });
    }

    static Map<String, Tensor> parse(byte[] bytes) {
        if (bytes.length < 8) {
            throw new IllegalArgumentException("it has " + bytes.length + " bytes, fewer than the 8 of the header length");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
            throw new IllegalArgumentException("its header length " + headerLength + " does not fit its "
                    + bytes.length + " bytes");
        }
        String json = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        if (!json.startsWith("{")) {
            throw new IllegalArgumentException("its header does not start with '{'");
        }
        if (!(Json.parse(json) instanceof Map<?, ?> header)) {
            throw new IllegalArgumentException("its header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = bytes.length - dataStart;
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> item : header.entrySet()) {
            String name = (String) item.getKey();
            if (!name.equals("__metadata__")) {
                entries.add(entry(name, item.getValue(), dataLength));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        for (Entry entry : entries) {
            if (entry.begin() != expected) {
                throw new IllegalArgumentException("tensor " + entry.name() + " starts at byte " + entry.begin()
                        + " of the data, expected " + expected + ": the byte ranges must tile the data");
            }
            expected = entry.end();
        }
        if (expected != dataLength) {
            throw new IllegalArgumentException("its tensors cover " + expected + " bytes of data, but " + dataLength
                    + " follow the header");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry entry : entries) {
            tensors.put(entry.name(), entry.decode(bytes, dataStart));
        }
        return tensors;
    }

    /** A header entry, checked against the data it points into. */
    private record Entry(String name, String dtype, long[] shape, long begin, long end) {

        Tensor decode(byte[] bytes, int dataStart) {
            int count = (int) product(shape);
            ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[count];
            if (dtype.equals("F64")) {
                data.asDoubleBuffer().get(values);
            } else {
                for (int i = 0; i < count; i++) {
                    values[i] = data.getFloat();
                }
            }
            return new Tensor(shape, values);
        }
    }

    private static Entry entry(String name, Object description, long dataLength) {
        if (!(description instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("tensor " + name + " is not described by an object");
        }
        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new IllegalArgumentException("tensor " + name + " has no dtype");
        }
        int width = switch (dtype) {
            case "F64" -> 8;
            case "F32" -> 4;
            default -> throw new IllegalArgumentException("tensor " + name + " has dtype " + dtype
                    + "; Unfold reads F64 and F32 (convert with tensor.double() or tensor.float())");
        };
        long[] shape = longs(fields.get("shape"), name, "shape");
        long[] offsets = longs(fields.get("data_offsets"), name, "data_offsets");
        if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) {
            throw new IllegalArgumentException("tensor " + name + " has data_offsets " + describe(offsets));
        }
        if (offsets[1] > dataLength) {
            throw new IllegalArgumentException("tensor " + name + " ends at byte " + offsets[1] + " but the data has "
                    + dataLength + ": the file is truncated");
        }
        long count = product(shape);
        if (count < 0 || count > Integer.MAX_VALUE - 8 || count * width != offsets[1] - offsets[0]) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + describe(shape) + " and dtype " + dtype
                    + " needs " + count * width + " bytes, but its range holds " + (offsets[1] - offsets[0]));
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(Object value, String name, String field) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("tensor " + name + " has no " + field + " list");
        }
        long[] longs = new long[list.size()];
        for (int i = 0; i < longs.length; i++) {
            if (!(list.get(i) instanceof Long number) || number < 0) {
                throw new IllegalArgumentException("tensor " + name + " has a bad " + field + " entry " + list.get(i));
            }
            longs[i] = number;
        }
        return longs;
    }

    static long product(long[] shape) {
        long product = 1;
        for (long dimension : shape) {
            if (dimension != 0 && product > Long.MAX_VALUE / dimension) {
                return -1;
            }
            product *= dimension;
        }
        return product;
    }

    static String describe(long[] shape) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return text.append(']').toString();
    }
}
