package dev.unfold.runtime;

import dev.unfold.Activation;

/** The plain {@link Layer}: what the declaration said, and the layer's slice of the parameters. */
record LayerView(String name, int inputSize, int hiddenSize, Activation activation, Parameters parameters)
        implements Layer {

    @Override
    public String toString() {
        return name + ": " + activation + " " + inputSize + " → " + hiddenSize
                + " (" + parameters.count() + " parameters)";
    }
}
