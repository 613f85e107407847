package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.data.Vocabulary;
import org.junit.jupiter.api.Test;

class CorpusTest {

    @Test
    void theBundledCorpusLoadsAndIsTensOfKilobytes() {
        String text = Corpus.bundled();
        assertTrue(text.length() >= 30_000 && text.length() <= 60_000, "length " + text.length());
        assertTrue(text.startsWith("THE SONNETS\n"), text.substring(0, 40));
        assertTrue(text.contains("\nShall I compare thee to a summer's day?\n"));
        assertTrue(text.endsWith("The worst was this,--my love was my decay.\n"));
    }

    @Test
    void itsAlphabetIsSmallPlainAscii() {
        String text = Corpus.bundled();
        Vocabulary vocabulary = Vocabulary.ofCharacters(text);
        assertTrue(vocabulary.size() < 100, vocabulary.symbols().toString());
        assertTrue(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)), "printable ASCII and \\n only");
        assertFalse(text.contains("\r"));
        assertEquals(text, vocabulary.decode(vocabulary.encode(text)));
    }

    @Test
    void everySonnetHasFourteenLines() {
        String[] sonnets = Corpus.bundled().split("\n\n\\d+\n\n");
        assertEquals(81, sonnets.length, "the title, then sonnets 1 to 80");
        for (int s = 1; s < sonnets.length; s++) {
            assertEquals(14, sonnets[s].strip().split("\n").length, "sonnet " + s);
        }
    }

    @Test
    void aMissingResourceIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Corpus.resource("corpus/none.txt"));
        assertEquals("the corpus corpus/none.txt is not on the classpath", e.getMessage());
    }
}
