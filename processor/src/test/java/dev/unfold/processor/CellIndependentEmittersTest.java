package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A cell is one class: the emitters ask a {@code CellKind} what its cell does (its equations, which
 * rows of W_hh go where, what its own parameters' gradients sum) and never name a kind or switch
 * on the declared cell, so that adding a cell touches the cell package and nothing in {@code emit}.
 * The one exception is the gradient trace's diagnostics, which record the LSTM's forget gates.
 * The emitters' sources are read from {@code unfold.emitSources}, so that the check can be run
 * against an older tree (where the per-cell emitters and their factories fail it).
 */
class CellIndependentEmittersTest {
    private static final Path EMITTERS = Path.of(System.getProperty("unfold.emitSources",
            "src/main/java/dev/unfold/processor/emit"));
    /** A concrete kind, a declared cell's value, or a case of a switch over one. */
    private static final Pattern NAMES_A_CELL = Pattern.compile(
            "\\b(?:SimpleCell|LstmCell|GruCell)\\b|\\bCell\\.(?:SIMPLE|LSTM|GRU)\\b|\\bcase (?:SIMPLE|LSTM|GRU)\\b");
    /** The LSTM's forget gates and cell-state gradient, which only a traced LSTM records. */
    private static final Set<String> ALLOWED = Set.of("StateGradientTraceEmitter.java");

    @Test
    void noEmitterNamesACell() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.list(EMITTERS)) {
            for (Path file : sources.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                files++;
                if (ALLOWED.contains(file.getFileName().toString())) {
                    continue;
                }
                String[] lines = ScalarTypeTest.withoutComments(Files.readString(file, StandardCharsets.UTF_8))
                        .split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    Matcher matcher = NAMES_A_CELL.matcher(lines[i]);
                    while (matcher.find()) {
                        found.add(file.getFileName() + ":" + (i + 1) + ": " + matcher.group());
                    }
                }
            }
        }
        assertEquals(true, files > 20, "read the emitters from " + EMITTERS.toAbsolutePath() + ", found " + files);
        assertEquals(List.of(), found, "ask the layer's CellKind instead of naming a cell");
    }
}
