package dev.unfold.processor.cell;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a cell's element-wise equations for unit k of a step, as a layout renders it in its
 * loop: a comment, a scalar local, or a store into a slot.
 *
 * <p>Expressions are Java text over locals, integer numbers and operators, with three kinds of
 * symbol the layout resolves: {@code @name}, a {@link Slot} the cell declares, {@code sigmoid(…)} or
 * {@code tanh(…)}, the runtime's activations, and {@link #ZERO}, the zero of the type the network
 * computes in, written as that type's literal ({@code 0.0}). So {@code "dc * @previousC * f * (1 - f)"} is
 * equations.md's δf_t = δc_t ⊙ c_{t−1} ⊙ f_t(1 − f_t) in both layouts.
 */
public sealed interface Statement {

    /** The zero of the network's scalar type in an expression: {@code 0.0} for a network of doubles. */
    String ZERO = "ZERO";

    /** A line of comment; those before a cell's first equation describe the whole loop and stand above it. */
    record Comment(String text) implements Statement {}

    /** {@code local = expression}: a scalar of the layout's type, local to unit k (and lane b). */
    record Let(String local, Expression value) implements Statement {}

    /** {@code slot = expression}. */
    record Store(Slot target, Expression value) implements Statement {}

    /** Java text with {@code @slot} references and the runtime's activations, see {@link Statement}. */
    record Expression(String text, List<Slot> slots) {
        private static final Pattern SLOT = Pattern.compile("@(\\w+)");

        /** Resolves the {@code @name}s of {@code text} among {@code declared}. */
        static Expression of(String text, List<Slot> declared) {
            Matcher matcher = SLOT.matcher(text);
            List<Slot> slots = new java.util.ArrayList<>();
            while (matcher.find()) {
                String name = matcher.group(1);
                slots.add(declared.stream().filter(slot -> slot.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no slot " + name + " in " + declared)));
            }
            return new Expression(text, List.copyOf(slots));
        }
    }
}
