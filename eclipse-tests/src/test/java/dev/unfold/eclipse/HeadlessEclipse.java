package dev.unfold.eclipse;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * A real Eclipse without its user interface, in a temporary directory: Equinox, Eclipse's OSGi
 * framework, with the bundles of Eclipse's resources, JDT core and JDT APT installed from the test
 * class path (Maven resolved them from Maven Central), and a workspace. The scenarios run inside it,
 * in a test bundle made from this module's {@code scenarios} package, so they use Eclipse's API as a
 * plug-in does; JUnit's assertion classes come from outside, so their failures reach JUnit as they are.
 */
final class HeadlessEclipse implements AutoCloseable {
    /** The package of the code that runs inside Eclipse: the test bundle's content, and its name. */
    private static final String SCENARIOS = "dev.unfold.eclipse.scenarios";
    /** Packages the scenarios take from the test's class path rather than from a bundle. */
    private static final String FROM_OUTSIDE = "org.junit.jupiter.api,org.junit.jupiter.api.function,org.opentest4j";
    /** The JDK's packages the scenarios use: the javac they compare with, and the processor's interface. */
    private static final String FROM_THE_JDK = "javax.tools,javax.annotation.processing";
    /** Bundles on the class path that are the test's tools, not part of Eclipse, by name prefix. */
    private static final List<String> NOT_ECLIPSE = List.of("junit", "org.junit", "org.opentest4j", "org.apiguardian",
            "org.jspecify", "dev.unfold");
    /** The framework itself, which runs from the class path. */
    private static final String FRAMEWORK = "org.eclipse.osgi";

    private final Path directory;
    private final Framework framework;
    private final Bundle scenarios;

    private HeadlessEclipse(Path directory, Framework framework, Bundle scenarios) {
        this.directory = directory;
        this.framework = framework;
        this.scenarios = scenarios;
    }

