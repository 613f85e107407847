package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Generated code reads like the equations: every size is a named constant ({@code STATE_SIZE},
 * {@code LOWER_HIDDEN}, where a layer's c starts in a saved state...), never a bare number. The
 * networks here have sizes from 29 up, and with comments, strings and the constants' own
 * declarations set aside no number from 10 up is left in their code: a size, an offset or a sum of
 * sizes written as a number would be one.
 */
class NamedSizesTest {
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])\\d+(?![\\w.])");

    @Test
    void noSizeIsABareNumber() {
        List<JavaFileObject> sources = List.of(
                TestCompiler.inTestPackage("Seq",
                        "@Network(input = 29, output = 31, loss = Loss.CROSS_ENTROPY)",
                        "public interface Seq extends Encoder, Decoder, Classifier, Traceable {",
                        "    @Recurrent(hidden = 37, cell = Cell.LSTM) Layer lower();",
                        "    @Recurrent(hidden = 41, cell = Cell.GRU) Layer middle();",
                        "    @Recurrent(hidden = 43, activation = Activation.TANH) Layer upper();",
                        "}"),
                TestCompiler.inTestPackage("Fed",
                        "@Network(input = 29, output = 31, loss = Loss.MSE)",
                        "public interface Fed extends Autoregressive, Traceable {",
                        "    @Recurrent(hidden = 37, cell = Cell.LSTM, recurrence = Recurrence.HIDDEN_AND_OUTPUT)",
                        "    Layer rnn();",
                        "}"),
                TestCompiler.inTestPackage("Summary",
                        "@Network(input = 29, output = 31, context = 47, loss = Loss.CROSS_ENTROPY,",
                        "        mapping = Mapping.MANY_TO_ONE)",
                        "public interface Summary extends Contextual, Classifier, Traceable {",
                        "    @Recurrent(hidden = 37, cell = Cell.GRU) @Bidirectional Layer lower();",
                        "    @Recurrent(hidden = 41, cell = Cell.LSTM) @Bidirectional Layer upper();",
                        "}"));
        Compilation compilation = TestCompiler.JAVAC.compileCleanly(sources);
        List<String> bare = new ArrayList<>();
        for (String name : List.of("Seq", "Fed", "Summary")) {
            String source = TestCompiler.generatedSource(compilation, "test.Unfolded" + name);
            String[] lines = withoutStrings(ScalarTypeTest.withoutComments(source)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains("static final int ")) {
                    continue;   // a constant's declaration: where the numbers belong
                }
                Matcher number = NUMBER.matcher(lines[i]);
                while (number.find()) {
                    if (Integer.parseInt(number.group()) >= 10) {
                        bare.add("Unfolded" + name + ":" + (i + 1) + ": " + lines[i].strip());
                    }
                }
            }
        }
        assertEquals(List.of(), bare, "name the size: a constant of the generated class");
    }

    /** The code with every string literal emptied: toString's text may name sizes. */
    private static String withoutStrings(String code) {
        return code.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    }
}
