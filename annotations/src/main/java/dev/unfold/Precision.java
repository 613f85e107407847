package dev.unfold;

/**
 * The floating-point type a network computes and keeps its parameters in.
 *
 * <p>A network's arrays are of its precision: a {@link #FLOAT64} network's methods take and fill
 * {@code double} arrays, a {@link #FLOAT32} network's {@code float} arrays. Token inputs and class
 * labels are {@code int} in both, and losses are returned as {@code double} in both.
 */
public enum Precision {
    /** IEEE 754 binary64, Java's {@code double}: the default, exact against PyTorch's float64. */
    FLOAT64,
    /**
     * IEEE 754 binary32, Java's {@code float}: PyTorch's default precision. Half the memory and
     * twice the vector lanes of {@link #FLOAT64}; a loss is still summed and returned in double.
     */
    FLOAT32
}
