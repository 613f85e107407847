package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's project, set up exactly as the README's "Using Unfold in your project" says for
 * Maven: its pom.xml is the README's XML blocks of that section, read from the README now, so the
 * two cannot drift apart. The project declares a network, trains it through {@code Trainer} with
 * {@code ConsoleProgress} and runs it; a separate Maven builds and runs it.
 *
 * <p>The Unfold artifacts come from this build: the test installs the jars and poms it just built
 * into a private local repository (the user's own is never written). Everything else comes from
 * the user's local repository, read as a file repository, and only what is missing there from
 * Maven Central.
 */
class ReadmeProjectIT {
    private static final Path ROOT = Path.of(System.getProperty("unfold.root", ".."));
    private static final String VERSION = System.getProperty("unfold.version", "0.1.0-SNAPSHOT");
    private static final Path USER_REPOSITORY = Path.of(System.getProperty("unfold.localRepository",
            Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
    private static final String MAVEN_HOME = System.getProperty("unfold.mavenHome", "");
    private static final String EXEC_PLUGIN = "org.codehaus.mojo:exec-maven-plugin:3.5.0:java";

    @TempDir
    Path directory;

    @Test
    void aFreshProjectSetUpAsTheReadmeSaysCompilesTrainsAndRuns() throws Exception {
        List<String> blocks = readmeXmlBlocks(Files.readString(ROOT.resolve("README.md")));
        Path project = Files.createDirectories(directory.resolve("project"));
        Files.writeString(project.resolve("pom.xml"), pom(blocks));
        writeSources(project);
        Path repository = directory.resolve("repository");
        installUnfold(repository);
        Path settings = directory.resolve("settings.xml");
        Files.writeString(settings, settings(USER_REPOSITORY));

        List<String> command = new ArrayList<>(List.of(maven(), "-B", "-nsu", "-Dstyle.color=never",
                "-s", settings.toString(), "-Dmaven.repo.local=" + repository,
                "compile", EXEC_PLUGIN, "-Dexec.mainClass=com.example.TrainAndRun"));
        Process process = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), printed);
        printed.lines().filter(line -> !line.startsWith("[")).forEach(System.out::println);   // the program's own

        assertEquals(0, process.exitValue(), "Maven failed on the README's set-up:\n" + printed);
        assertFalse(printed.contains("NoClassDefFoundError"), printed);
        assertTrue(printed.contains("UnfoldedSummer: input 1 → rnn tanh 8 → output 1"), "the processor ran:\n" + printed);
        assertTrue(printed.contains("epoch 40/40: loss"), "ConsoleProgress printed each epoch:\n" + printed);
        Matcher losses = Pattern.compile("loss before training ([0-9.]+), after ([0-9.]+)").matcher(printed);
        assertTrue(losses.find(), printed);
        double before = Double.parseDouble(losses.group(1));
        double after = Double.parseDouble(losses.group(2));
        assertTrue(after < before / 4, "training lowered the loss: " + before + " → " + after);
        Matcher predictions = Pattern.compile("predictions for 0.5, 0.25, -0.5: (\\S+) (\\S+) (\\S+)").matcher(printed);
        assertTrue(predictions.find(), printed);
        double[] sums = {0.5, 0.75, 0.25};   // the running sums the network was trained to say
        for (int t = 0; t < 3; t++) {
            assertEquals(sums[t], Double.parseDouble(predictions.group(t + 1)), 0.15, predictions.group());
        }
    }

    /**
     * The XML blocks of the README's "### Maven" part of "## Using Unfold in your project", each
     * an element of a project's {@code <project>}.
     */
    static List<String> readmeXmlBlocks(String readme) {
        String section = part(readme, "\n## Using Unfold in your project\n", "\n## ");
        String maven = part(section, "\n### Maven\n", "\n### ");
        List<String> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL).matcher(maven);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        assertFalse(blocks.isEmpty(), "the README's Maven set-up has no ```xml blocks");
        return blocks;
    }

    /** From the heading {@code start} to the next heading that starts with {@code next}, or the end. */
    private static String part(String text, String start, String next) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "the README has no heading " + start.strip());
        int to = text.indexOf(next, from + start.length());
        return text.substring(from, to < 0 ? text.length() : to + 1);
    }

    private static String pom(List<String> blocks) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>readme-project</artifactId>
                  <version>1.0</version>
                """ + String.join("", blocks) + "</project>\n";
    }

    /** A network, and a program that trains it with the Trainer and ConsoleProgress and runs it. */
    private static void writeSources(Path project) throws IOException {
        Path sources = Files.createDirectories(project.resolve("src/main/java/com/example"));
        Files.writeString(sources.resolve("Summer.java"), """
                package com.example;

                import dev.unfold.*;
                import dev.unfold.runtime.*;

                /** Reads numbers one by one and says, at every step, the sum so far. */
                @Network(input = 1, output = 1, loss = Loss.MSE)
                public interface Summer extends SequenceModel {
                    @Recurrent(hidden = 8)
                    Layer rnn();
                }
                """);
        Files.writeString(sources.resolve("TrainAndRun.java"), """
                package com.example;

                import dev.unfold.runtime.*;
                import dev.unfold.runtime.data.Minibatches;
                import dev.unfold.runtime.optim.Adam;
                import dev.unfold.runtime.train.ConsoleProgress;
                import dev.unfold.runtime.train.Trainer;
                import java.util.Locale;
                import java.util.Random;

                public class TrainAndRun {
                    public static void main(String[] args) throws Exception {
                        Random random = new Random(1);
                        double[][][] xs = new double[64][5][1];
                        double[][][] sums = new double[64][5][1];
                        for (int n = 0; n < xs.length; n++) {
                            double sum = 0;
                            for (int t = 0; t < 5; t++) {
                                xs[n][t][0] = random.nextDouble() - 0.5;
                                sum += xs[n][t][0];
                                sums[n][t][0] = sum;
                            }
                        }
                        Summer net = new UnfoldedSummer(7);
                        System.out.println(net);
                        Minibatches data = Minibatches.of(net, xs, sums, 8);
                        double before = loss(net, xs, sums);
                        new Trainer(net, new Adam(net.parameters(), 0.01))
                                .epochs(40)
                                .listener(new ConsoleProgress(System.out, false))
                                .fit(data);
                        double after = loss(net, xs, sums);
                        System.out.printf(Locale.ROOT, "loss before training %.6f, after %.6f%n", before, after);
                        double[][] ys = new double[3][1];
                        net.forward(new double[][] {{0.5}, {0.25}, {-0.5}}, ys);
                        System.out.printf(Locale.ROOT, "predictions for 0.5, 0.25, -0.5: %.2f %.2f %.2f%n",
                                ys[0][0], ys[1][0], ys[2][0]);
                    }

                    static double loss(Summer net, double[][][] xs, double[][][] targets) {
                        double sum = 0;
                        for (int n = 0; n < xs.length; n++) {
                            sum += net.loss(xs[n], targets[n]);
                        }
                        return sum;
                    }
                }
                """);
    }

    /**
     * Installs what this build made of Unfold, as {@code mvn install} would, into {@code repository}:
     * the parent pom, and the jar and pom of the annotations, the runtime and the processor (whose
     * installed pom is the one its shading reduced).
     */
    private static void installUnfold(Path repository) throws IOException {
        install(repository, "unfold-parent", ROOT.resolve("pom.xml"), null);
        for (String module : List.of("annotations", "runtime", "processor")) {
            Path target = ROOT.resolve(module).resolve("target");
            Path reduced = target.resolve("dependency-reduced-pom.xml");
            Path pom = Files.exists(reduced) ? reduced : ROOT.resolve(module).resolve("pom.xml");
            Path jar = target.resolve("unfold-" + module + "-" + VERSION + ".jar");
            assertTrue(Files.exists(jar), jar + " was not built: run this test with mvn verify");
            install(repository, "unfold-" + module, pom, jar);
        }
    }

    private static void install(Path repository, String artifact, Path pom, Path jar) throws IOException {
        Path into = Files.createDirectories(repository.resolve("dev/unfold").resolve(artifact).resolve(VERSION));
        String base = artifact + "-" + VERSION;
        Files.copy(pom, into.resolve(base + ".pom"));
        if (jar != null) {
            Files.copy(jar, into.resolve(base + ".jar"));
        }
    }

    /**
     * The user's local repository as the first remote one, for plugins too: what it holds is copied
     * from disk, and only what it lacks comes from Maven Central.
     */
    private static String settings(Path userRepository) {
        String url = userRepository.toAbsolutePath().toUri().toString();
        String repository = """
                    <id>user-local-repository</id>
                    <url>%s</url>
                    <releases><enabled>true</enabled></releases>
                    <snapshots><enabled>false</enabled></snapshots>
                """.formatted(url);
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>reuse-local-repository</id>
                      <repositories><repository>
                %s      </repository></repositories>
                      <pluginRepositories><pluginRepository>
                %s      </pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>reuse-local-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, repository);
    }

    /** The Maven running this build, or {@code mvn} on the path. */
    private static String maven() {
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
        String name = windows ? "mvn.cmd" : "mvn";
        Path home = MAVEN_HOME.isEmpty() ? null : Path.of(MAVEN_HOME, "bin", name);
        return home != null && Files.isExecutable(home) ? home.toString() : name;
    }
}
