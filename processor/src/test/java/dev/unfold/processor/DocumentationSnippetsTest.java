package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The README and the guide in docs/ show code that must keep working: every {@code java} block
 * compiles, with Unfold's processor, under javac and ECJ. The convention, also written in
 * docs/README.md for whoever edits the pages: a {@code java} block is
 * <ul>
 * <li>a compilation unit, compiled as is in the default package, together with the page's other
 *     units;
 * <li>a fragment, after {@code <!-- fragment: Type name, Type name -->}: statements, compiled as the
 *     body of a method with those parameters that may throw anything, in a class beside the page's
 *     units that imports {@link #FRAGMENT_IMPORTS};
 * <li>an excerpt, after {@code <!-- excerpt: path -->}: lines of that file of the repository, in
 *     order (indentation aside), {@code ...} standing for lines left out; not compiled.
 * </ul>
 * Every fenced block names a language this test knows; nothing is skipped silently.
 */
class DocumentationSnippetsTest {
    private static final Path ROOT = Path.of(System.getProperty("unfold.rootDirectory", ".."));

    /** What a fragment's class imports: the annotations, the runtime, and the JDK's usual packages. */
    static final List<String> FRAGMENT_IMPORTS = List.of("dev.unfold.*", "dev.unfold.runtime.*",
            "dev.unfold.runtime.optim.*", "dev.unfold.runtime.train.*", "dev.unfold.runtime.data.*",
            "dev.unfold.runtime.seq2seq.*", "dev.unfold.runtime.io.*", "dev.unfold.runtime.diagnostics.*",
            "dev.unfold.runtime.metrics.*",
            "java.nio.file.*", "java.util.*");
    /** The languages of blocks that are not compiled; {@code java} is. */
    private static final Set<String> OTHER_LANGUAGES = Set.of("sh", "xml", "kotlin", "python", "text");

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+)\\s*(\\S*).*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*(fragment|excerpt)\\b:?(.*?)-->\\s*$");
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^(?:(?:public|abstract|final|sealed|non-sealed)\\s+)*(?:interface|class|record|enum|@interface)\\s+(\\w+)");
    /** The page that lists the compile errors. */
    private static final Path ERRORS_PAGE = ROOT.resolve("docs/declaring-networks.md");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*$");

    /** A fenced block of a page: its language, the marker before it (or null), and where its text starts. */
    record Block(Path page, int firstLine, String language, String kind, String context, List<String> lines) {
        String where() {
            return ROOT.relativize(page).toString().replace('\\', '/') + ":" + firstLine;
        }
    }

    /** The pages: the README and every page of docs/. */
    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @EachCompiler
    void everyJavaSnippetCompiles(TestCompiler compiler) throws IOException {
        List<String> errors = new ArrayList<>();
        int compiled = 0;
        for (Path page : pages()) {
            List<JavaFileObject> sources = new ArrayList<>();
            Map<String, Block> blockOfSource = new HashMap<>();
            Map<String, Integer> headerLines = new HashMap<>();
            for (Block block : blocks(page, new ArrayList<>())) {
                if (!block.language().equals("java") || "excerpt".equals(block.kind())) {
                    continue;
                }
                JavaFileObject source;
                int header;
                if ("fragment".equals(block.kind())) {
                    String name = "FragmentAtLine" + block.firstLine();
                    List<String> lines = new ArrayList<>();
                    FRAGMENT_IMPORTS.forEach(i -> lines.add("import " + i + ";"));
                    lines.add("final class " + name + " {");
                    lines.add("    static void run(" + block.context() + ") throws Exception {");
                    header = lines.size();
                    lines.addAll(block.lines());
                    lines.add("    }");
                    lines.add("}");
                    source = TestCompiler.source(name, lines.toArray(String[]::new));
                } else {
                    Matcher type = TYPE.matcher(String.join("\n", block.lines()));
                    if (!type.find()) {
                        errors.add(block.where() + ": a java block without a marker must be a compilation unit,"
                                + " but it declares no type: mark a fragment with <!-- fragment: its parameters -->");
                        continue;
                    }
                    header = 0;
                    source = TestCompiler.source(type.group(1), block.lines().toArray(String[]::new));
                }
                blockOfSource.put(key(source), block);
                headerLines.put(key(source), header);
                sources.add(source);
                compiled++;
            }
            if (sources.isEmpty()) {
                continue;
            }
            Compilation compilation = compiler.compile(sources);
            for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
                Block block = error.getSource() == null ? null : blockOfSource.get(key(error.getSource()));
                String message = error.getMessage(Locale.ROOT);
                if (block == null) {
                    errors.add(ROOT.relativize(page) + ": " + error);
                } else {
                    long line = block.firstLine() + error.getLineNumber() - 1 - headerLines.get(key(error.getSource()));
                    errors.add(ROOT.relativize(block.page()).toString().replace('\\', '/') + ":" + line + ": " + message);
                }
            }
        }
        assertEquals(List.of(), errors, compiler + " compiled the pages' java blocks");
        assertTrue(compiled >= 20, "java blocks compiled: " + compiled);
    }

    @Test
    void everyBlockNamesALanguageAndEveryMarkerPrecedesAJavaBlock() throws IOException {
        List<String> problems = new ArrayList<>();
        int blocks = 0;
        for (Path page : pages()) {
            blocks += blocks(page, problems).size();
        }
        assertEquals(List.of(), problems);
        assertTrue(blocks >= 30, "fenced blocks: " + blocks);
    }

    @Test
    void everyExcerptIsInTheFileItQuotes() throws IOException {
        List<String> problems = new ArrayList<>();
        int excerpts = 0;
        for (Path page : pages()) {
            for (Block block : blocks(page, new ArrayList<>())) {
                if ("excerpt".equals(block.kind())) {
                    excerpts++;
                    problems.addAll(excerptProblems(block));
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(excerpts >= 1, "excerpts: " + excerpts);
    }

    @Test
    void theReadmeLinksEveryPageAndThePagesLinkEachOtherCorrectly() throws IOException {
        List<String> problems = new ArrayList<>();
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        List<Path> pages = pages();
        for (Path page : pages.subList(1, pages.size())) {
            String link = "](docs/" + page.getFileName() + ")";
            if (!readme.contains(link) && !readme.contains(link.replace(")", "#"))) {
                problems.add("README.md does not link docs/" + page.getFileName());
            }
        }
        Set<Path> guide = new HashSet<>();
        for (Path page : pages) {
            guide.add(page.toAbsolutePath().normalize());
        }
        for (Path page : pages) {
            for (String target : links(page)) {
                if (target.matches("^[a-z]+:.*")) {
                    continue;   // https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = (file.isEmpty() ? page : page.getParent().resolve(file)).toAbsolutePath().normalize();
                if (!guide.contains(resolved)) {
                    continue;   // a file of the repository, not a page of the guide
                }
                if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    problems.add(ROOT.relativize(page) + " links " + target + ", but no heading there makes that anchor");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * The guide lists the compile errors' ids so that users can look one up: every id the processor
     * can report, and none it cannot.
     */
    @Test
    void theGuideListsEveryCompileErrorIdTheProcessorReports() throws IOException {
        Set<String> reported = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(ROOT.resolve("processor/src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher id = Pattern.compile("\"(Unfold[A-Z]\\w*)\"").matcher(Files.readString(source, StandardCharsets.UTF_8));
                while (id.find()) {
                    reported.add(id.group(1));
                }
            }
        }
        assertTrue(reported.contains("UnfoldHiddenSize") && reported.size() > 20, "ids in the processor: " + reported);
        Set<String> listed = new TreeSet<>();
        Matcher id = Pattern.compile("`(Unfold[A-Z]\\w*)`").matcher(String.join("\n", prose(ERRORS_PAGE)));
        while (id.find()) {
            listed.add(id.group(1));
        }
        Set<String> missing = new TreeSet<>(reported);
        missing.removeAll(listed);
        Set<String> unknown = new TreeSet<>(listed);
        unknown.removeAll(reported);
        assertEquals(Set.of(), missing, ROOT.relativize(ERRORS_PAGE) + " does not list these ids");
        assertEquals(Set.of(), unknown, ROOT.relativize(ERRORS_PAGE) + " lists ids the processor never reports");
    }

    /** The page's fenced blocks; what breaks the convention goes into {@code problems}. */
    static List<Block> blocks(Path page, List<String> problems) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        String name = ROOT.relativize(page).toString().replace('\\', '/');
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i));
            Matcher fence = FENCE.matcher(lines.get(i));
            if (marker.matches()) {
                boolean beforeJava = i + 1 < lines.size() && FENCE.matcher(lines.get(i + 1)).matches()
                        && lines.get(i + 1).strip().equals("```java");
                if (!beforeJava) {
                    problems.add(name + ":" + (i + 1) + ": <!-- " + marker.group(1) + " --> must be on the line just"
                            + " before a ```java block");
                }
                continue;
            }
            if (!fence.matches()) {
                continue;
            }
            int indent = fence.group(1).length();
            String language = fence.group(3);
            int start = i + 1;
            List<String> text = new ArrayList<>();
            i++;
            while (i < lines.size() && !lines.get(i).strip().equals(fence.group(2))) {
                String line = lines.get(i);
                int strip = Math.min(indent, line.length() - line.stripLeading().length());
                text.add(line.substring(strip));
                i++;
            }
            if (i == lines.size()) {
                problems.add(name + ":" + start + ": a fenced block that never closes");
            }
            if (language.isEmpty()) {
                problems.add(name + ":" + start + ": a fenced block without a language: name it (java, sh, text...)");
            } else if (!language.equals("java") && !OTHER_LANGUAGES.contains(language)) {
                problems.add(name + ":" + start + ": ```" + language + " is neither java nor one of " + OTHER_LANGUAGES);
            }
            Matcher before = start >= 2 ? MARKER.matcher(lines.get(start - 2)) : null;
            boolean marked = before != null && before.matches();
            blocks.add(new Block(page, start + 1, language, marked ? before.group(1) : null,
                    marked ? before.group(2).strip() : "", text));
        }
        return blocks;
    }

    /** The runs of an excerpt's lines (split at {@code ...}) must occur in its file, in order. */
    private static List<String> excerptProblems(Block block) throws IOException {
        Path file = ROOT.resolve(block.context());
        if (block.context().isEmpty() || !Files.isRegularFile(file)) {
            return List.of(block.where() + ": the excerpt names no file of the repository: " + block.context());
        }
        List<String> quoted = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).toList();
        List<List<String>> runs = new ArrayList<>();
        runs.add(new ArrayList<>());
        for (String line : block.lines()) {
            if (line.strip().equals("...")) {
                runs.add(new ArrayList<>());
            } else {
                runs.get(runs.size() - 1).add(line.strip());
            }
        }
        int from = 0;
        for (List<String> run : runs) {
            if (run.isEmpty()) {
                continue;
            }
            int at = indexOf(quoted, run, from);
            if (at < 0) {
                return List.of(block.where() + ": these lines are not in " + block.context() + " (after line " + from
                        + ", in this order):\n" + String.join("\n", run));
            }
            from = at + run.size();
        }
        return List.of();
    }

    private static int indexOf(List<String> lines, List<String> run, int from) {
        for (int i = from; i + run.size() <= lines.size(); i++) {
            if (lines.subList(i, i + run.size()).equals(run)) {
                return i;
            }
        }
        return -1;
    }

    /** The targets of the page's Markdown links, outside fenced blocks. */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher link = LINK.matcher(line);
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub makes of the page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : prose(page)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                anchors.add(heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** The page's lines outside fenced blocks. */
    private static List<String> prose(Path page) throws IOException {
        List<String> prose = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                prose.add(line);
            }
        }
        return prose;
    }

    private static String key(JavaFileObject source) {
        return source.toUri().normalize().getPath();
    }
}
