package dev.unfold.runtime;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.runtime.internal.Checks;
import java.util.Objects;

/** The plain {@link Layer}: what the declaration said, and the layer's slice of the parameters. */
record LayerView(String name, int inputSize, int hiddenSize, int projectionSize, Cell cell, Activation activation,
                 boolean bidirectional, Parameters parameters) implements Layer {

    LayerView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(parameters, "parameters");
        Checks.atLeastOne("inputSize", inputSize);
        Checks.atLeastOne("hiddenSize", hiddenSize);
    }

    @Override
    public String toString() {
        String kind = cell == Cell.SIMPLE ? "simple " + activation.name().toLowerCase(java.util.Locale.ROOT)
                                          : cell.name();
        String projected = projectionSize > 0 ? hiddenSize + " units projected to " + projectionSize + "; " : "";
        return name + ": " + (bidirectional ? "bidirectional " : "") + kind + " " + inputSize + " → " + outputSize()
                + " (" + projected + parameters.count() + " parameters)";
    }
}
