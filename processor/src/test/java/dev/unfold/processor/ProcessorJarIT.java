package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The packaged processor jar, as Eclipse, Gradle and Maven load it: on its own, with nothing else
 * on the processor path. Runs after {@code package} (failsafe), on the jar the build produced.
 */
class ProcessorJarIT {
    private static final String PROCESSOR = "dev.unfold.processor.UnfoldProcessor";
    /**
     * Named in class files but never loaded: @AutoService has class retention, so the JVM skips it
     * (it is in RuntimeInvisibleAnnotations, which this check's reader does not tell apart).
     */
    private static final Set<String> NEVER_LOADED = Set.of("com.google.auto.service");
    /**
     * The reconcile participant's package: Eclipse alone loads it, through plugin.xml, from the
     * bundles the manifest requires (optionally). Nothing else in the jar refers to it.
     */
    private static final String ECLIPSE_ONLY = "dev/unfold/processor/eclipse/";
    private static final String PARTICIPANT = "dev.unfold.processor.eclipse.ReconcileParticipant";
    private static final Path JAR = Path.of(System.getProperty("unfold.processorJar",
            "target/unfold-processor-0.1.0-SNAPSHOT.jar"));

    @Test
    void declaresTheProcessorForJavacGradleAndEclipse() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals(PROCESSOR, text(jar, "META-INF/services/javax.annotation.processing.Processor").strip());
            assertEquals(PROCESSOR + ",isolating",
                    text(jar, "META-INF/gradle/incremental.annotation.processors").strip());

