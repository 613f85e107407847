package dev.unfold.runtime.data;

import dev.unfold.runtime.internal.Json;
import dev.unfold.runtime.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The symbols a network reads and writes, numbered 0..size−1: the characters of a text for a
 * character-level language model, or string tokens (words, amino acids, ...). Indices are what a
 * token network takes (each in [0, size)) and one-hot rows are what a dense one takes.
 *
 * <p>A vocabulary built from a text or from tokens is sorted, so the same symbols always get the
 * same indices whatever order the data came in. Saved next to a checkpoint ({@link #save}), it
 * keeps the indices the weights were trained with. An unknown symbol or index is an
 * {@link IllegalArgumentException} naming it and the vocabulary's size.
 *
 * <p>Characters are Java {@code char}s (UTF-16 code units): a character outside the Basic
 * Multilingual Plane counts as its two surrogates. Plain text such as the bundled corpus has none.
 */
public final class Vocabulary {
    /** The "format" a saved vocabulary declares, so that some other JSON file is recognised as not one. */
    private static final String FORMAT = "unfold-vocabulary";
    /**
     * The largest vocabulary file {@link #load} reads, the bound safetensors sets on its header: a
     * million symbols of a hundred characters each fit many times over.
     */
    static final long MAX_FILE_BYTES = 100_000_000;

    private final List<String> symbols;
    private final Map<String, Integer> indices;
    /** For a character vocabulary, index by character (−1 where none); {@code null} for tokens. */
    private final int[] characterIndices;

    private Vocabulary(List<String> symbols) {
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("a vocabulary needs at least one symbol, got none");
        }
        this.symbols = List.copyOf(symbols);
        this.indices = new HashMap<>();
        boolean characters = true;
        char largest = 0;
        for (int i = 0; i < this.symbols.size(); i++) {
            String symbol = this.symbols.get(i);
            if (symbol.isEmpty()) {
                throw new IllegalArgumentException("symbol " + i + " is empty: every symbol needs at least one character");
            }
            Integer earlier = indices.putIfAbsent(symbol, i);
            if (earlier != null) {
                throw new IllegalArgumentException("the symbol " + describe(symbol) + " appears twice, at "
                        + earlier + " and " + i);
            }
            characters &= symbol.length() == 1;
            largest = (char) Math.max(largest, symbol.charAt(0));
        }
        if (characters) {
            characterIndices = new int[largest + 1];
            Arrays.fill(characterIndices, -1);
            for (int i = 0; i < this.symbols.size(); i++) {
                characterIndices[this.symbols.get(i).charAt(0)] = i;
            }
        } else {
            characterIndices = null;
        }
    }

    /** The distinct characters of {@code text}, sorted by their {@code char} value. */
    public static Vocabulary ofCharacters(CharSequence text) {
        Objects.requireNonNull(text, "text");
        boolean[] seen = new boolean[Character.MAX_VALUE + 1];
        for (int i = 0; i < text.length(); i++) {
            seen[text.charAt(i)] = true;
        }
        List<String> symbols = new ArrayList<>();
        for (int c = 0; c < seen.length; c++) {
            if (seen[c]) {
                symbols.add(String.valueOf((char) c));
            }
        }
        return new Vocabulary(symbols);
    }

    /** The distinct tokens, sorted ({@link String#compareTo}). Repeats are fine: pass a whole tokenised text. */
    public static Vocabulary ofTokens(Iterable<String> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        TreeSet<String> distinct = new TreeSet<>();
        for (String token : tokens) {
            distinct.add(Objects.requireNonNull(token, "a token is null"));
        }
        return new Vocabulary(new ArrayList<>(distinct));
    }

    /**
     * Exactly these symbols, in this order: symbol i gets index i. For a fixed alphabet such as the
     * 20 amino acids. Duplicates and empty symbols are errors.
     */
    public static Vocabulary ofSymbols(List<String> symbols) {
        Objects.requireNonNull(symbols, "symbols");
        for (int i = 0; i < symbols.size(); i++) {
            Objects.requireNonNull(symbols.get(i), "symbols[" + i + "] is null");
        }
        return new Vocabulary(symbols);
    }

    /** Number of symbols: the input size of a one-hot network, the vocabulary of a token network. */
    public int size() {
        return symbols.size();
    }

    /** Whether every symbol is one character, so that {@link #encode} and {@link #index(char)} apply. */
    public boolean isCharacters() {
        return characterIndices != null;
    }

    /** The index of character {@code c}. */
    public int index(char c) {
        if (characterIndices != null) {
            int index = c < characterIndices.length ? characterIndices[c] : -1;
            if (index < 0) {
                throw unknown(String.valueOf(c), "");
            }
            return index;
        }
        return index(String.valueOf(c));
    }

    /** The index of {@code symbol}. */
    public int index(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        Integer index = indices.get(symbol);
        if (index == null) {
            throw unknown(symbol, "");
        }
        return index;
    }

    /** Whether {@code symbol} is in the vocabulary. */
    public boolean contains(String symbol) {
        return indices.containsKey(symbol);
    }

    /** The symbol at {@code index}. */
    public String symbol(int index) {
        if (index < 0 || index >= symbols.size()) {
            throw new IllegalArgumentException("index " + index + " is outside the vocabulary [0, " + symbols.size() + ")");
        }
        return symbols.get(index);
    }

    /** The symbols in index order. */
    public List<String> symbols() {
        return symbols;
    }

    /**
     * The index of every character of {@code text}, for a character vocabulary.
     *
     * @throws IllegalStateException if some symbol is longer than one character
     * @throws IllegalArgumentException at the first character not in the vocabulary, naming its position
     */
    public int[] encode(CharSequence text) {
        Objects.requireNonNull(text, "text");
        if (characterIndices == null) {
            throw new IllegalStateException("encode reads characters, but this vocabulary's symbols include "
                    + describe(firstLongSymbol()) + ": look tokens up with index(String)");
        }
        int[] encoded = new int[text.length()];
        for (int i = 0; i < encoded.length; i++) {
            char c = text.charAt(i);
            int index = c < characterIndices.length ? characterIndices[c] : -1;
            if (index < 0) {
                throw unknown(String.valueOf(c), " at text[" + i + "]");
            }
            encoded[i] = index;
        }
        return encoded;
    }

    /** The symbols at {@code indices}, one after another: the text a character model generated. */
    public String decode(int[] indices) {
        return decode(indices, "");
    }

    /** The symbols at {@code indices} with {@code separator} between them, such as " " for words. */
    public String decode(int[] indices, String separator) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(separator, "separator");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < indices.length; i++) {
            int index = indices[i];
            if (index < 0 || index >= symbols.size()) {
                throw new IllegalArgumentException("indices[" + i + "] is " + index + ", outside the vocabulary [0, "
                        + symbols.size() + ")");
            }
            text.append(i == 0 ? "" : separator).append(symbols.get(index));
        }
        return text.toString();
    }

    /** Writes the one-hot row of {@code index} into {@code into} (size() values) and returns it. */
    public double[] oneHot(int index, double[] into) {
        Objects.requireNonNull(into, "into");
        if (into.length != symbols.size()) {
            throw new IllegalArgumentException("into has " + into.length + " values, expected " + symbols.size()
                    + " (the vocabulary's size)");
        }
        symbol(index); // the range check, with its message
        Arrays.fill(into, 0.0);
        into[index] = 1.0;
        return into;
    }

    /**
     * Writes the symbols in index order to a small JSON file, one symbol a line, atomically:
     * <pre>
     * {
     *   "format": "unfold-vocabulary",
     *   "symbols": [
     *     "\n",
     *     " ",
     *     ...
     *   ]
     * }
     * </pre>
     */
    public void save(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        StringBuilder json = new StringBuilder("{\n  \"format\": ").append(Json.quote(FORMAT)).append(",\n")
                .append("  \"symbols\": [\n");
        for (int i = 0; i < symbols.size(); i++) {
            json.append("    ").append(Json.quote(symbols.get(i))).append(i + 1 < symbols.size() ? ",\n" : "\n");
        }
        json.append("  ]\n}\n");
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(bytes));
    }

    /**
     * Reads a vocabulary written by {@link #save}; its symbols keep their indices.
     *
     * @throws IOException if the file cannot be read or is not a vocabulary file
     */
    public static Vocabulary load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            // checked before reading: a huge file would otherwise end in an OutOfMemoryError
            throw new IOException(file + " is not a vocabulary file: it has " + size + " bytes, more than the "
                    + MAX_FILE_BYTES + " a vocabulary file may have");
        }
        try {
            String text = Json.decodeUtf8(ByteBuffer.wrap(Files.readAllBytes(file)), "the file");
            if (!(Json.parse(text) instanceof Map<?, ?> object)) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            if (!FORMAT.equals(object.get("format"))) {
                throw new IllegalArgumentException("expected \"format\": \"" + FORMAT + "\", got " + object.get("format"));
            }
            if (!(object.get("symbols") instanceof List<?> list)) {
                throw new IllegalArgumentException("expected \"symbols\" to be a list of strings");
            }
            List<String> symbols = new ArrayList<>(list.size());
            for (Object symbol : list) {
                if (!(symbol instanceof String string)) {
                    throw new IllegalArgumentException("symbol " + symbols.size() + " is " + symbol + ", not a string");
                }
                symbols.add(string);
            }
            return new Vocabulary(symbols);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a vocabulary file: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary vocabulary && symbols.equals(vocabulary.symbols);
    }

    @Override
    public int hashCode() {
        return symbols.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary of " + symbols.size() + (isCharacters() ? " characters" : " tokens");
    }

    private IllegalArgumentException unknown(String symbol, String where) {
        return new IllegalArgumentException("unknown symbol " + describe(symbol) + where + ": not among the "
                + symbols.size() + " symbols of the vocabulary");
    }

    private String firstLongSymbol() {
        for (String symbol : symbols) {
            if (symbol.length() > 1) {
                return symbol;
            }
        }
        throw new AssertionError("a token vocabulary has a symbol longer than one character");
    }

    /** A symbol as an error message shows it: quoted, control characters escaped, one character with its code. */
    static String describe(String symbol) {
        StringBuilder text = new StringBuilder(symbol.length() == 1 ? "'" : "\"");
        for (int i = 0; i < symbol.length(); i++) {
            char c = symbol.charAt(i);
            switch (c) {
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> text.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        text.append(symbol.length() == 1 ? "'" : "\"");
        if (symbol.length() == 1) {
            text.append(String.format(" (U+%04X)", (int) symbol.charAt(0)));
        }
        return text.toString();
    }
}
