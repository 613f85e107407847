package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * The hand-derived BPTT of every generated network agrees with central differences of its own
 * loss, for every parameter entry: simple cells with each activation, LSTM and GRU, one and two
 * directions, × losses × mappings × 1–3 layers × dense and token input × dense targets and labels.
 */
class GradientCheckTest {
    /** Step of the central difference; its truncation error is O(ε²), its rounding error O(1e-16/ε). */
    private static final double EPSILON = 1e-5;
    /** Largest allowed |analytic − numeric| / max(|analytic|, |numeric|, FLOOR). */
    private static final double TOLERANCE = 1e-6;
    /**
     * Below this magnitude a gradient entry is compared absolutely (error ≤ TOLERANCE × FLOOR): the
     * rounding error of the difference quotient is about 1e-16 × |L| / ε, independent of the entry.
     */
    private static final double FLOOR = 1e-3;

    private static final List<RandomNetworks.Spec> SPECS = RandomNetworks.allCombinations(2026);

    @TestFactory
    Stream<DynamicContainer> everyParameterMatchesCentralDifferences() {
        return RandomNetworks.eachCase(SPECS, GradientCheckTest::check);
    }

    private static void check(ClassLoader loader, RandomNetworks.Spec spec, boolean tokens, boolean labels) {
        SequenceModel net = TestCompiler.instantiate(loader, spec.className(), 7);
        assertEquals(spec.expectedParameterCount(), net.parameterCount());
        assertEquals(spec.expectedParameterCount(), net.parameters().count());
        Random random = new Random(spec.seed() * 4 + (tokens ? 1 : 0) + (labels ? 2 : 0));
        int steps = 1 + random.nextInt(6);
        Example example = RandomNetworks.example(spec, steps, tokens, labels, random);

        net.parameters().zeroGradients();
        double loss = example.backward(net);
        assertEquals(loss, example.loss(net), 1e-12 * Math.max(1, Math.abs(loss)),
                "loss() and backward() disagree");

        boolean hasKinks = spec.hasReluLayer();
        int checked = 0;
        int kinks = 0;
        for (Parameter parameter : net.parameters()) {
            double[] value = parameter.value().data;
            double[] gradient = parameter.gradient().data.clone();
            for (int i = 0; i < value.length; i++) {
                double original = value[i];
                value[i] = original + EPSILON;
                double plus = example.loss(net);
                value[i] = original - EPSILON;
                double minus = example.loss(net);
                value[i] = original;
                double numeric = (plus - minus) / (2 * EPSILON);
                double error = Math.abs(gradient[i] - numeric)
                        / Math.max(FLOOR, Math.max(Math.abs(gradient[i]), Math.abs(numeric)));
                checked++;
                if (error >= TOLERANCE && hasKinks && crossesKink(plus, loss, minus)) {
                    kinks++; // ReLU is not differentiable at 0; the difference straddles the kink
                    continue;
                }
                assertTrue(error < TOLERANCE, spec + ", loss " + loss + ": " + parameter.name() + "[" + i
                        + "]: analytic " + gradient[i] + ", numeric " + numeric + ", relative error " + error);
            }
        }
        assertTrue(kinks <= checked / 100, kinks + " of " + checked + " entries straddled a ReLU kink");
    }

    /** One-sided differences that disagree far more than curvature explains reveal a kink. */
    private static boolean crossesKink(double plus, double at, double minus) {
        double forward = (plus - at) / EPSILON;
        double backward = (at - minus) / EPSILON;
        return Math.abs(forward - backward) > 1e-3 * Math.max(1, Math.abs(forward) + Math.abs(backward));
    }
}
