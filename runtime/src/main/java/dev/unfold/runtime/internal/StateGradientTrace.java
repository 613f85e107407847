package dev.unfold.runtime.internal;

import dev.unfold.Cell;
import dev.unfold.runtime.Layer;
import java.util.List;
import java.util.Objects;

/**
 * What a generated network's BPTT records while {@link dev.unfold.runtime.Traceable#traceStateGradients} is on:
 * for every layer and direction, the norm ‖δh_k‖ = ‖∂L/∂h_k‖ at every step k (the complete
 * gradient the state receives: from the layer or output above, and back through the recurrence),
 * and for an LSTM layer its forget gates f_k. These are the numbers
 * equations.md (11.2) and (4.8) are about.
 *
 * <p>The generated code calls {@link #stateGradient} and {@link #forgetGates(int, int, int, double[], int, int)}
 * once a step, only while tracing, so a network that does not trace pays one branch a step. The
 * buffers grow on the first traced pass of a given length; tracing allocates, not tracing never
 * does. Slot 2l is layer l's forward direction, slot 2l + 1 its reverse direction (unused, and
 * empty, for a layer that runs forward only): the generated code knows each slot from its layer's
 * index alone.
 */
public final class StateGradientTrace {
    private final List<Layer> layers;
    private final double[][] norms;
    private final double[][] forgetGates;
    private final double[][] cellNorms;
    private int steps;

    /** A trace for the given layers, bottom first, as a generated network lists them. */
    public StateGradientTrace(List<Layer> layers) {
        Objects.requireNonNull(layers, "layers");
        this.layers = List.copyOf(layers);
        this.norms = new double[2 * layers.size()][0];
        this.forgetGates = new double[2 * layers.size()][0];
        this.cellNorms = new double[2 * layers.size()][0];
    }

    /**
     * Records ‖δh_t‖ for one slot at step t of a pass of {@code steps} steps: the square root of
     * Σ_k (above[at + k] + carry[k])², the same sum BPTT forms for δh_t ({@code above} is null where
     * nothing arrives from above at every step: the top layer of a many-to-one network).
     */
    public void stateGradient(int slot, int t, int steps, double[] above, int at, double[] carry, int hidden) {
        this.steps = steps;
        if (norms[slot].length < steps + 2) {
            norms[slot] = new double[steps + 2];
        }
        double sum = 0;
        for (int k = 0; k < hidden; k++) {
            double dh = above == null ? carry[k] : above[at + k] + carry[k];
            sum += dh * dh;
        }
        norms[slot][t] = Math.sqrt(sum);
    }

    /**
     * {@link #stateGradient(int, int, int, double[], int, double[], int)} for a float32 network: each
     * δh_t formed in float, as its BPTT forms it, and the norm summed in double.
     */
    public void stateGradient(int slot, int t, int steps, float[] above, int at, float[] carry, int hidden) {
        this.steps = steps;
        if (norms[slot].length < steps + 2) {
            norms[slot] = new double[steps + 2];
        }
        double sum = 0;
        for (int k = 0; k < hidden; k++) {
            double dh = above == null ? carry[k] : above[at + k] + carry[k];
            sum += dh * dh;
        }
        norms[slot][t] = Math.sqrt(sum);
    }

    /** Records ‖f_{t+1} ⊙ δc_{t+1}‖ of an LSTM slot at step t: what c_t receives along the cell state. */
    public void cellGradient(int slot, int t, int steps, double[] carry, int hidden) {
        if (cellNorms[slot].length < steps + 2) {
            cellNorms[slot] = new double[steps + 2];
        }
        double sum = 0;
        for (int k = 0; k < hidden; k++) {
            sum += carry[k] * carry[k];
        }
        cellNorms[slot][t] = Math.sqrt(sum);
    }

    /** {@link #cellGradient(int, int, int, double[], int)} for a float32 network, summed in double. */
    public void cellGradient(int slot, int t, int steps, float[] carry, int hidden) {
        if (cellNorms[slot].length < steps + 2) {
            cellNorms[slot] = new double[steps + 2];
        }
        double sum = 0;
        for (int k = 0; k < hidden; k++) {
            sum += (double) carry[k] * carry[k];
        }
        cellNorms[slot][t] = Math.sqrt(sum);
    }

    /** Records f_t of an LSTM slot at step t: {@code hidden} values of {@code gates} from {@code at}. */
    public void forgetGates(int slot, int t, int steps, double[] gates, int at, int hidden) {
        if (forgetGates[slot].length < (steps + 2) * hidden) {
            forgetGates[slot] = new double[(steps + 2) * hidden];
        }
        System.arraycopy(gates, at, forgetGates[slot], t * hidden, hidden);
    }

