package dev.unfold.runtime;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * One named weight tensor and its gradient, both row-major with PyTorch's shape. A vector (a bias
 * of size H, PyTorch shape [H]) is held as an H × 1 column. The generated class reads and writes
 * the matrices' {@code data} arrays directly, so the shapes are fixed: change the values in place,
 * never reshape.
 */
public final class Parameter {
    private final String name;
    private final boolean vector;
    private final DMatrixRMaj value;
    private final DMatrixRMaj gradient;

    /** A matrix parameter, PyTorch shape [rows, columns]. */
    public static Parameter matrix(String name, int rows, int columns) {
        return new Parameter(name, rows, columns, false);
    }

    /** A vector parameter, PyTorch shape [size], held as a size × 1 column. */
    public static Parameter vector(String name, int size) {
        return new Parameter(name, size, 1, true);
    }

    private Parameter(String name, int rows, int columns, boolean vector) {
        this(name, vector, checkedMatrix(name, rows, columns), new DMatrixRMaj(rows, columns));
    }

    private Parameter(String name, boolean vector, DMatrixRMaj value, DMatrixRMaj gradient) {
        this.vector = vector;
        this.name = Objects.requireNonNull(name, "name");
        this.value = value;
        this.gradient = gradient;
    }

    private static DMatrixRMaj checkedMatrix(String name, int rows, int columns) {
        Objects.requireNonNull(name, "name");
        if (rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException(
                    "parameter " + name + " must have a positive shape, got " + rows + " × " + columns);
        }
        if ((long) rows * columns > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("parameter " + name + " of " + rows + " × " + columns + " has "
                    + (long) rows * columns + " values, more than a Java array holds");
        }
        return new DMatrixRMaj(rows, columns);
    }

    /**
     * The same tensor under another name, sharing its values and gradient: for an optimizer or a
     * checkpoint over several networks whose names would clash ({@code encoder.lstm.weight_ih}).
     */
    public Parameter renamed(String name) {
        return new Parameter(name, vector, value, gradient);
    }

    /** The name, for example {@code rnn.weight_hh}. */
    public String name() {
        return name;
    }

    /** The current values. */
    public DMatrixRMaj value() {
        return value;
    }

    /** The accumulated ∂L/∂value; {@link SequenceModel#backward} adds to it. */
    public DMatrixRMaj gradient() {
        return gradient;
    }

    /** Whether the tensor is one-dimensional, as PyTorch's biases are. */
    public boolean isVector() {
        return vector;
    }

    /** PyTorch's shape: [rows] for a vector, [rows, columns] for a matrix. */
    public int[] shape() {
        return vector ? new int[] {value.numRows} : new int[] {value.numRows, value.numCols};
    }

    /** Number of scalars. */
    public int size() {
        return value.getNumElements();
    }

    @Override
    public String toString() {
        return name + (vector ? " [" + value.numRows + "]" : " " + value.numRows + " × " + value.numCols);
    }
}
