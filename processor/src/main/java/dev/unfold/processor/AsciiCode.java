package dev.unfold.processor;

/**
 * Makes a generated source's code ASCII: every other character outside comments (in a string or
 * char literal, a text block, an identifier) becomes its Unicode escape, which Java reads as the
 * character itself. The file then means the same in every encoding. Eclipse needs this: its Filer
 * encodes what a processor writes with the JVM's default charset and decodes it with the
 * project's, so in a project whose encoding is not the JVM's (ISO-8859-1, windows-1252) a
 * {@code →} in a string came back as {@code â} and two control characters. Comments keep their
 * characters (the mathematics reads better as ∂L/∂z); they do not change what the code does.
 */
final class AsciiCode {
    private AsciiCode() {
    }

    static String escapeOutsideComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '/' && source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                end = end < 0 ? source.length() : end;
                out.append(source, i, end);
                i = end;
            } else if (c == '/' && source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                out.append(source, i, end);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                i = copyLiteral(source, i, "\"\"\"", out);
            } else if (c == '"' || c == '\'') {
                i = copyLiteral(source, i, String.valueOf(c), out);
            } else {
                appendEscaped(c, out);
                i++;
            }
        }
        return out.toString();
    }

    /** Copies the literal opened by {@code quote} at {@code start}, escaped; returns where it ends. */
    private static int copyLiteral(String source, int start, String quote, StringBuilder out) {
        out.append(quote);
        int i = start + quote.length();
        while (i < source.length() && !source.startsWith(quote, i)) {
            char c = source.charAt(i);
            if (c == '\\' && i + 1 < source.length()) {
                out.append(c).append(source.charAt(i + 1)); // an escape sequence: \" does not close
                i += 2;
            } else {
                appendEscaped(c, out);
                i++;
            }
        }
        if (i < source.length()) {
            out.append(quote);
            i += quote.length();
        }
        return i;
    }

    private static void appendEscaped(char c, StringBuilder out) {
        if (c < 0x80) {
            out.append(c);
        } else {
            out.append(String.format("\\u%04x", (int) c)); // each UTF-16 unit: Java reads pairs back
        }
    }
}
