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
     */
    public static void uniform(Parameter parameter, double bound, Random random) {
        Objects.requireNonNull(parameter, "parameter");
        Checks.nonNegative("bound", bound);
        Objects.requireNonNull(random, "random");
        double[] value = parameter.value().data;
        for (int i = 0, n = parameter.size(); i < n; i++) {
            value[i] = (2 * random.nextDouble() - 1) * bound;
        }
    }
}
