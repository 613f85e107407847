package dev.unfold.runtime;

import dev.unfold.Activation;

/**
 * One recurrent layer of a generated network, as the interface method that declared it returns
 * it: a description and a view of the layer's own parameters. The computation itself lives in the
 * generated class.
 */
public interface Layer {

    /** The declaring method's name, which prefixes the layer's parameter names. */
    String name();

    /** Width of the layer's input: the network's input, or the hidden size of the layer below. */
    int inputSize();

    /** Size of the hidden state h_t. */
    int hiddenSize();

    /** The non-linearity of the hidden state. */
    Activation activation();

    /** This layer's parameters only (those named {@code name() + "."}), shared with the network's. */
    Parameters parameters();

    /** A layer description; generated classes build their layers with it. */
    static Layer of(String name, int inputSize, int hiddenSize, Activation activation, Parameters parameters) {
        return new LayerView(name, inputSize, hiddenSize, activation, parameters);
    }
}
