package dev.unfold.processor;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Test networks compiled at most once per compiler and shared by a test class's tests, so a class
 * of {@link EachCompiler} tests pays for each compilation once rather than once per test.
 */
final class CompiledSources {
    private final List<JavaFileObject> sources;
    private final Map<TestCompiler, ClassLoader> loaders = new EnumMap<>(TestCompiler.class);

    CompiledSources(List<JavaFileObject> sources) {
        this.sources = sources;
    }

    /** The classes the compiler made of the sources (it must compile them cleanly). */
    synchronized ClassLoader loader(TestCompiler compiler) {
        return loaders.computeIfAbsent(compiler, c -> TestCompiler.loader(c.compileCleanly(sources)));
    }
}
