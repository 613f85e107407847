package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The generated code, the README and the sources cite the mathematics as {@code equations.md (3.2)}:
 * every such citation must name an equation that docs/equations.md numbers, and nothing the project
 * ships may point to notes its users have never seen.
 */
class EquationCitationsTest {
    private static final Path ROOT = Path.of(System.getProperty("unfold.rootDirectory", ".."));
    private static final Path EQUATIONS = ROOT.resolve("docs/equations.md");
    private static final Path GOLDEN = Path.of(System.getProperty("unfold.goldenDirectory",
            "src/test/resources/expected"), "golden");

    /** An equation's number at the end of a line of a fenced block: {@code … (3.2)}. */
    private static final Pattern LABEL = Pattern.compile("\\((\\d+)\\.(\\d+)\\)\\s*$");
    private static final String NUMBER = "\\(\\d+\\.\\d+\\)";
    /** {@code equations.md (3.2)}, {@code equations.md (3.2), (1.3)}, {@code equations.md (1.3)–(1.6)}, across a line break. */
    private static final Pattern CITATION = Pattern.compile("equations\\.md[\\s*/]*(" + NUMBER
            + "(?:(?:,[\\s*/]*|–|\\s+to\\s+)" + NUMBER + ")*)");
    private static final Pattern CITED_NUMBER = Pattern.compile("\\((\\d+\\.\\d+)\\)");
    /** {@code equations.md section 6}, {@code equations.md sections 2 and 6}. */
    private static final Pattern SECTION_CITATION = Pattern.compile("equations\\.md sections? (\\d+)(?: and (\\d+))?");
    /** The lecture notes the project began from: by their three-digit numbers, or named as a group. */
    private static final Pattern NOTES = Pattern.compile("(?i)\\bseeds?\\s+0\\d\\d|\\bseeds[']|\\bseed[']s\\b|\\bthe seeds\\b|Seed0\\d\\d");
    private static final Set<String> TEXT_FILES = Set.of("java", "md", "xml", "py", "properties", "txt");

