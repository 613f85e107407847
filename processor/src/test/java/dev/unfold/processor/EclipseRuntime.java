package dev.unfold.processor;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The part of Eclipse that loads an annotation-processor plug-in, for tests: Equinox (Eclipse's
 * OSGi framework) with the extension registry, in a temporary directory. The registry's types
 * live in its bundle's class loader, so they are reached by reflection.
 */
final class EclipseRuntime implements AutoCloseable {
    private final Path storage;
    private final Framework framework;
    private final Bundle registry;

    private EclipseRuntime(Path storage, Framework framework, Bundle registry) {
        this.storage = storage;
        this.framework = framework;
        this.registry = registry;
    }

    /** Starts Equinox with org.eclipse.equinox.common and .registry, taken from the test class path. */
    static EclipseRuntime start() throws IOException, BundleException {
        Path storage = Files.createTempDirectory("unfold-eclipse");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
                .newFramework(Map.of(Constants.FRAMEWORK_STORAGE, storage.resolve("osgi").toString(),
                        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                        "eclipse.noRegistryCache", "true"));
        framework.start();
        BundleContext context = framework.getBundleContext();
        context.installBundle(jarOnClasspath("org.eclipse.equinox.common").toUri().toString()).start();
        Bundle registry = context.installBundle(jarOnClasspath("org.eclipse.equinox.registry").toUri().toString());
        registry.start();
        return new EclipseRuntime(storage, framework, registry);
    }

    Bundle install(Path jar) throws BundleException {
        return framework.getBundleContext().installBundle(jar.toUri().toString());
    }

    boolean resolve(Bundle... bundles) {
        return framework.adapt(FrameworkWiring.class).resolveBundles(List.of(bundles));
    }

    /**
     * A bundle that declares only the extension point {@code org.eclipse.jdt.apt.core.annotationProcessorFactory},
     * standing in for JDT APT's core plug-in, which declares it in Eclipse.
     */
    Bundle installAptExtensionPoint() throws IOException, BundleException {
        Path jar = storage.resolve("org.eclipse.jdt.apt.core.jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.eclipse.jdt.apt.core;singleton:=true");
        main.putValue("Bundle-Version", "3.8.0");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("plugin.xml"));
            out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?eclipse version=\"3.4\"?>\n<plugin>\n"
                    + "   <extension-point id=\"annotationProcessorFactory\" name=\"Annotation Processor Factory\"/>\n"
                    + "</plugin>\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return install(jar);
    }

    /** A contributed configuration element, read through the registry's own interface. */
    final class Element {
        private final Object element;

        private Element(Object element) {
            this.element = element;
        }

        String name() {
            return (String) call("getName");
        }

        String attribute(String attribute) {
            return (String) call("getAttribute", attribute);
        }

        List<Element> children() {
            return Arrays.stream((Object[]) call("getChildren")).map(Element::new).toList();
        }

        /** What JDT APT does with a java6processor's class attribute: an instance from the contributor. */
        Object createExecutableExtension(String attribute) {
            return call("createExecutableExtension", attribute);
        }

        private Object call(String method, Object... arguments) {
            return invoke(element, "org.eclipse.core.runtime.IConfigurationElement", method, arguments);
        }
    }

    /** The top-level configuration elements contributed to an extension point. */
    List<Element> configurationElementsFor(String extensionPoint) {
        BundleContext context = framework.getBundleContext();
        // getAllServiceReferences: the framework's own bundle, asking here, cannot see the
        // registry's interface, and getServiceReference would filter the service out for that.
        ServiceReference<?>[] references;
        try {
            references = context.getAllServiceReferences("org.eclipse.core.runtime.IExtensionRegistry", null);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        if (references == null) {
            throw new IllegalStateException("the extension registry did not start");
        }
        Object service = context.getService(references[0]);
        Object[] elements = (Object[]) invoke(service, "org.eclipse.core.runtime.IExtensionRegistry",
                "getConfigurationElementsFor", extensionPoint);
        List<Element> result = new ArrayList<>();
        for (Object element : elements) {
            result.add(new Element(element));
        }
        return result;
    }

    private Object invoke(Object target, String type, String method, Object... arguments) {
        try {
            Class<?>[] parameters = Arrays.stream(arguments).map(Object::getClass).toArray(Class<?>[]::new);
            Method m = registry.loadClass(type).getMethod(method, parameters);
            return m.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(method + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
        TestCompiler.deleteRecursively(storage);
    }

    private static Path jarOnClasspath(String artifact) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(path -> path.getFileName().toString().startsWith(artifact + "-"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(artifact + " is not on the test class path"));
    }
}
