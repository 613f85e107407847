package dev.unfold.benchmarks;

import dev.unfold.processor.UnfoldProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * How long Unfold adds to {@code javac} for a four-layer network: the same compilation with and
 * without the processor, cold (the first compilation in a fresh JVM, as a command-line build
 * meets it) and warm (the median of 20 after 10, as in a build daemon or an IDE).
 *
 * <p>{@code ProcessingTime cold-with} and {@code cold-without} time one compilation (run each in a
 * fresh JVM); {@code ProcessingTime warm} prints the warm medians. Each prints one JSON object
 * with milliseconds.
 */
public final class ProcessingTime {
    private static final String NETWORK = String.join("\n",
            "package timing;",
            "import dev.unfold.*;",
            "import dev.unfold.runtime.*;",
            "@Network(input = 64, output = 32, loss = Loss.CROSS_ENTROPY)",
            "public interface Deep extends Classifier {",
            "    @Recurrent(hidden = 128, cell = Cell.LSTM) @Bidirectional Layer first();",
            "    @Recurrent(hidden = 128, cell = Cell.GRU) Layer second();",
            "    @Recurrent(hidden = 64, cell = Cell.LSTM) Layer third();",
            "    @Recurrent(hidden = 64) Layer fourth();",
            "}");

    private ProcessingTime() {}

    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("unfold-timing");
        try {
            Path source = root.resolve("src/timing/Deep.java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, NETWORK, StandardCharsets.UTF_8);
            String mode = args.length == 0 ? "warm" : args[0];
            switch (mode) {
                case "cold-with" -> System.out.printf("{\"coldWithProcessor\": %.1f}%n", compile(root, source, true));
                case "cold-without" -> System.out.printf("{\"coldWithout\": %.1f}%n", compile(root, source, false));
                case "warm" -> {
                    for (int i = 0; i < 10; i++) {
                        compile(root, source, true);
                        compile(root, source, false);
                    }
                    List<Double> with = new ArrayList<>();
                    List<Double> without = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        with.add(compile(root, source, true));
                        without.add(compile(root, source, false));
                    }
                    System.out.printf("{\"warmWithProcessor\": %.1f, \"warmWithout\": %.1f}%n",
                            median(with), median(without));
                }
                default -> throw new IllegalArgumentException("expected cold-with, cold-without or warm, got " + mode);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Milliseconds to compile the interface; with the processor, also the class it generates. Without
     * it, the interface alone compiles (the generated class is what the processor adds).
     */
    private static double compile(Path root, Path source, boolean withProcessor) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Path out = Files.createDirectories(root.resolve(withProcessor ? "with" : "without"));
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
            files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(out));
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
                    withProcessor ? "-Xlint:none" : "-proc:none");
            long start = System.nanoTime();
            JavaCompiler.CompilationTask task = javac.getTask(null, files, null, options, null,
                    files.getJavaFileObjects(source));
            if (withProcessor) {
                task.setProcessors(List.of(new UnfoldProcessor()));
            }
            if (!task.call()) {
                throw new IllegalStateException("the timing network did not compile");
            }
            return (System.nanoTime() - start) / 1e6;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
