package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.Parameter;
import java.util.function.DoubleSupplier;

/** Every gradient entry against a central difference of the loss, (L(θ + ε) − L(θ − ε)) / 2ε. */
final class CentralDifferences {
    private static final double EPSILON = 1e-6;

    private CentralDifferences() {}

    /**
     * Asserts that each entry of each parameter's gradient (already computed) is within
     * {@code tolerance} · max(1, |estimate|) of the central difference of {@code loss}.
     */
    static void assertGradients(Iterable<Parameter> parameters, DoubleSupplier loss, double tolerance, String what) {
        for (Parameter parameter : parameters) {
            double[] values = parameter.value().data;
            for (int i = 0; i < values.length; i++) {
                double kept = values[i];
                values[i] = kept + EPSILON;
                double plus = loss.getAsDouble();
                values[i] = kept - EPSILON;
                double minus = loss.getAsDouble();
                values[i] = kept;
                double estimate = (plus - minus) / (2 * EPSILON);
                assertEquals(estimate, parameter.gradient().data[i], tolerance * Math.max(1, Math.abs(estimate)),
                        what + ": " + parameter.name() + "[" + i + "]");
            }
        }
    }
}
