package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The type a generated network computes in is the plan's choice ({@code plan.Scalar}): the code that
 * writes generated code (the emitters and the cells' equations) never spells {@code double}, its
 * zero, JavaPoet's {@code TypeName.DOUBLE} or the runtime's double activations, in code or in the
 * text it emits; only {@code Scalar} does. Comments may (they describe what comes out).
 */
class ScalarTypeTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/unfold/processor");
    /** The type, its zero, and the runtime's activations of doubles, which the scalar names ({@code Scalar.activations()}). */
    private static final Pattern SPELLED = Pattern.compile(
            "\\bdouble\\b|\\bDouble\\b|\\bDOUBLE\\b|\\b0\\.0\\b|\\bACTIVATIONS\\b");

    @Test
    void onlyScalarSpellsTheTypeTheNetworkComputesIn() throws IOException {
        assertTrue(Files.isDirectory(SOURCES.resolve("emit")), SOURCES.toAbsolutePath().toString());
        List<String> spelled = new ArrayList<>();
        for (String writesCode : List.of("emit", "cell")) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(writesCode))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    String[] lines = withoutComments(Files.readString(file, StandardCharsets.UTF_8)).split("\n", -1);
                    for (int i = 0; i < lines.length; i++) {
                        Matcher matcher = SPELLED.matcher(lines[i]);
                        if (matcher.find()) {
                            spelled.add(file + ":" + (i + 1) + ": " + lines[i].strip());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), spelled, "write the plan's scalar (NetworkPlan.scalar()) instead");
    }

    @Test
    void commentsAreRemovedAndStringsKept() {
        assertEquals("a \"// d\" \n b \n c", withoutComments("a \"// d\" // double\n b /* double\n */ c"));
        assertEquals("x = \"double\" + '\\''", withoutComments("x = \"double\" + '\\''"));
    }

    /** Java source without its comments, line breaks kept, string and character literals as they are. */
    static String withoutComments(String source) {
        StringBuilder code = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> code.append('\n'));
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, source.length());
                code.append(source, i, end);
                i = end;
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }
}
