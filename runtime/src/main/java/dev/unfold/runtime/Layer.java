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

    /** Width of the layer's input: the network's input, or the output size of the layer below. */
    int inputSize();

    /** H, the cell's units: the size of h_t of one direction, or of c_t when h_t is projected. */
    int hiddenSize();

    /**
     * P when the layer is an LSTM whose h_t = W_hr (o_t ⊙ tanh(c_t)) is projected to P values
     * ({@code @Recurrent(projection = P)}, PyTorch's {@code proj_size}); 0 otherwise.
     */
    default int projectionSize() {
        return 0;
    }

    /** The size of h_t of one direction: the projection P, or the hidden size H. */
    default int stateSize() {
        return projectionSize() > 0 ? projectionSize() : hiddenSize();
    }

    /** The recurrent cell. */
    Cell cell();

    /** The non-linearity of a simple cell's hidden state (TANH for LSTM and GRU, which fix their own). */
    Activation activation();

    /** Whether a second recurrence runs from t = T down to 1. */
    boolean bidirectional();

    /** Width of the layer's output at each step: the size of h_t, twice it if bidirectional. */
    default int outputSize() {
        return bidirectional() ? 2 * stateSize() : stateSize();
    }

    /** This layer's parameters only (those named {@code name() + "."}), shared with the network's. */
    Parameters parameters();

    /** A layer description; generated classes build their layers with it. */
    static Layer of(String name, int inputSize, int hiddenSize, Cell cell, Activation activation,
                    boolean bidirectional, Parameters parameters) {
        return new LayerView(name, inputSize, hiddenSize, 0, cell, activation, bidirectional, parameters);
    }

    /** A projecting LSTM's description; generated classes build such layers with it. */
    static Layer projecting(String name, int inputSize, int hiddenSize, int projectionSize, boolean bidirectional,
                            Parameters parameters) {
        if (hiddenSize < 2) {
            throw new IllegalArgumentException("projectionSize is " + projectionSize + ", but a layer of hiddenSize "
                    + hiddenSize + " cannot project: the projection must be smaller than the hidden size");
        }
        if (projectionSize < 1 || projectionSize >= hiddenSize) {
            throw new IllegalArgumentException("projectionSize is " + projectionSize + ", expected 1 to "
                    + (hiddenSize - 1) + " (below hiddenSize " + hiddenSize + ")");
        }
        return new LayerView(name, inputSize, hiddenSize, projectionSize, Cell.LSTM, Activation.TANH, bidirectional,
                parameters);
    }
}
