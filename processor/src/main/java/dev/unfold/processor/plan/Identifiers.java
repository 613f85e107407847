package dev.unfold.processor.plan;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Hands out Java identifiers that are unique within one namespace of the generated class. Names
 * come from the user's layer names, which could collide with each other or with the class's own
 * members ({@code rnn_a} and {@code rnnA} both make {@code RNN_A_HIDDEN}); a taken name gets the
 * first free numeric suffix, so the output stays deterministic.
 */
final class Identifiers {
    private final Set<String> taken = new HashSet<>();

    Identifiers(Iterable<String> reserved) {
        for (String name : reserved) {
            taken.add(name);
        }
    }

    /** {@code preferred} if free, else {@code preferred2}, {@code preferred3}, ... */
    String claim(String preferred) {
        String name = preferred;
        for (int n = 2; !taken.add(name); n++) {
            name = preferred + n;
        }
        return name;
    }

    /** {@code encoderRnn} → {@code ENCODER_RNN}: a constant name from a method name. */
    static String constantCase(String name) {
        StringBuilder constant = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i > 0 && Character.isUpperCase(c) && !Character.isUpperCase(name.charAt(i - 1))
                    && name.charAt(i - 1) != '_') {
                constant.append('_');
            }
            constant.append(c);
        }
        return constant.toString().toUpperCase(Locale.ROOT);
    }
}
