package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.ClassName;
import dev.unfold.processor.declaration.RuntimeTypes;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link RuntimeTypes} is the one place the processor names the runtime's types: no other source
 * spells a runtime package, every name there is a class the runtime has, and every runtime type a
 * generated class imports is one of them.
 */
class RuntimeTypesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path GOLDEN = Path.of(System.getProperty("unfold.goldenDirectory",
            "src/test/resources/expected"), "golden");
    private static final Pattern RUNTIME_PACKAGE = Pattern.compile("dev\\.unfold\\.runtime\\b");
    private static final Pattern RUNTIME_IMPORT = Pattern.compile("^import (dev\\.unfold\\.runtime\\.[\\w.]+);$",
            Pattern.MULTILINE);

    @Test
    void noOtherSourceOfTheProcessorSpellsARuntimePackage() throws IOException {
        Path home = SOURCES.resolve("dev/unfold/processor/declaration/RuntimeTypes.java");
        assertTrue(Files.exists(home), home.toAbsolutePath().toString());
        List<String> spelled = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (file.equals(home)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (RUNTIME_PACKAGE.matcher(lines.get(i)).find()) {
                        spelled.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), spelled, "name the runtime's types through RuntimeTypes");
    }

    @Test
    void everyNameIsAClassOfTheRuntime() throws IllegalAccessException {
        List<ClassName> names = names();
        assertTrue(names.size() >= 10, "RuntimeTypes names " + names);
        for (ClassName name : names) {
            assertDoesNotThrow(() -> Class.forName(name.reflectionName(), false, getClass().getClassLoader()),
                    name + " is not a class of the runtime");
        }
    }

    @Test
    void everyRuntimeTypeAGeneratedClassImportsIsNamedThere() throws IOException, IllegalAccessException {
        Set<String> named = names().stream().map(ClassName::canonicalName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> imported = new TreeSet<>();
        try (Stream<Path> files = Files.list(GOLDEN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher imports = RUNTIME_IMPORT.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (imports.find()) {
                    imported.add(imports.group(1));
                }
            }
        }
        assertTrue(imported.size() >= 8, "the goldens import " + imported);
        imported.removeAll(named);
        assertEquals(Set.of(), imported, "runtime types generated code imports but RuntimeTypes does not name");
    }

    private static List<ClassName> names() throws IllegalAccessException {
        List<ClassName> names = new ArrayList<>();
        for (Field field : RuntimeTypes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ClassName.class) {
                names.add((ClassName) field.get(null));
            }
        }
        return names;
    }
}
