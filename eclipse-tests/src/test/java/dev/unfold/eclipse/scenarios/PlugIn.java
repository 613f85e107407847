package dev.unfold.eclipse.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Processor;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionPoint;
import org.eclipse.core.runtime.Platform;
import org.osgi.framework.Bundle;

/**
 * Scenario 5: the processor jar as an Eclipse plug-in. Installed as a bundle it resolves against
 * the real JDT APT, its plugin.xml contributes the processor to APT's extension point, and a plain
 * project whose factory path holds only the plug-in (the default: no jar added) generates.
 */
public final class PlugIn {
    private static final String POINT = "org.eclipse.jdt.apt.core.annotationProcessorFactory";
    private static final String PROCESSOR = "dev.unfold.processor.UnfoldProcessor";

    private PlugIn() {
    }

    public static void run(Map<String, String> arguments) throws Exception {
        ErrorLog.watching(() -> {
            Bundle plugin = Platform.getBundle(WorkspaceProject.PLUGIN);
            assertNotNull(plugin, "the plug-in is not installed");
            assertTrue((plugin.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0,
                    "the plug-in does not resolve: state " + plugin.getState());

            IExtensionPoint point = Platform.getExtensionRegistry().getExtensionPoint(POINT);
            assertNotNull(point);
            assertEquals("org.eclipse.jdt.apt.core", point.getContributor().getName(), "JDT APT's own extension point");
            List<IConfigurationElement> contributed = Arrays.stream(point.getConfigurationElements())
                    .filter(element -> element.getContributor().getName().equals(WorkspaceProject.PLUGIN)).toList();
            assertEquals(List.of("java6processors"), contributed.stream().map(IConfigurationElement::getName).toList());
            IConfigurationElement[] processors = contributed.get(0).getChildren("java6processor");
            assertEquals(1, processors.length);
            assertEquals(PROCESSOR, processors[0].getAttribute("class"));
            Object processor = processors[0].createExecutableExtension("class");
            assertTrue(processor instanceof Processor, processor::toString);
            assertEquals(plugin, org.osgi.framework.FrameworkUtil.getBundle(processor.getClass()), "loaded from the plug-in");

            WorkspaceProject.Settings settings = WorkspaceProject.Settings.from(arguments);
            WorkspaceProject project = WorkspaceProject.withDefaultFactoryPath("PlugIn", settings);
            assertEquals(List.of(WorkspaceProject.PLUGIN), project.enabledFactories(), "only the plug-in, on by default");
            project.write("app/Net.java", FullBuild.NET);
            project.fullBuild();
            assertEquals(List.of(), project.problems());
            assertEquals(List.of("app/UnfoldedNet.java"), project.generatedFiles());
            SameAsJavac.check(project, "PlugIn");
        });
    }
}