    @Test
    void theEquationsAreNumberedSectionBySection() throws IOException {
        Map<String, Integer> labels = labels();
        assertTrue(labels.size() > 50, "numbered equations: " + labels.keySet());
        Map<Integer, List<Integer>> bySection = new LinkedHashMap<>();
        for (String label : labels.keySet()) {
            String[] parts = label.split("\\.");
            bySection.computeIfAbsent(Integer.parseInt(parts[0]), s -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        String text = Files.readString(EQUATIONS, StandardCharsets.UTF_8);
        for (Map.Entry<Integer, List<Integer>> section : bySection.entrySet()) {
            assertTrue(text.contains("\n## " + section.getKey() + ". "), "no heading for section " + section.getKey());
            for (int i = 0; i < section.getValue().size(); i++) {
                assertEquals(i + 1, section.getValue().get(i), "section " + section.getKey() + " numbers "
                        + section.getValue() + ": in order from 1, each once");
            }
        }
    }

    @Test
    void everyCitationInTheRepositoryNamesANumberedEquation() throws IOException {
        Set<String> labels = labels().keySet();
        List<String> unresolved = new ArrayList<>();
        int citations = 0;
        for (Path file : projectFiles()) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            for (String number : citedNumbers(text)) {
                citations++;
                if (!labels.contains(number)) {
                    unresolved.add(ROOT.relativize(file) + " cites (" + number + ")");
                }
            }
            Matcher sections = SECTION_CITATION.matcher(text);
            while (sections.find()) {
                for (int g = 1; g <= 2; g++) {
                    String section = sections.group(g);
                    if (section != null && labels.stream().noneMatch(label -> label.startsWith(section + "."))) {
                        unresolved.add(ROOT.relativize(file) + " cites section " + section);
                    }
                }
            }
        }
        assertTrue(citations > 100, "citations found: " + citations);
        assertEquals(List.of(), unresolved);
    }

    @Test
    void nothingPointsToNotesUsersHaveNeverSeen() throws IOException {
        List<String> mentions = new ArrayList<>();
        for (Path file : projectFiles()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (NOTES.matcher(lines.get(i)).find()) {
                    mentions.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), mentions);
    }

    /** Every generated class cites the equations it implements, beyond the goldens' networks too. */
    @EachCompiler
    void generatedClassesCiteTheEquationsTheyImplement(TestCompiler compiler) throws IOException {
        Set<String> labels = labels().keySet();
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("golden.UnfoldedForecaster", Set.of("1.1", "1.3", "2.1", "2.3", "3.1", "3.2", "3.3", "3.5", "3.7"));
        expected.put("golden.UnfoldedFoldedForecaster", Set.of("8.1", "3.4"));
        expected.put("golden.UnfoldedProteins_Classifier", Set.of("1.4", "1.5", "2.6", "2.8", "6.3"));
        expected.put("golden.UnfoldedProteins2", Set.of("4.1", "4.5", "4.6", "4.7", "4.8", "5.1", "5.6", "5.9", "5.10"));
        for (Map.Entry<String, Set<String>> golden : expected.entrySet()) {
            Set<String> cited = citedNumbers(Files.readString(GOLDEN.resolve(golden.getKey().substring("golden.".length())
                    + ".java"), StandardCharsets.UTF_8));
            assertTrue(cited.containsAll(golden.getValue()), golden.getKey() + " cites " + cited);
        }

        var compilation = compiler.compileCleanly(List.of(TestCompiler.source("cite.Captioner",
                "package cite;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 3, output = 2, loss = Loss.BINARY_CROSS_ENTROPY, context = 4)",
                "public interface Captioner extends Autoregressive, Contextual, Traceable {",
                "    @Recurrent(hidden = 5, cell = Cell.GRU, recurrence = Recurrence.HIDDEN_AND_OUTPUT) Layer gru();",
                "    @Recurrent(hidden = 3, activation = Activation.IDENTITY) Layer top();",
                "}")));
        Set<String> cited = citedNumbers(TestCompiler.generatedSource(compilation, "cite.UnfoldedCaptioner"));
        assertTrue(cited.containsAll(Set.of("1.6", "2.9", "2.10", "5.1", "7.2", "8.2")), "cites " + cited);
        assertTrue(labels.containsAll(cited), "cites " + cited + ", numbered " + labels);
    }

    /** The numbers of equations.md, in the order they appear, each with its line. */
    private static Map<String, Integer> labels() throws IOException {
        List<String> lines = Files.readAllLines(EQUATIONS, StandardCharsets.UTF_8);
        Map<String, Integer> labels = new LinkedHashMap<>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher label = LABEL.matcher(line);
            if (fenced && label.find()) {
                Integer previous = labels.put(label.group(1) + "." + label.group(2), i + 1);
                assertFalse(previous != null, "(" + label.group(1) + "." + label.group(2) + ") numbers lines "
                        + previous + " and " + (i + 1));
            }
        }
        return labels;
    }

    static Set<String> citedNumbers(String text) {
        Set<String> numbers = new TreeSet<>();
        Matcher citation = CITATION.matcher(text);
        while (citation.find()) {
            Matcher number = CITED_NUMBER.matcher(citation.group(1));
            while (number.find()) {
                numbers.add(number.group(1));
            }
        }
        return numbers;
    }

    /**
     * What the project ships or shows: README and the other documents, every module's sources and
     * resources (the goldens of generated code included), build files, tools and the command-line
     * script; not build output.
     */
    private static List<Path> projectFiles() throws IOException {
        Path script = ROOT.resolve("unfold");
        try (Stream<Path> files = Files.walk(ROOT)) {
            List<Path> found = files
                    .filter(path -> Stream.of(ROOT.relativize(path).toString().split("[/\\\\]"))
                            .noneMatch(part -> part.equals("target") || part.startsWith(".git")))
                    .filter(Files::isRegularFile)
                    .filter(path -> path.equals(script) || TEXT_FILES.contains(extension(path)))
                    .collect(Collectors.toList());
            assertTrue(found.contains(ROOT.resolve("README.md")) && found.contains(EQUATIONS), "walked " + ROOT);
            return found;
        }
    }

    private static String extension(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }
}
