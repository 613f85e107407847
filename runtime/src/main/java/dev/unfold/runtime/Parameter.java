package dev.unfold.runtime;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * One named weight tensor and its gradient, both row-major with PyTorch's shape (a bias of size H
 * is an H × 1 column). The generated class reads and writes the matrices' {@code data} arrays
 * directly, so the shapes are fixed: change the values in place, never reshape.
 */
public final class Parameter {
    private final String name;
    private final DMatrixRMaj value;
    private final DMatrixRMaj gradient;

    public Parameter(String name, int rows, int columns) {
        this.name = Objects.requireNonNull(name, "name");
        if (rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException(
                    "parameter " + name + " must have a positive shape, got " + rows + " × " + columns);
        }
        this.value = new DMatrixRMaj(rows, columns);
        this.gradient = new DMatrixRMaj(rows, columns);
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

    /** Number of scalars. */
    public int size() {
        return value.getNumElements();
    }

    @Override
    public String toString() {
        return name + " " + value.numRows + " × " + value.numCols;
    }
}
