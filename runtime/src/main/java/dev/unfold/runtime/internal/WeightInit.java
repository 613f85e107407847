package dev.unfold.runtime.internal;

import dev.unfold.runtime.Parameter;
import java.util.Objects;
import java.util.Random;

/**
 * Seeded initialisation for generated networks. {@link Random} is used because its sequence is
 * fixed by its specification, so a seed gives the same weights on every JVM.
 */
public final class WeightInit {
    private WeightInit() {}

    /**
     * Fills {@code parameter} with draws from U(−bound, bound), row by row. PyTorch draws every
     * recurrent weight and bias from U(−1/√H, 1/√H) and a linear layer's from U(−1/√fan_in, 1/√fan_in).
     * A float32 parameter takes the same doubles from {@code random}, each rounded to the nearest
     * float: a float32 network and a float64 network built with the same seed have the same
     * weights up to that rounding.
     */
    public static void uniform(Parameter parameter, double bound, Random random) {
        Objects.requireNonNull(parameter, "parameter");
        Checks.nonNegative("bound", bound);
        Objects.requireNonNull(random, "random");
        for (int i = 0, n = parameter.size(); i < n; i++) {
            parameter.setValue(i, (2 * random.nextDouble() - 1) * bound);
        }
    }
}
