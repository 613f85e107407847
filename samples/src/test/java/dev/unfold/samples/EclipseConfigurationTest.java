package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Eclipse configuration the samples carry, so that importing them runs Unfold's processor with
 * no manual steps, stays in step with the Maven build: the same processor version, APT on, and
 * generated sources where Maven puts them.
 */
class EclipseConfigurationTest {
    private static final String VERSION = System.getProperty("unfold.version", "0.1.0-SNAPSHOT");

    @Test
    void factoryPathNamesThisVersionOfTheProcessor() throws Exception {
        NodeList entries = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of(".factorypath").toFile())
                .getElementsByTagName("factorypathentry");
        assertEquals(1, entries.getLength());
        Element entry = (Element) entries.item(0);
        assertEquals("VARJAR", entry.getAttribute("kind"));
        assertEquals("M2_REPO/dev/unfold/unfold-processor/" + VERSION + "/unfold-processor-" + VERSION + ".jar",
                entry.getAttribute("id"));
        assertEquals("true", entry.getAttribute("enabled"));
        // Batch mode runs a processor once per build in its own class loader; Unfold needs neither.
        assertEquals("false", entry.getAttribute("runInBatchMode"));
    }

    @Test
    void annotationProcessingIsOnAndWritesWhereMavenDoes() throws IOException {
        Properties apt = prefs("org.eclipse.jdt.apt.core.prefs");
        assertEquals("true", apt.getProperty("org.eclipse.jdt.apt.aptEnabled"));
        assertEquals("target/generated-sources/annotations", apt.getProperty("org.eclipse.jdt.apt.genSrcDir"));
        Properties core = prefs("org.eclipse.jdt.core.prefs");
        assertEquals("enabled", core.getProperty("org.eclipse.jdt.core.compiler.processAnnotations"));
        assertEquals("17", core.getProperty("org.eclipse.jdt.core.compiler.compliance"));
    }

    @Test
    void m2eIsToldToConfigureAptFromThePom() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        assertTrue(pom.contains("<m2e.apt.activation>jdt_apt</m2e.apt.activation>"));
        assertTrue(pom.contains("<annotationProcessorPaths>"));
    }

    private static Properties prefs(String name) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(".settings", name), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
