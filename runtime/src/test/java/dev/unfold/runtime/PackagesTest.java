package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages are its architecture: each says what it holds, and what only generated
 * code calls sits in {@code internal}, which says it is not API and which no API type shows a
 * user (in a public signature, as a supertype).
 */
class PackagesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final String INTERNAL = "dev.unfold.runtime.internal";

    @Test
    void everyPackageSaysWhatItHolds() throws IOException {
        List<String> packages = packages();
        assertTrue(packages.contains(INTERNAL) && packages.size() >= 8, "the runtime's packages: " + packages);
        for (String name : packages) {
            Path info = directory(name).resolve("package-info.java");
            assertTrue(Files.exists(info), name + " has no package-info.java");
            String text = Files.readString(info, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("/**") && text.contains("\npackage " + name + ";"),
                    info + " is not a documented package declaration:\n" + text);
        }
    }

    @Test
    void theInternalPackageSaysItIsNotApi() throws IOException {
        String text = Files.readString(directory(INTERNAL).resolve("package-info.java"), StandardCharsets.UTF_8);
        assertTrue(text.contains("Not API") && text.contains("without notice"), text);
    }

    @Test
    void noApiTypeShowsAnInternalOne() throws IOException, ClassNotFoundException {
        List<String> leaks = new ArrayList<>();
        int checked = 0;
        for (String name : packages()) {
            if (name.equals(INTERNAL)) {
                continue;
            }
            for (Class<?> type : publicTypes(name)) {
                checked++;
                List<Type> shown = new ArrayList<>();
                shown.add(type.getGenericSuperclass());
                shown.addAll(List.of(type.getGenericInterfaces()));
                leaks.addAll(internal(type.getName() + "'s supertypes", shown));
                for (Field field : type.getDeclaredFields()) {
                    if (visible(field)) {
                        leaks.addAll(internal(type.getName() + "." + field.getName(), List.of(field.getGenericType())));
                    }
                }
                List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
                executables.addAll(List.<Constructor<?>>of(type.getDeclaredConstructors()));
                for (Executable executable : executables) {
                    if (visible(executable) && !executable.isSynthetic()) {
                        List<Type> signature = new ArrayList<>(List.of(executable.getGenericParameterTypes()));
                        signature.addAll(List.of(executable.getGenericExceptionTypes()));
                        if (executable instanceof Method method) {
                            signature.add(method.getGenericReturnType());
                        }
                        leaks.addAll(internal(executable.toGenericString(), signature));
                    }
                }
            }
        }
        assertTrue(checked > 40, "public API types checked: " + checked);
        assertEquals(List.of(), leaks, "API types that show a user an internal one");
    }

    /** Public and protected members of a public type: what its javadoc shows and a user can call. */
    private static boolean visible(Member member) {
        return (member.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
    }

    /** Where the types, or their type arguments, are the internal package's. */
    private static List<String> internal(String where, List<Type> types) {
        List<String> found = new ArrayList<>();
        for (Type type : types) {
            raw(type).filter(c -> c.getPackageName().equals(INTERNAL))
                    .forEach(c -> found.add(where + " shows " + c.getName()));
        }
        return found;
    }

    private static Stream<Class<?>> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? raw(c.getComponentType()) : Stream.of(c);
        }
        if (type instanceof ParameterizedType p) {
            return Stream.concat(raw(p.getRawType()), Stream.of(p.getActualTypeArguments()).flatMap(PackagesTest::raw));
        }
        if (type instanceof GenericArrayType a) {
            return raw(a.getGenericComponentType());
        }
        if (type instanceof WildcardType w) {
            return Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds())).flatMap(PackagesTest::raw);
        }
        return Stream.empty();   // a type variable: its bounds are declared where it is
    }

    /** The public top-level types of a package, and their public nested types. */
    private static List<Class<?>> publicTypes(String packageName) throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory(packageName))) {
            for (Path file : files.sorted().toList()) {
                String simple = file.getFileName().toString();
                if (simple.endsWith(".java") && !simple.equals("package-info.java")) {
                    Class<?> type = Class.forName(packageName + "." + simple.substring(0, simple.length() - 5));
                    addPublic(type, types);
                }
            }
        }
        return types;
    }

    private static void addPublic(Class<?> type, List<Class<?>> into) {
        if (Modifier.isPublic(type.getModifiers())) {
            into.add(type);
            for (Class<?> nested : type.getDeclaredClasses()) {
                addPublic(nested, into);
            }
        }
    }

    private static List<String> packages() throws IOException {
        try (Stream<Path> paths = Files.walk(SOURCES.resolve("dev/unfold/runtime"))) {
            return paths.filter(Files::isDirectory)
                    .map(directory -> SOURCES.relativize(directory).toString().replace('/', '.'))
                    .sorted()
                    .toList();
        }
    }

    private static Path directory(String packageName) {
        return SOURCES.resolve(packageName.replace('.', '/'));
    }
}
