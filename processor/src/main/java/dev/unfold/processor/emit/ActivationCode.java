package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.ACTIVATIONS;

import com.palantir.javapoet.CodeBlock;
import dev.unfold.Activation;
import java.util.Locale;

/**
 * The code of each activation: applying σ, and multiplying a gradient by σ' written in terms of
 * the stored output h = σ(u), so BPTT never needs u itself (equations.md (1.3)–(1.6)).
 */
final class ActivationCode {
    private ActivationCode() {}

    /** σ(u) for an expression {@code u}. */
    static CodeBlock apply(Activation activation, String u) {
        return switch (activation) {
            case TANH -> CodeBlock.of("$T.tanh($L)", ACTIVATIONS, u);
            case RELU -> CodeBlock.of("$T.max(0.0, $L)", Math.class, u);
            case SIGMOID -> CodeBlock.of("$T.sigmoid($L)", ACTIVATIONS, u);
            case IDENTITY -> CodeBlock.of("$L", u);
        };
    }

    /** σ'(u) ⊙ dh with h = σ(u) in a variable {@code h}. */
    static CodeBlock derivativeTimes(Activation activation, String h, CodeBlock dh) {
        return switch (activation) {
            case TANH -> CodeBlock.of("(1 - $N * $N) * ($L)", h, h, dh);
            case RELU -> CodeBlock.of("$N > 0 ? $L : 0.0", h, dh);
            case SIGMOID -> CodeBlock.of("$N * (1 - $N) * ($L)", h, h, dh);
            case IDENTITY -> dh;
        };
    }

    /** Whether {@link #derivativeTimes} reads h. */
    static boolean derivativeReadsOutput(Activation activation) {
        return activation != Activation.IDENTITY;
    }

    /** The activation as the equations write it: tanh, relu, sigmoid, identity. */
    static String symbol(Activation activation) {
        return activation.name().toLowerCase(Locale.ROOT);
    }

    /** The derivative rule, for the comment above the δu line. */
    static String derivativeEquation(Activation activation) {
        return switch (activation) {
            case TANH -> "δu_t = (1 − h_t²) ⊙ δh_t   (equations.md (3.2), (1.3))";
            case RELU -> "δu_t = [h_t > 0] ⊙ δh_t   (ReLU', equations.md (3.2), (1.5))";
            case SIGMOID -> "δu_t = h_t ⊙ (1 − h_t) ⊙ δh_t   (σ' = σ(1 − σ), equations.md (3.2), (1.4))";
            case IDENTITY -> "δu_t = δh_t   (identity: σ' = 1, equations.md (3.2), (1.6))";
        };
    }
}