    /** {@link #forgetGates(int, int, int, double[], int, int)} for a float32 network, widened to double. */
    public void forgetGates(int slot, int t, int steps, float[] gates, int at, int hidden) {
        if (forgetGates[slot].length < (steps + 2) * hidden) {
            forgetGates[slot] = new double[(steps + 2) * hidden];
        }
        Conversions.copy(gates, at, forgetGates[slot], t * hidden, hidden);
    }

    /**
     * Batched passes are not traced: one sequence's norms are what the theorem speaks of. Refused
     * as an {@link IllegalStateException}: the network can run batches, just not while tracing is on.
     */
    public static void refuseBatch(boolean tracing) {
        if (tracing) {
            throw new IllegalStateException("state gradients are traced one sequence at a time: call"
                    + " traceStateGradients(false) before a batched backward, or run the sequences one by one");
        }
    }

    /** {@code trace}, which a generated network creates when tracing is first turned on. */
    public static StateGradientTrace traced(StateGradientTrace trace) {
        if (trace == null) {
            throw new IllegalStateException("no backward pass was traced yet: call traceStateGradients(true), then"
                    + " backward");
        }
        return trace;
    }

    /** Steps of the last traced backward pass, 0 before one. */
    public int steps() {
        return steps;
    }

    /**
     * Copies ‖∂L/∂h_k‖ for k = 1..T of the last traced pass into {@code into[k − 1]}; for the
     * reverse direction, ‖∂L/∂g_k‖, still indexed by the step k.
     */
    public void norms(int layer, int direction, double[] into) {
        copySteps(norms[slot(layer, direction)], into);
    }

    /** Copies ‖∂L/∂c_k along the cell state‖ of an LSTM layer's direction, k = 1..T, into {@code into[k − 1]}. */
    public void cellNorms(int layer, int direction, double[] into) {
        int slot = slot(layer, direction);
        requireLstm(layer, "a cell state");
        copySteps(cellNorms[slot], into);
    }

    /** Rows 1..T of one slot's record into {@code into}, which must have the T values of the last pass. */
    private void copySteps(double[] recorded, double[] into) {
        Objects.requireNonNull(into, "into");
        if (into.length != steps) {
            throw new IllegalArgumentException("into has " + into.length + " values, expected " + steps
                    + " (the steps of the last traced backward pass)");
        }
        System.arraycopy(recorded, 1, into, 0, steps);
    }

    private Layer requireLstm(int layer, String what) {
        Layer which = layers.get(layer);
        if (which.cell() != Cell.LSTM) {
            throw new IllegalArgumentException("layer " + layer + " (" + which.name() + ") is a " + which.cell()
                    + " layer: only an LSTM has " + what);
        }
        return which;
    }

    /** Copies f_k of an LSTM layer's direction, k = 1..T of the last traced pass, into the rows of {@code into}. */
    public void forgetGates(int layer, int direction, double[][] into) {
        int slot = slot(layer, direction);
        Layer which = requireLstm(layer, "forget gates");
        Objects.requireNonNull(into, "into");
        int hidden = which.hiddenSize();
        if (into.length != steps) {
            throw new IllegalArgumentException("into has " + into.length + " rows, expected " + steps
                    + " (the steps of the last traced backward pass)");
        }
        // every row checked before any is written: a refused call leaves into as it was
        for (int t = 1; t <= steps; t++) {
            if (into[t - 1] == null || into[t - 1].length != hidden) {
                throw new IllegalArgumentException("into[" + (t - 1) + "] has "
                        + (into[t - 1] == null ? "no row" : into[t - 1].length + " values") + ", expected " + hidden
                        + " (the hidden size of " + which.name() + ")");
            }
        }
        for (int t = 1; t <= steps; t++) {
            System.arraycopy(forgetGates[slot], t * hidden, into[t - 1], 0, hidden);
        }
    }

    private int slot(int layer, int direction) {
        if (layer < 0 || layer >= layers.size()) {
            throw new IllegalArgumentException("layer is " + layer + ", expected one of [0, " + layers.size()
                    + ") (the network's layers, bottom first)");
        }
        int directions = layers.get(layer).bidirectional() ? 2 : 1;
        if (direction < 0 || direction >= directions) {
            throw new IllegalArgumentException("direction is " + direction + ", expected " + (directions == 2
                    ? "0 (forward) or 1 (reverse)" : "0: " + layers.get(layer).name() + " runs forward only"));
        }
        if (steps == 0) {
            throw new IllegalStateException("no backward pass was traced yet: call traceStateGradients(true), then"
                    + " backward");
        }
        return 2 * layer + direction;
    }
}
