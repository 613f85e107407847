package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.processor.cell.CellKind;
import dev.unfold.processor.plan.GeneratedNames;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link GeneratedNames} is the one place that spells the generated class's own members: no emitter
 * writes a member's name in its text ({@code "reserve(steps)"}, {@code methodBuilder("unroll")}),
 * only the constant ({@code "$N(steps)", Method.RESERVE}). A name counts as written where it is
 * code: the whole text, or followed by {@code (}, {@code [}, an assignment or comparison, a member
 * access, or inside parentheses by {@code ,} or {@code )}; prose (javadoc, generated comments) may
 * use the words. A member that is also a local's name ({@code loss}) cannot be told apart and is left
 * out. The emitters' sources are read from {@code unfold.emitSources}, so that the check can be run
 * against an older tree.
 */
class GeneratedNamesTest {
    private static final Path EMITTERS = Path.of(System.getProperty("unfold.emitSources",
            "src/main/java/dev/unfold/processor/emit"));
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[A-Za-z_]\\w*");
    private static final Pattern CODE_AFTER = Pattern.compile("^(?:[(\\[]|\\.[A-Za-z]| ?(?:=|\\+=|-=|<=|>=|<|>|\\?))");

    @Test
    void noEmitterSpellsAMemberName() throws IOException, IllegalAccessException {
        Set<String> members = members();
        assertTrue(members.containsAll(List.of("reserve", "capacity", "INPUT", "batchLanes", "restoreCarriedState")),
                "GeneratedNames names " + members);
        List<String> spelled = new ArrayList<>();
        try (Stream<Path> files = Files.list(EMITTERS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String[] lines = ScalarTypeTest.withoutComments(Files.readString(file, StandardCharsets.UTF_8))
                        .split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    Matcher literal = STRING.matcher(lines[i]);
                    while (literal.find()) {
                        for (String name : spelledIn(literal.group(1), members)) {
                            spelled.add(file.getFileName() + ":" + (i + 1) + ": " + name + " in \"" + literal.group(1) + "\"");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), spelled, "write the member's name from GeneratedNames");
    }

    @Test
    void theRuleTellsCodeFromProse() {
        Set<String> members = Set.of("reserve", "capacity", "step");
        assertEquals(List.of("reserve"), spelledIn("reserve(steps)", members));
        assertEquals(List.of("capacity"), spelledIn("if (steps <= capacity)", members));
        assertEquals(List.of("capacity"), spelledIn("capacity = steps", members));
        assertEquals(List.of("capacity"), spelledIn("capacity", members));
        assertEquals(List.of("capacity"), spelledIn("return capacity", members));
        assertEquals(List.of("step"), spelledIn("$N(step, 1)", members));
        assertEquals(List.of(), spelledIn("one step, while its directions add to it.\\n", members));
        assertEquals(List.of(), spelledIn("$T.reserve(x)", members));
        assertEquals(List.of(), spelledIn("// reserve(steps) grows them", members));
        assertEquals(List.of(), spelledIn("Steps the buffers can hold; reserve grows them.", members));
    }

    /** The members {@code text} writes as code. */
    private static List<String> spelledIn(String text, Set<String> members) {
        List<String> spelled = new ArrayList<>();
        if (text.strip().startsWith("//")) {
            return spelled;   // a comment in the generated code: prose
        }
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String name = identifier.group();
            if (!members.contains(name)) {
                continue;
            }
            String before = text.substring(0, identifier.start());
            String after = text.substring(identifier.end());
            boolean insideParentheses = before.chars().filter(c -> c == '(').count()
                    > before.chars().filter(c -> c == ')').count();
            boolean code = after.isEmpty() ? before.isEmpty() || before.endsWith("return ")
                    : CODE_AFTER.matcher(after).find() || insideParentheses && ",);".indexOf(after.charAt(0)) >= 0;
            if (code) {
                spelled.add(name);
            }
        }
        return spelled;
    }

    /** Every member's name GeneratedNames holds, but those a local has too. */
    private static Set<String> members() throws IllegalAccessException {
        Set<String> members = new HashSet<>();
        for (Class<?> holder : List.of(GeneratedNames.Constant.class, GeneratedNames.Field.class,
                GeneratedNames.Method.class, GeneratedNames.Helper.class)) {
            for (Field field : holder.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    members.add((String) field.get(null));
                }
            }
        }
        members.removeAll(GeneratedNames.locals());
        members.removeAll(CellKind.allLocals());
        return members;
    }
}
