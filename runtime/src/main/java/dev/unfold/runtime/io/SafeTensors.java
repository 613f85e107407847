package dev.unfold.runtime.io;

import dev.unfold.Precision;
import dev.unfold.runtime.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes safetensors files, the weight format of PyTorch and the Hugging Face ecosystem:
 * an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
 * range, then the tensors' bytes, little-endian and row-major.
 *
 * <p>Reading checks everything before returning anything: the header, every dtype and shape
 * against its byte range, and that the ranges tile the data exactly, so a truncated or corrupt
 * file is an {@link IOException} naming what is wrong, never a partial result. F64 and F32 are read
 * and written, each tensor in its own dtype ({@link Tensor#precision()}); PyTorch saves float32 by
 * default. Values are held as {@code double} either way: an F32 value is widened exactly when read
 * and written back as the same float. Writing goes to a temporary file that is then renamed over the
 * target, so a crash never leaves a half-written file.
 */
public final class SafeTensors {
    /**
     * Headers past this size are refused as corrupt rather than allocated: the bound of the
     * format's reference implementation, 100,000,000 bytes.
     */
    private static final long MAX_HEADER = 100_000_000;
    /** The header's entry for free-form text, the one name that is not a tensor. */
    private static final String METADATA = "__metadata__";
    /** The most bytes of a tensor read at once: big tensors are converted a piece at a time. */
    private static final int CHUNK = 1 << 20;

    /**
     * One tensor: its shape, its values, row-major, and the precision of its dtype in the file: F64 for
     * {@link Precision#FLOAT64}, F32 for {@link Precision#FLOAT32}. The values of an F32 tensor are
     * floats widened to double, each exactly a float, so that writing them as F32 loses nothing.
     */
    public record Tensor(long[] shape, double[] values, Precision precision) {

        /**
         * A tensor of the given shape and precision; the values' count must be the shape's product, and
         * the values of a float32 tensor must be floats (NaN and the infinities are).
         */
        public Tensor {
            Objects.requireNonNull(precision, "precision");
            if (product(shape) != values.length) {
                throw new IllegalArgumentException("shape " + describe(shape) + " holds " + product(shape)
                        + " values, got " + values.length);
            }
            if (precision == Precision.FLOAT32) {
                for (int i = 0; i < values.length; i++) {
                    if ((float) values[i] != values[i] && !Double.isNaN(values[i])) {
                        throw new IllegalArgumentException("values[" + i + "] is " + values[i] + ", which is not a"
                                + " float: an F32 tensor holds floats only (round with (float) first, or write F64)");
                    }
                }
            }
        }

        /** A float64 tensor, written as F64. */
        public Tensor(long[] shape, double[] values) {
            this(shape, values, Precision.FLOAT64);
        }

        /** The dtype as the file names it: F64 or F32. */
        public String dtype() {
            return precision == Precision.FLOAT32 ? "F32" : "F64";
        }

        /** Bytes per value in the file: 8 or 4. */
        int width() {
            return precision == Precision.FLOAT32 ? 4 : 8;
        }

        /** The shape as PyTorch prints it, e.g. [20, 4]. */
        public String shapeText() {
            return describe(shape);
        }
    }

    private SafeTensors() {}

    /**
     * Every tensor in {@code file} by name, in the order of their data. Any file that breaks the
     * format is an {@link IOException} saying what is wrong, found before the data is read.
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid safetensors file: " + e.getMessage(), e);
        }
    }

    /** Writes {@code tensors} to {@code file} atomically, in the map's order, each in its own dtype (F64 or F32). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append(Json.quote(METADATA)).append(":{");
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
            Tensor tensor = entry.getValue();
            long size = (long) tensor.width() * tensor.values().length;
            header.append(header.length() > 1 ? "," : "").append(Json.quote(entry.getKey()))
                    .append(":{\"dtype\":\"").append(tensor.dtype())
                    .append("\",\"shape\":").append(describe(tensor.shape()).replace(" ", ""))
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
                ByteBuffer data = ByteBuffer.allocate(tensor.width() * tensor.values().length)
                        .order(ByteOrder.LITTLE_ENDIAN);
                if (tensor.precision() == Precision.FLOAT32) {
                    for (double value : tensor.values()) {
                        data.putFloat((float) value); // exact: the constructor checked that each is a float
                    }
                } else {
                    data.asDoubleBuffer().put(tensor.values());
                }
                out.write(data.array());
            }
        });
    }

    /**
     * Reads and checks the file through {@code channel}: the header first, then every tensor's
     * range against the file's size, and only then the data, tensor by tensor, so that a file
     * whose header does not match its size is refused before any of its data is read.
     */
    private static Map<String, Tensor> read(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new IllegalArgumentException("it has " + size + " bytes, fewer than the 8 of the header length");
        }
        long headerLength = readFully(channel, 0, 8).getLong();
        if (headerLength < 2 || headerLength > size - 8) {
            throw new IllegalArgumentException("its header length " + Long.toUnsignedString(headerLength)
                    + " does not fit its " + size + " bytes");
        }
        if (headerLength > MAX_HEADER) {
            throw new IllegalArgumentException("its header of " + headerLength + " bytes is larger than the "
                    + MAX_HEADER + " bytes the format allows");
        }
        Map<?, ?> header = header(readFully(channel, 8, (int) headerLength));
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> item : header.entrySet()) {
            String name = (String) item.getKey();
            if (name.equals(METADATA)) {
                metadata(item.getValue());
            } else {
                entries.add(entry(name, item.getValue(), dataLength));
            }
        }
        // the format's order: by range, a tensor of no bytes before the one that starts where it does
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        long values = 0;
        for (Entry entry : entries) {
            if (entry.begin() != expected) {
                throw new IllegalArgumentException("tensor " + entry.name() + " starts at byte " + entry.begin()
                        + " of the data, expected " + expected + ": the byte ranges must tile the data"
                        + (entry.begin() < expected ? " (they overlap)" : " (there is a gap)"));
            }
            expected = entry.end();
            values += entry.count();
        }
        if (expected != dataLength) {
            throw new IllegalArgumentException("its tensors cover " + expected + " bytes of data, but " + dataLength
                    + " follow the header");
        }
        requireRoomFor(values);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            for (Entry entry : entries) {
                tensors.put(entry.name(), entry.read(channel, dataStart));
            }
        } catch (OutOfMemoryError e) {
            // one large array that did not fit: nothing half-built survives, the caller gets no tensors
            throw new IllegalArgumentException("its " + values + " values do not fit in this JVM's memory (raise -Xmx)");
        }
        return tensors;
    }

    /** The header's JSON object: valid UTF-8, starting with '{', nested at most {@link Json#MAX_DEPTH} deep. */
    private static Map<?, ?> header(ByteBuffer bytes) {
        String json;
        try {
            json = Json.decodeUtf8(bytes, "the header");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its header is not valid UTF-8: " + e.getMessage());
        }
        if (!json.startsWith("{")) {
            throw new IllegalArgumentException("its header does not start with '{'");
        }
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException("its header of " + json.length() + " characters holds more values than"
                    + " this JVM's memory does (raise -Xmx)");
        }
        if (!(parsed instanceof Map<?, ?> header)) {
            throw new IllegalArgumentException("its header is not a JSON object");
        }
        for (Object name : header.keySet()) {
            requireUnicode((String) name, "a tensor name");
        }
        return header;
    }

    /** The format's {@code __metadata__}: an object whose every value is a string. */
    private static void metadata(Object metadata) {
        if (!(metadata instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("its " + METADATA + " is " + metadata
                    + ", not an object of strings");
        }
        for (Map.Entry<?, ?> field : fields.entrySet()) {
            if (!(field.getValue() instanceof String value)) {
                throw new IllegalArgumentException("its " + METADATA + " field \"" + field.getKey() + "\" is "
                        + field.getValue() + ", not a string: the format allows only strings there");
            }
            requireUnicode(value, METADATA + " field \"" + field.getKey() + "\"");
        }
    }

    /**
     * A string whose every surrogate is paired: JSON's escapes can spell a lone one, which has no
     * UTF-8 form, and the format's reference implementation refuses it.
     */
    private static void requireUnicode(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " holds a lone surrogate \\u"
                        + String.format("%04x", (int) c) + " at character " + i + ", which is not Unicode text");
            }
        }
    }

    /** Refuses tensors whose values could not all be held as doubles, before allocating any of them. */
    private static void requireRoomFor(long values) {
        long maximum = Runtime.getRuntime().maxMemory();
        if (maximum != Long.MAX_VALUE && values > maximum / 8) {
            throw new IllegalArgumentException("its tensors hold " + values + " values, " + 8 * values
                    + " bytes as doubles, more than this JVM's maximum heap of " + maximum + " bytes (raise -Xmx)");
        }
    }

    /** {@code length} bytes of the file from {@code position}, little-endian. */
    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, buffer, position);
        return buffer.flip();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IllegalArgumentException("it ended at byte " + position + " while it was read: was it"
                        + " being written?");
            }
            position += read;
        }
    }

    /** A header entry, checked against the data it points into. */
    private record Entry(String name, Precision precision, int width, long[] shape, long begin, long end) {

        /** Number of values. */
        long count() {
            return (end - begin) / width;
        }

        /** The values, read a piece of at most CHUNK bytes at a time. */
        Tensor read(FileChannel channel, long dataStart) throws IOException {
            double[] values = new double[(int) count()];
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            int at = 0;
            for (long position = dataStart + begin, stop = dataStart + end; position < stop; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), stop - position));
                readFully(channel, chunk, position);
                position += chunk.limit();
                chunk.flip();
                int n = chunk.remaining() / width;
                if (width == 8) {
                    chunk.asDoubleBuffer().get(values, at, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        values[at + i] = chunk.getFloat();
                    }
                }
                at += n;
            }
            return new Tensor(shape, values, precision);
        }
    }

    private static Entry entry(String name, Object description, long dataLength) {
        if (!(description instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("tensor " + name + " is not described by an object");
        }
        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new IllegalArgumentException("tensor " + name + " has no dtype");
        }
        Precision precision = switch (dtype) {
            case "F64" -> Precision.FLOAT64;
            case "F32" -> Precision.FLOAT32;
            default -> throw new IllegalArgumentException("tensor " + name + " has dtype " + dtype
                    + "; Unfold reads F64 and F32 (convert with tensor.double() or tensor.float())");
        };
        int width = precision == Precision.FLOAT32 ? 4 : 8;
        long[] shape = longs(fields.get("shape"), name, "shape");
        long[] offsets = longs(fields.get("data_offsets"), name, "data_offsets");
        if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) {
            throw new IllegalArgumentException("tensor " + name + " has data_offsets " + describe(offsets)
                    + ", expected [begin, end] with begin ≤ end");
        }
        if (offsets[1] > dataLength) {
            throw new IllegalArgumentException("tensor " + name + " ends at byte " + offsets[1] + " but the data has "
                    + dataLength + ": the file is truncated");
        }
        long count = product(shape);
        if (count < 0 || count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + describe(shape) + " has "
                    + (count < 0 ? "more values than a long counts" : count + " values") + ", more than a Java array"
                    + " holds");
        }
        if (count * width != offsets[1] - offsets[0]) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + describe(shape) + " and dtype " + dtype
                    + " needs " + count * width + " bytes, but its range holds " + (offsets[1] - offsets[0]));
        }
        return new Entry(name, precision, width, shape, offsets[0], offsets[1]);
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