    /**
     * Starts Equinox with a new workspace, every Eclipse bundle on the class path, the plug-in
     * {@code plugin} (Unfold's processor jar, installed as Eclipse installs a plug-in from its
     * dropins, before JDT APT first reads the plug-ins' processors), and the test bundle.
     */
    static HeadlessEclipse start(Path plugin) throws IOException, BundleException {
        Path directory = Files.createTempDirectory("unfold-eclipse");
        Path workspace = Files.createDirectories(directory.resolve("workspace"));
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
                .newFramework(Map.of(
                        Constants.FRAMEWORK_STORAGE, directory.resolve("configuration").toString(),
                        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                        Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, FROM_OUTSIDE,
                        "osgi.instance.area", workspace.toUri().toString(),
                        "osgi.user.area", directory.resolve("user").toUri().toString(),
                        "eclipse.noRegistryCache", "true",
                        // as the Eclipse launcher sets it: a class a bundle cannot find comes from the JDK
                        // (ECJ's batch bundle loads javax.annotation.processing without importing it)
                        "osgi.compatibility.bootdelegation", "true"));
        framework.start();
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : eclipseBundlesOnClassPath(directory)) {
                installed.add(context.installBundle(jar.toUri().toString()));
            }
            installed.add(context.installBundle(plugin.toUri().toString()));
            Bundle scenarios = context.installBundle(testBundle(directory).toUri().toString());
            installed.add(scenarios);
            if (!framework.adapt(FrameworkWiring.class).resolveBundles(installed)) {
                List<String> unresolved = new ArrayList<>();
                for (Bundle bundle : installed) {
                    if (bundle.getState() == Bundle.INSTALLED) {
                        unresolved.add(whyUnresolved(bundle));
                    }
                }
                throw new IllegalStateException("bundles that do not resolve:\n" + String.join("\n", unresolved));
            }
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start(Bundle.START_ACTIVATION_POLICY); // lazy ones start when first used, as in Eclipse
                }
            }
            return new HeadlessEclipse(directory, framework, scenarios);
        } catch (IOException | BundleException | RuntimeException e) {
            framework.stop();
            throw e;
        }
    }

    /** The framework's reason, which it gives when asked to start the bundle. */
    private static String whyUnresolved(Bundle bundle) {
        try {
            bundle.start(Bundle.START_TRANSIENT);
            return bundle.getSymbolicName() + " resolved on a second try";
        } catch (BundleException e) {
            return e.getMessage();
        }
    }

    /**
     * Runs {@code scenario.method(settings)} (a static method) inside Eclipse. An assertion that
     * fails there is thrown here as it is; so is any other exception.
     */
    void run(String scenario, String method, Map<String, String> settings) throws Throwable {
        Method run = scenarios.loadClass(scenario).getMethod(method, Map.class);
        try {
            run.invoke(null, settings);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    Path directory() {
        return directory;
    }

    /**
     * The class path's OSGi bundles that make up Eclipse. Ant, which JDT APT requires as bundle
     * {@code org.apache.ant} (for its Ant task), is a plain jar on Maven Central: it is wrapped.
     */
    private static List<Path> eclipseBundlesOnClassPath(Path directory) throws IOException {
        List<Path> bundles = new ArrayList<>();
        for (Path jar : classPathJars()) {
            String name = jar.getFileName().toString();
            String symbolicName = symbolicName(jar);
            if (symbolicName != null && !symbolicName.equals(FRAMEWORK)
                    && NOT_ECLIPSE.stream().noneMatch(symbolicName::startsWith)) {
                bundles.add(jar);
            } else if (symbolicName == null && name.matches("ant-\\d.*\\.jar")) {
                bundles.add(wrapAnt(jar, directory));
            }
        }
        return bundles;
    }

    private static List<Path> classPathJars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(path -> path.getFileName().toString().endsWith(".jar"))
                .toList();
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return name == null ? null : name.split(";")[0].strip();
        }
    }

    /** Ant's jar with a manifest that makes it the bundle org.apache.ant, exporting all its packages. */
    private static Path wrapAnt(Path jar, Path directory) throws IOException {
        String version = jar.getFileName().toString().replaceAll("^ant-(\\d+\\.\\d+\\.\\d+).*", "$1");
        Path wrapped = directory.resolve("org.apache.ant_" + version + ".jar");
        try (JarFile source = new JarFile(jar.toFile())) {
            TreeSet<String> packages = new TreeSet<>();
            source.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class") && n.contains("/"))
                    .forEach(n -> packages.add(n.substring(0, n.lastIndexOf('/')).replace('/', '.')));
            Manifest manifest = bundleManifest("org.apache.ant", version);
            manifest.getMainAttributes().putValue(Constants.EXPORT_PACKAGE, String.join(",", packages));
            try (OutputStream file = Files.newOutputStream(wrapped); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry : source.stream().toList()) {
                    if (entry.isDirectory() || entry.getName().startsWith("META-INF/")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return wrapped;
    }

    /** The scenarios package of this module's compiled tests, as a bundle that requires Eclipse's. */
    private static Path testBundle(Path directory) throws IOException {
        Path classes;
        try {
            classes = Path.of(HeadlessEclipse.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Path root = classes.resolve(SCENARIOS.replace('.', '/'));
        Manifest manifest = bundleManifest(SCENARIOS, "1.0.0");
        Attributes main = manifest.getMainAttributes();
        main.putValue(Constants.REQUIRE_BUNDLE, "org.eclipse.core.runtime,org.eclipse.core.resources,"
                + "org.eclipse.jdt.core,org.eclipse.jdt.apt.core");
        main.putValue(Constants.IMPORT_PACKAGE, FROM_OUTSIDE + "," + FROM_THE_JDK);
        main.putValue(Constants.EXPORT_PACKAGE, SCENARIOS);
        Path jar = directory.resolve(SCENARIOS + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> files = Files.walk(root)) {
            for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Manifest bundleManifest(String symbolicName, String version) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, version);
        return manifest;
    }

    /** Stops Eclipse, keeps its error log (the Error Log view's file) in {@code target}, and deletes the rest. */
    @Override
    public void close() throws IOException, BundleException {
        framework.stop();
        try {
            framework.waitForStop(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path log = directory.resolve("workspace/.metadata/.log");
        if (Files.exists(log)) {
            Files.copy(log, Files.createDirectories(Path.of("target")).resolve("eclipse-error.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
