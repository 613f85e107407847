package dev.unfold.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
    @TempDir
    Path directory;

    @Test
    void charactersAreDistinctAndSorted() {
        Vocabulary vocabulary = Vocabulary.ofCharacters("hello world\n");
        assertEquals(List.of("\n", " ", "d", "e", "h", "l", "o", "r", "w"), vocabulary.symbols());
        assertEquals(9, vocabulary.size());
        assertTrue(vocabulary.isCharacters());
    }

    @Test
    void theOrderOfTheTextDoesNotChangeTheIndices() {
        assertEquals(Vocabulary.ofCharacters("abc"), Vocabulary.ofCharacters("cab"));
        assertEquals(Vocabulary.ofTokens(List.of("to", "be", "or")), Vocabulary.ofTokens(List.of("or", "to", "be")));
    }

    @Test
    void indexAndSymbolAreInverse() {
        Vocabulary vocabulary = Vocabulary.ofCharacters("to be or not to be");
        for (int i = 0; i < vocabulary.size(); i++) {
            assertEquals(i, vocabulary.index(vocabulary.symbol(i)));
            assertEquals(i, vocabulary.index(vocabulary.symbol(i).charAt(0)));
        }
    }

    @Test
    void encodeThenDecodeGivesTheTextBack() {
        String text = "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:";
        Vocabulary vocabulary = Vocabulary.ofCharacters(text);
        int[] encoded = vocabulary.encode(text);
        assertEquals(text.length(), encoded.length);
        assertEquals(vocabulary.index('S'), encoded[0]);
        assertEquals(text, vocabulary.decode(encoded));
    }

    @Test
    void tokensAreDistinctAndSorted() {
        Vocabulary vocabulary = Vocabulary.ofTokens(List.of("to", "be", "or", "not", "to", "be"));
        assertEquals(List.of("be", "not", "or", "to"), vocabulary.symbols());
        assertFalse(vocabulary.isCharacters());
        assertEquals(3, vocabulary.index("to"));
        assertEquals("to be or not", vocabulary.decode(new int[] {3, 0, 2, 1}, " "));
    }

    @Test
    void givenSymbolsKeepTheirOrder() {
        Vocabulary aminoAcids = Vocabulary.ofSymbols(List.of("K", "L", "A"));
        assertEquals(0, aminoAcids.index('K'));
        assertEquals(2, aminoAcids.index("A"));
        assertArrayEquals(new int[] {0, 1, 2}, aminoAcids.encode("KLA"));
    }

    @Test
    void duplicateOrEmptySymbolsAreErrors() {
        assertEquals("the symbol 'K' (U+004B) appears twice, at 0 and 2",
                assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofSymbols(List.of("K", "L", "K")))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofSymbols(List.of("K", "")));
        assertEquals("a vocabulary needs at least one symbol, got none",
                assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofCharacters("")).getMessage());
    }

    @Test
    void anUnknownCharacterIsNamedWithTheVocabularySize() {
        Vocabulary vocabulary = Vocabulary.ofCharacters("abc");
        assertEquals("unknown symbol 'z' (U+007A): not among the 3 symbols of the vocabulary",
                assertThrows(IllegalArgumentException.class, () -> vocabulary.index('z')).getMessage());
        assertEquals("unknown symbol '\\n' (U+000A) at text[2]: not among the 3 symbols of the vocabulary",
                assertThrows(IllegalArgumentException.class, () -> vocabulary.encode("ab\nc")).getMessage());
    }

    @Test
    void anUnknownTokenIsNamedWithTheVocabularySize() {
        Vocabulary vocabulary = Vocabulary.ofTokens(List.of("to", "be"));
        assertEquals("unknown symbol \"or\": not among the 2 symbols of the vocabulary",
                assertThrows(IllegalArgumentException.class, () -> vocabulary.index("or")).getMessage());
        assertFalse(vocabulary.contains("or"));
        assertTrue(vocabulary.contains("to"));
    }

    @Test
    void anIndexOutsideTheVocabularyIsNamed() {
        Vocabulary vocabulary = Vocabulary.ofCharacters("abc");
        assertEquals("index 3 is outside the vocabulary [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> vocabulary.symbol(3)).getMessage());
        assertEquals("indices[1] is -1, outside the vocabulary [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> vocabulary.decode(new int[] {0, -1})).getMessage());
    }

    @Test
    void encodeNeedsACharacterVocabulary() {
        Vocabulary vocabulary = Vocabulary.ofTokens(List.of("a", "to"));
        assertEquals("encode reads characters, but this vocabulary's symbols include \"to\": look tokens up with"
                + " index(String)", assertThrows(IllegalStateException.class, () -> vocabulary.encode("a")).getMessage());
        assertEquals(0, vocabulary.index('a'));
    }

    @Test
    void oneHotWritesASingleOneIntoTheBuffer() {
        Vocabulary vocabulary = Vocabulary.ofCharacters("abcd");
        double[] row = {7, 7, 7, 7};
        assertTrue(row == vocabulary.oneHot(2, row), "the buffer given is the one returned");
        assertArrayEquals(new double[] {0, 0, 1, 0}, row);
        vocabulary.oneHot(0, row);
        assertArrayEquals(new double[] {1, 0, 0, 0}, row);
    }

    @Test
    void oneHotChecksTheBufferAndTheIndex() {
        Vocabulary vocabulary = Vocabulary.ofCharacters("abcd");
        assertEquals("into has 3 values, expected 4 (the vocabulary's size)",
                assertThrows(IllegalArgumentException.class, () -> vocabulary.oneHot(0, new double[3])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> vocabulary.oneHot(4, new double[4]));
    }

    @Test
    void savedAndLoadedVocabularyKeepsItsIndices() throws IOException {
        Vocabulary vocabulary = Vocabulary.ofSymbols(List.of("z", "\n", "\"", "\\", " ", "\t", "a"));
        Path file = directory.resolve("checkpoint").resolve("vocabulary.json");
        vocabulary.save(file);
        Vocabulary loaded = Vocabulary.load(file);
        assertEquals(vocabulary.symbols(), loaded.symbols());
        assertTrue(loaded.isCharacters());
        assertTrue(Files.readString(file).startsWith("{\n  \"format\": \"unfold-vocabulary\",\n  \"symbols\": [\n    \"z\",\n"));
    }

    @Test
    void tokensAndLoneSurrogatesSurviveTheFile() throws IOException {
        Vocabulary tokens = Vocabulary.ofTokens(List.of("émigré", "naïve", "to"));
        tokens.save(directory.resolve("tokens.json"));
        assertEquals(tokens, Vocabulary.load(directory.resolve("tokens.json")));
        Vocabulary halves = Vocabulary.ofCharacters("a\uD83D\uDE00"); // an emoji's two surrogates
        halves.save(directory.resolve("halves.json"));
        assertEquals(halves, Vocabulary.load(directory.resolve("halves.json")));
    }

    @Test
    void aFileThatIsNotAVocabularyIsAnIOException() throws IOException {
        Path file = directory.resolve("other.json");
        Files.writeString(file, "{\"format\": \"something else\", \"symbols\": [\"a\"]}", StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> Vocabulary.load(file));
        assertEquals(file + " is not a vocabulary file: expected \"format\": \"unfold-vocabulary\", got something else",
                e.getMessage());
        Files.writeString(file, "{\"format\": \"unfold-vocabulary\", \"symbols\": [\"a\", 1]}");
        assertThrows(IOException.class, () -> Vocabulary.load(file));
        Files.writeString(file, "[\"a\"");
        assertThrows(IOException.class, () -> Vocabulary.load(file));
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedNotReadWithReplacementCharacters() throws IOException {
        Path file = directory.resolve("latin1.json");
        byte[] prefix = "{\"format\": \"unfold-vocabulary\", \"symbols\": [\"".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(prefix);
        bytes.write(0xE9);                                         // é in Latin-1: not a UTF-8 sequence
        bytes.write("\"]}".getBytes(StandardCharsets.US_ASCII));
        Files.write(file, bytes.toByteArray());
        IOException e = assertThrows(IOException.class, () -> Vocabulary.load(file));
        assertEquals(file + " is not a vocabulary file: byte " + prefix.length + " of the file starts a malformed sequence",
                e.getMessage());
    }

    @Test
    void aFileLargerThanAnyVocabularyIsRefusedBeforeItIsRead() throws IOException {
        Path file = directory.resolve("huge.json");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(3L << 30);   // 3 GiB of holes: reading it whole would need 3 GiB of heap
        }
        IOException e = assertThrows(IOException.class, () -> Vocabulary.load(file));
        assertEquals(file + " is not a vocabulary file: it has " + (3L << 30) + " bytes, more than the 100000000 a"
                + " vocabulary file may have", e.getMessage());
    }
}
