package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import java.util.Arrays;
import java.util.List;

/** The parameter counts of the README's worked example, and PyTorch's names and shapes. */
class ParameterCountTest {

    private static <T extends SequenceModel> T forecaster(TestCompiler compiler, int output) {
        Compilation compilation = compiler.compileCleanly(List.of(TestCompiler.source("seed.Forecaster",
                "package seed;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 4, output = " + output + ", loss = Loss.MSE)",
                "public interface Forecaster extends Encoder, Decoder, Traceable {",
                "    @Recurrent(hidden = 20, activation = Activation.TANH)",
                "    Layer rnn();",
                "}")));
        return TestCompiler.instantiate(TestCompiler.loader(compilation), "seed.UnfoldedForecaster", 1);
    }

    @EachCompiler
    void seedForecasterHas521Parameters(TestCompiler compiler) {
        SequenceModel net = forecaster(compiler, 1);
        assertEquals(521, net.parameterCount());
        assertEquals(521, net.parameters().count());
    }

    @EachCompiler
    void twoOutputsMake542Parameters(TestCompiler compiler) {
        assertEquals(542, forecaster(compiler, 2).parameterCount());
    }

    @EachCompiler
    void namesAndShapesArePyTorchs(TestCompiler compiler) {
        SequenceModel net = forecaster(compiler, 2);
        assertEquals(List.of("rnn.weight_ih", "rnn.weight_hh", "rnn.bias", "out.weight", "out.bias"),
                net.parameters().names());
        assertShape(net.parameters().get("rnn.weight_ih"), 20, 4);
        assertShape(net.parameters().get("rnn.weight_hh"), 20, 20);
        assertShape(net.parameters().get("rnn.bias"), 20, 1);
        assertShape(net.parameters().get("out.weight"), 2, 20);
        assertShape(net.parameters().get("out.bias"), 2, 1);
    }

    @EachCompiler
    void formulaHoldsForRandomSizes(TestCompiler compiler) {
        // RandomNetworks.Spec computes the count from the sizes alone; GradientCheckTest compares
        // every one of its 216 networks against it. Here: a few more, with larger sizes.
        List<RandomNetworks.Spec> specs = RandomNetworks.allCombinations(99).subList(0, 12);
        Compilation compilation = compiler.compileCleanly(specs.stream().map(RandomNetworks.Spec::source).toList());
        ClassLoader loader = TestCompiler.loader(compilation);
        for (RandomNetworks.Spec spec : specs) {
            SequenceModel net = TestCompiler.instantiate(loader, spec.className(), 3);
            assertEquals(spec.expectedParameterCount(), net.parameterCount(), spec.toString());
            assertEquals(spec.expectedParameterCount(), net.parameters().count(), spec.toString());
        }
    }

    @EachCompiler
    void sameSeedSameWeightsOtherSeedOtherWeights(TestCompiler compiler) {
        SequenceModel a = forecaster(compiler, 1);
        Compilation compilation = compiler.compileCleanly(List.of(TestCompiler.source("seed.Forecaster",
                "package seed;",
                "import dev.unfold.*;",
                "import dev.unfold.runtime.*;",
                "@Network(input = 4, output = 1)",
                "public interface Forecaster extends Encoder, Decoder, Traceable {",
                "    @Recurrent(hidden = 20) Layer rnn();",
                "}")));
        ClassLoader loader = TestCompiler.loader(compilation);
        SequenceModel b = TestCompiler.instantiate(loader, "seed.UnfoldedForecaster", 1);
        SequenceModel c = TestCompiler.instantiate(loader, "seed.UnfoldedForecaster", 2);
        for (Parameter p : a.parameters()) {
            assertArrayEquals(p.value().data, b.parameters().get(p.name()).value().data, p.name());
        }
        double[] first = a.parameters().get("rnn.weight_hh").value().data;
        assertFalse(Arrays.equals(first, c.parameters().get("rnn.weight_hh").value().data));
        double bound = 1 / Math.sqrt(20);
        for (double w : first) {
            assertTrue(Math.abs(w) <= bound, "U(−1/√H, 1/√H): " + w);
        }
    }

    private static void assertShape(Parameter parameter, int rows, int columns) {
        assertEquals(rows, parameter.value().numRows, parameter.name());
        assertEquals(columns, parameter.value().numCols, parameter.name());
        assertEquals(rows, parameter.gradient().numRows, parameter.name());
        assertEquals(columns, parameter.gradient().numCols, parameter.name());
    }
}