            Document plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(bytes(jar, "plugin.xml")));
            Element extension = (Element) plugin.getElementsByTagName("extension").item(0);
            assertEquals("org.eclipse.jdt.apt.core.annotationProcessorFactory", extension.getAttribute("point"));
            Element processors = (Element) extension.getElementsByTagName("java6processors").item(0);
            assertEquals("true", processors.getAttribute("enableDefault"));
            Element processor = (Element) processors.getElementsByTagName("java6processor").item(0);
            assertEquals(PROCESSOR, processor.getAttribute("class"));

            List<String> participants = new ArrayList<>();
            var declared = plugin.getElementsByTagName("compilationParticipant");
            for (int i = 0; i < declared.getLength(); i++) {
                participants.add(((Element) declared.item(i)).getAttribute("class"));
            }
            assertEquals(List.of(PARTICIPANT), participants);
            assertEquals("org.eclipse.jdt.core.compilationParticipant",
                    ((Element) declared.item(0).getParentNode()).getAttribute("point"));
        }
    }

    /**
     * Eclipse's API is used by the reconcile participant only, and the jar works without it: the
     * bundles it comes from are optional requirements, no other class refers to the participant
     * or to Eclipse, and the service file javac and Gradle read names the processor alone.
     */
    @Test
    void eclipseIsOptionalAndReachedOnlyByTheParticipant() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String required = jar.getManifest().getMainAttributes().getValue("Require-Bundle");
            assertTrue(required != null && required.contains("org.eclipse.jdt.core;"), () -> "Require-Bundle: " + required);
            for (String clause : required.split(",")) {
                assertTrue(clause.contains("resolution:=optional"), () -> "a required bundle that is not optional: " + clause);
            }
            String imported = jar.getManifest().getMainAttributes().getValue("Import-Package");
            assertFalse(imported != null && imported.contains("org.eclipse."), () -> "Import-Package: " + imported);
            assertEquals(PROCESSOR, text(jar, "META-INF/services/javax.annotation.processing.Processor").strip());

            List<String> reaching = new ArrayList<>();
            int participantClasses = 0;
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (!name.endsWith(".class")) {
                    continue;
                }
                if (name.startsWith(ECLIPSE_ONLY)) {
                    participantClasses++;
                    continue;
                }
                for (String used : ClassFiles.referencedPackages(bytes(jar, name))) {
                    if (used.startsWith("org.eclipse.") || used.equals("dev.unfold.processor.eclipse")) {
                        reaching.add(name + " uses " + used);
                    }
                }
            }
            assertTrue(participantClasses > 0, "no participant in the jar");
            assertEquals(List.of(), reaching);
        }
    }

    @Test
    void isASingletonOsgiBundle() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("2", main.getValue("Bundle-ManifestVersion"));
            assertEquals("dev.unfold.processor;singleton:=true", main.getValue("Bundle-SymbolicName"));
            assertTrue(main.getValue("Bundle-Version").matches("\\d+\\.\\d+\\.\\d+(\\..+)?"), main.getValue("Bundle-Version"));
        }
    }

    /**
     * In Equinox, the OSGi framework Eclipse runs on, the jar resolves as a bundle (its imports all
     * met by the JDK), and the extension registry reads its plugin.xml: JDT APT's extension point
     * gets one java6processor whose class, created by the registry from the bundle, is the
     * processor. This is what JDT APT's loader does with a plug-in's processors.
     */
    @Test
    void isAnEclipsePluginContributingTheProcessor() throws Exception {
        try (EclipseRuntime eclipse = EclipseRuntime.start()) {
            Bundle apt = eclipse.installAptExtensionPoint();
            Bundle bundle = eclipse.install(JAR);
            assertEquals("dev.unfold.processor", bundle.getSymbolicName());
            assertTrue(eclipse.resolve(apt, bundle), "the bundle does not resolve: an import the JDK does not export");
            assertTrue(Processor.class.isAssignableFrom(bundle.loadClass(PROCESSOR)));

            List<EclipseRuntime.Element> contributions =
                    eclipse.configurationElementsFor("org.eclipse.jdt.apt.core.annotationProcessorFactory");
            assertEquals(List.of("java6processors"), contributions.stream().map(EclipseRuntime.Element::name).toList());
            EclipseRuntime.Element processors = contributions.get(0);
            assertEquals("true", processors.attribute("enableDefault"));
            List<EclipseRuntime.Element> children = processors.children();
            assertEquals(1, children.size());
            assertEquals("java6processor", children.get(0).name());
            Object processor = children.get(0).createExecutableExtension("class");
            assertTrue(processor instanceof Processor, processor::toString);
            assertEquals(PROCESSOR, processor.getClass().getName());
        }
    }

    /**
     * Every package a class in the jar refers to is the JDK's java.*, inside the jar, or imported:
     * otherwise Eclipse's OSGi loader could not load the processor. JavaPoet must be inside, relocated.
     * The reconcile participant's Eclipse packages come from required bundles instead (see
     * {@link #eclipseIsOptionalAndReachedOnlyByTheParticipant()}).
     */
    @Test
    void everyReferencedPackageIsInsideOrImported() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Set<String> imported = packageNames(jar.getManifest().getMainAttributes().getValue("Import-Package"));
            Set<String> inside = new TreeSet<>();
            Map<String, byte[]> classes = new java.util.TreeMap<>();
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (name.endsWith(".class")) {
                    inside.add(name.substring(0, Math.max(0, name.lastIndexOf('/'))).replace('/', '.'));
                    classes.put(name, bytes(jar, name));
                }
                assertFalse(name.startsWith("com/palantir/"), "JavaPoet not relocated: " + name);
            }
            assertTrue(inside.contains("dev.unfold.processor.internal.javapoet"), inside::toString);
            assertTrue(inside.contains("dev.unfold"), "the annotations are inside: " + inside);
            List<String> missing = new ArrayList<>();
            classes.forEach((name, bytes) -> {
                for (String used : ClassFiles.referencedPackages(bytes)) {
                    if (used.startsWith("com.sun.") || used.startsWith("sun.")) {
                        missing.add(name + " uses the compiler-specific " + used); // javac's; absent in Eclipse
                    } else if (!used.startsWith("java.") && !inside.contains(used) && !imported.contains(used)
                            && !NEVER_LOADED.contains(used)
                            && !(name.startsWith(ECLIPSE_ONLY) && used.startsWith("org.eclipse."))) {
                        missing.add(name + " uses " + used);
                    }
                }
            });
            assertEquals(List.of(), missing);
        }
    }

    /** The processor loads from the jar alone, and holds no static mutable state. */
    @Test
    void loadsFromTheJarAloneWithoutStaticMutableState() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile());
                URLClassLoader alone = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                        ClassLoader.getPlatformClassLoader())) {
            Class<?> type = alone.loadClass(PROCESSOR);
            assertTrue(Processor.class.isAssignableFrom(type));
            assertTrue(type.getConstructor().newInstance() instanceof Processor);
            List<String> mutable = new ArrayList<>();
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith("dev/unfold/processor/") && !name.startsWith("dev/unfold/processor/internal/")
                        && name.endsWith(".class")) {
                    // the participant's classes need Eclipse's, which the test's class path has
                    ClassLoader loader = name.startsWith(ECLIPSE_ONLY) ? ProcessorJarIT.class.getClassLoader() : alone;
                    Class<?> loaded = Class.forName(name.replace('/', '.').replace(".class", ""), true, loader);
                    for (Field field : loaded.getDeclaredFields()) {
                        if (isMutableStatic(field)) {
                            mutable.add(loaded.getName() + "." + field.getName());
                        }
                    }
                }
            }
            assertEquals(List.of(), mutable);
        }
    }

    private static boolean isMutableStatic(Field field) throws IllegalAccessException {
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers) || field.isSynthetic() || field.isEnumConstant()) {
            return false;
        }
        if (!Modifier.isFinal(modifiers) || field.getType().isArray()) {
            return true;
        }
        field.setAccessible(true);
        Object value = field.get(null);
        boolean collection = value instanceof Collection<?> || value instanceof Map<?, ?>;
        return collection && !value.getClass().getName().startsWith("java.util.ImmutableCollections");
    }

    /** javac and ECJ, each given only the jar as processor path, find the processor and run it. */
    @Test
    void compilesANetworkWithOnlyTheJarOnTheProcessorPath() throws IOException {
        for (TestCompiler compiler : TestCompiler.values()) {
            Path root = Files.createTempDirectory("unfold-jar");
            try {
                Path source = Path.of(TestCompiler.inTestPackage("Net",
                        "@Network(input = 2, output = 1)",
                        "public interface Net extends Encoder, Decoder, Traceable {",
                        "    @Recurrent(hidden = 3) Layer rnn();",
                        "}").toUri());
                Path generated = Files.createDirectories(root.resolve("generated"));
                Path classes = Files.createDirectories(root.resolve("classes"));
                JavaCompiler tool = compiler.tool();
                DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
                try (StandardJavaFileManager files = tool.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
                    files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(generated));
                    files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
                    List<String> options = new ArrayList<>(compiler.options());
                    options.addAll(List.of("-classpath", runtimeClasspath(), "-processorpath", JAR.toString()));
                    boolean ok = tool.getTask(null, files, diagnostics, options, null,
                            files.getJavaFileObjects(source)).call();
                    assertTrue(ok, compiler + ": " + diagnostics.getDiagnostics().stream()
                            .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                            .map(d -> d.getMessage(null)).collect(Collectors.joining("\n")));
                }
                assertEquals(List.of("test/UnfoldedNet.java"), TestCompiler.relativeFiles(generated), compiler.toString());
                assertTrue(Files.exists(classes.resolve("test/UnfoldedNet.class")), compiler.toString());
            } finally {
                TestCompiler.deleteRecursively(root);
            }
        }
    }

    /** The test's class path without the processor's own classes and JavaPoet: the runtime and annotations. */
    private static String runtimeClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("javapoet") && !entry.endsWith("processor" + File.separator + "target"
                        + File.separator + "classes") && !entry.contains("unfold-processor"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Set<String> packageNames(String importPackage) {
        Set<String> names = new TreeSet<>();
        // Import-Package: a,b;version="[1,2)",c — split on commas outside quotes
        for (String clause : importPackage.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            names.add(clause.split(";")[0].strip());
        }
        return names;
    }

    private static String text(JarFile jar, String name) throws IOException {
        return new String(bytes(jar, name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertTrue(entry != null, name + " is missing from " + JAR);
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
