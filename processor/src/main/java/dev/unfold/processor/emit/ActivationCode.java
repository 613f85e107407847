package dev.unfold.processor.emit;

import dev.unfold.Activation;
import java.util.Locale;

/** How generated comments and javadoc write an activation (its equations are in SimpleCell). */
final class ActivationCode {
    private ActivationCode() {}

    /** The activation as the equations write it: tanh, relu, sigmoid, identity. */
    static String symbol(Activation activation) {
        return activation.name().toLowerCase(Locale.ROOT);
    }
}
