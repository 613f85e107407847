package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AsciiCodeTest {

    @Test
    void escapesStringCharAndTextBlockLiteralsAndIdentifiers() {
        assertEquals("String s = \"3 \\u2192 4\"; char c = '\\u00d7'; int gr\\u00f6\\u00dfe = 1;",
                AsciiCode.escapeOutsideComments("String s = \"3 → 4\"; char c = '×'; int größe = 1;"));
        assertEquals("String t = \"\"\"\n  \\u2202L/\\u2202z \"quoted\"\n  \"\"\";",
                AsciiCode.escapeOutsideComments("String t = \"\"\"\n  ∂L/∂z \"quoted\"\n  \"\"\";"));
    }

    @Test
    void leavesCommentsAsTheyAre() {
        String source = "/** ŷ_t = o_t */\nclass A { // δz for ∂L/∂z\n  /* 3 → 4 */ int x; }\n";
        assertEquals(source, AsciiCode.escapeOutsideComments(source));
    }

    @Test
    void tellsCommentMarkersInLiteralsFromComments() {
        assertEquals("String a = \"// \\u2192\"; char q = '\"'; String b = \"\\\" /* \\u00d7\"; // →",
                AsciiCode.escapeOutsideComments("String a = \"// →\"; char q = '\"'; String b = \"\\\" /* ×\"; // →"));
        assertEquals("char slash = '/'; String e = \"\\\\\\u2192\"; /* '→' */",
                AsciiCode.escapeOutsideComments("char slash = '/'; String e = \"\\\\→\"; /* '→' */"));
    }

    @Test
    void escapesEachHalfOfASurrogatePair() {
        assertEquals("\"\\ud835\\udc32\"", AsciiCode.escapeOutsideComments("\"\uD835\uDC32\""));
    }
}
