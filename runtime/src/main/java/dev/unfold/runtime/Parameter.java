package dev.unfold.runtime;

import dev.unfold.Precision;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * One named weight tensor and its gradient, both row-major with PyTorch's shape, in the network's
 * {@link Precision}. A vector (a bias of size H, PyTorch shape [H]) is held as an H × 1 column. The
 * generated class reads and writes the matrices' {@code data} arrays directly, so the shapes are
 * fixed: change the values in place, never reshape.
 *
 * <p>A {@link Precision#FLOAT64} parameter is a pair of {@link DMatrixRMaj} ({@link #value()},
 * {@link #gradient()}), a {@link Precision#FLOAT32} one a pair of {@link FMatrixRMaj}
 * ({@link #floatValue()}, {@link #floatGradient()}). Code that works with either precision reads and
 * writes single elements as {@code double} ({@link #value(int)}, {@link #setValue(int, double)},
 * {@link #gradient(int)}, {@link #setGradient(int, double)}): a float32 element is widened exactly
 * when read and rounded to nearest when written.
 */
public final class Parameter {
    private final String name;
    private final boolean vector;
    private final int rows;
    private final int columns;
    // exactly one pair is non-null: the one of the parameter's precision
    private final DMatrixRMaj doubleValue;
    private final DMatrixRMaj doubleGradient;
    private final FMatrixRMaj floatValue;
    private final FMatrixRMaj floatGradient;

    /** A float64 matrix parameter, PyTorch shape [rows, columns]. */
    public static Parameter matrix(String name, int rows, int columns) {
        return matrix(name, rows, columns, Precision.FLOAT64);
    }

    /** A float64 vector parameter, PyTorch shape [size], held as a size × 1 column. */
    public static Parameter vector(String name, int size) {
        return vector(name, size, Precision.FLOAT64);
    }

    /** A matrix parameter of the given precision, PyTorch shape [rows, columns]. */
    public static Parameter matrix(String name, int rows, int columns, Precision precision) {
        return new Parameter(name, rows, columns, false, precision);
    }

    /** A vector parameter of the given precision, PyTorch shape [size], held as a size × 1 column. */
    public static Parameter vector(String name, int size, Precision precision) {
        return new Parameter(name, size, 1, true, precision);
    }

    private Parameter(String name, int rows, int columns, boolean vector, Precision precision) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(precision, "precision");
        checkShape(name, rows, columns);
        this.vector = vector;
        this.rows = rows;
        this.columns = columns;
        boolean isDouble = precision == Precision.FLOAT64;
        this.doubleValue = isDouble ? new DMatrixRMaj(rows, columns) : null;
        this.doubleGradient = isDouble ? new DMatrixRMaj(rows, columns) : null;
        this.floatValue = isDouble ? null : new FMatrixRMaj(rows, columns);
        this.floatGradient = isDouble ? null : new FMatrixRMaj(rows, columns);
    }

    private Parameter(Parameter shared, String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.vector = shared.vector;
        this.rows = shared.rows;
        this.columns = shared.columns;
        this.doubleValue = shared.doubleValue;
        this.doubleGradient = shared.doubleGradient;
        this.floatValue = shared.floatValue;
        this.floatGradient = shared.floatGradient;
    }

    private static void checkShape(String name, int rows, int columns) {
        if (rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException(
                    "parameter " + name + " must have a positive shape, got " + rows + " × " + columns);
        }
        if ((long) rows * columns > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("parameter " + name + " of " + rows + " × " + columns + " has "
                    + (long) rows * columns + " values, more than a Java array holds");
        }
    }

    /**
     * The same tensor under another name, sharing its values and gradient: for an optimizer or a
     * checkpoint over several networks whose names would clash ({@code encoder.lstm.weight_ih}).
     */
    public Parameter renamed(String name) {
        return new Parameter(this, name);
    }

    /** The name, for example {@code rnn.weight_hh}. */
    public String name() {
        return name;
    }

    /** The precision the values and the gradient are held in. */
    public Precision precision() {
        return doubleValue != null ? Precision.FLOAT64 : Precision.FLOAT32;
    }

    /** The current values of a float64 parameter. */
    public DMatrixRMaj value() {
        if (doubleValue == null) {
            throw wrongPrecision("value()", "floatValue()");
        }
        return doubleValue;
    }

    /** The accumulated ∂L/∂value of a float64 parameter; {@link SequenceModel#backward} adds to it. */
    public DMatrixRMaj gradient() {
        if (doubleGradient == null) {
            throw wrongPrecision("gradient()", "floatGradient()");
        }
        return doubleGradient;
    }

    /** The current values of a float32 parameter. */
    public FMatrixRMaj floatValue() {
        if (floatValue == null) {
            throw wrongPrecision("floatValue()", "value()");
        }
        return floatValue;
    }

    /** The accumulated ∂L/∂value of a float32 parameter; {@link SequenceModel#backward} adds to it. */
    public FMatrixRMaj floatGradient() {
        if (floatGradient == null) {
            throw wrongPrecision("floatGradient()", "gradient()");
        }
        return floatGradient;
    }

    private IllegalStateException wrongPrecision(String called, String instead) {
        return new IllegalStateException("parameter " + name + " holds " + precision() + " values: " + called
                + " is for " + (precision() == Precision.FLOAT64 ? Precision.FLOAT32 : Precision.FLOAT64)
                + " parameters; call " + instead + ", or value(int) and gradient(int), which serve both");
    }

    /** Element {@code i} (row-major) of the values, widened to double. */
    public double value(int i) {
        return doubleValue != null ? doubleValue.data[i] : floatValue.data[i];
    }

    /** Sets element {@code i} (row-major) of the values, rounded to nearest for a float32 parameter. */
    public void setValue(int i, double value) {
        if (doubleValue != null) {
            doubleValue.data[i] = value;
        } else {
            floatValue.data[i] = (float) value;
        }
    }

    /** Element {@code i} (row-major) of the gradient, widened to double. */
    public double gradient(int i) {
        return doubleGradient != null ? doubleGradient.data[i] : floatGradient.data[i];
    }

    /** Sets element {@code i} (row-major) of the gradient, rounded to nearest for a float32 parameter. */
    public void setGradient(int i, double gradient) {
        if (doubleGradient != null) {
            doubleGradient.data[i] = gradient;
        } else {
            floatGradient.data[i] = (float) gradient;
        }
    }

    /**
     * The array the values live in, {@code double[]} or {@code float[]}: an identity for code that
     * must recognise the same tensor under two names (it is shared by {@link #renamed}).
     */
    public Object valueArray() {
        return doubleValue != null ? doubleValue.data : floatValue.data;
    }

    /** Whether the tensor is one-dimensional, as PyTorch's biases are. */
    public boolean isVector() {
        return vector;
    }

    /** PyTorch's shape: [rows] for a vector, [rows, columns] for a matrix. */
    public int[] shape() {
        return vector ? new int[] {rows} : new int[] {rows, columns};
    }

    /** Number of rows: PyTorch's first dimension. */
    public int rows() {
        return rows;
    }

    /** Number of columns: PyTorch's second dimension, 1 for a vector. */
    public int columns() {
        return columns;
    }

    /** Number of values. */
    public int size() {
        return rows * columns;
    }

    @Override
    public String toString() {
        String shape = vector ? " [" + rows + "]" : " " + rows + " × " + columns;
        return name + shape + (precision() == Precision.FLOAT32 ? " float32" : "");
    }
}
