package dev.unfold.processor.validate;

import dev.unfold.processor.declaration.LayerMethod;
import dev.unfold.processor.declaration.Located;
import dev.unfold.processor.declaration.NetworkDeclaration;
import java.util.Optional;

/**
 * Whether a declaration could be read completely. It cannot while it names a type, or uses a
 * constant, that does not resolve: in an IDE, code is often in that state; in a build, the type
 * may be one another processor generates in a later round. The processor waits for such a
 * declaration and, if it never resolves, reports it once, here described.
 */
public final class Unresolved {
    private Unresolved() {}

    /** What did not resolve, as the problem to report if it never does; empty when all did. */
    public static Optional<Problem> find(NetworkDeclaration network) {
        String name = network.simpleName();
        if (!network.unresolvedTypes().isEmpty()) {
            return Optional.of(new Problem("UnfoldUnresolved", "Unfold generated nothing for " + name + " because "
                    + String.join(", ", network.unresolvedTypes()) + " did not resolve: fix the name, or add the"
                    + " import or dependency that declares it", network.anchor()));
        }
        NetworkDeclaration.Encoder encoder = network.encoder();
        if (encoder != null && !encoder.resolved()) {
            String encoderName = encoder.name() == null ? "" : " " + encoder.name();
            return Optional.of(new Problem("UnfoldUnresolved", "Unfold generated nothing for " + name + " because the"
                    + " encoder" + encoderName + " that @DecodesFrom names did not resolve: fix the name, or add the"
                    + " import or dependency that declares it", encoder.anchor()));
        }
        Optional<Problem> value = value(name, "input", network.input())
                .or(() -> value(name, "output", network.output()))
                .or(() -> value(name, "loss", network.loss()))
                .or(() -> value(name, "mapping", network.mapping()))
                .or(() -> value(name, "context", network.context()))
                .or(() -> value(name, "precision", network.precision()));
        for (LayerMethod layer : network.layerMethods()) {
            LayerMethod.Recurrent recurrent = layer.recurrent();
            if (recurrent != null) {
                value = value.or(() -> value(name, "hidden", recurrent.hidden()))
                        .or(() -> value(name, "activation", recurrent.activation()))
                        .or(() -> value(name, "cell", recurrent.cell()))
                        .or(() -> value(name, "recurrence", recurrent.recurrence()))
                        .or(() -> value(name, "projection", recurrent.projection()))
                        .or(() -> value(name, "dropout", recurrent.dropout()))
                        .or(() -> value(name, "recurrentDropout", recurrent.recurrentDropout()));
            }
        }
        return value;
    }

    private static Optional<Problem> value(String network, String attribute, Located<?> located) {
        if (located.value() != null) {
            return Optional.empty();
        }
        return Optional.of(new Problem("UnfoldUnresolved", "Unfold generated nothing for " + network + " because the"
                + " value of " + attribute + " did not resolve to a constant: fix the error the compiler reports"
                + " for it", located.anchor()));
    }
}
