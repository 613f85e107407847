package dev.unfold.runtime;

import dev.unfold.Activation;
import dev.unfold.Cell;

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

    /** Size of the hidden state h_t of one direction. */
    int hiddenSize();

    /** The recurrent cell. */
    Cell cell();

    /** The non-linearity of a simple cell's hidden state (TANH for LSTM and GRU, which fix their own). */
    Activation activation();

    /** Whether a second recurrence runs from t = T down to 1. */
    boolean bidirectional();

    /** Width of the layer's output at each step: the hidden size, twice it if bidirectional. */
    default int outputSize() {
        return bidirectional() ? 2 * hiddenSize() : hiddenSize();
    }

    /** This layer's parameters only (those named {@code name() + "."}), shared with the network's. */
    Parameters parameters();

    /** A layer description; generated classes build their layers with it. */
    static Layer of(String name, int inputSize, int hiddenSize, Cell cell, Activation activation,
                    boolean bidirectional, Parameters parameters) {
        return new LayerView(name, inputSize, hiddenSize, cell, activation, bidirectional, parameters);
    }
}
