package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.unfold.Precision;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Generated code, of either precision, compiles without a single warning under either compiler: a warning in generated
 * code shows in the user's build log, and in every Eclipse project that declares such a network,
 * and the user can do nothing about it.
 */
class GeneratedWarningsTest {

    @EachCompiler
    void everyKindOfNetworkCompilesWithoutWarnings(TestCompiler compiler) {
        // every kind in both precisions: float code has its own literals, casts and widenings
        List<JavaFileObject> sources = RandomNetworks.allCombinations(2026).stream()
                .flatMap(spec -> Stream.of(spec, spec.in(Precision.FLOAT32)))
                .map(RandomNetworks.Spec::source).toList();
        Compilation compilation = compiler.compileCleanly(sources);
        List<String> warnings = compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
                .map(d -> (d.getSource() == null ? "generated" : d.getSource().getName()) + ":" + d.getLineNumber()
                        + ": " + d.getMessage(null))
                .distinct()
                .collect(Collectors.toList());
        assertEquals(List.of(), warnings);
    }
}
