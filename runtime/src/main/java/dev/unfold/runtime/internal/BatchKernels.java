package dev.unfold.runtime.internal;

/**
 * The products generated networks run over a batch of sequences. The batch is the innermost
 * dimension: a batch row is an array of {@link #lanes} values, value b belonging to sequence b,
 * so that each weight is read once per step for the whole batch and multiplied into a vector of
 * lanes, where one sequence at a time reads every weight once per step per sequence.
 *
 * <p>With {@code --add-modules jdk.incubator.vector} on the JVM's command line the products are
 * register-blocked with the JDK's Vector API; without it they are plain loops the JIT vectorises
 * on its own, several times slower on large layers and equal in results up to rounding. On a
 * machine with two or more cores, large products split their output rows between the caller and
 * one helper thread, with results identical to one core's.
 *
 * <p>Every kernel comes in double and in float, for float32 networks, the float one right after its
 * double twin: the same order of sums (in float), the same splitting over two cores. A float batch
 * row is {@link #floatLanes} wide, a float vector holding twice a double vector's lanes. The
 * activations are {@link DoubleActivations}' and {@link FloatActivations}', with the Vector API too, bit
 * for bit the same.
 */
public final class BatchKernels {
    /** Lanes are padded to a multiple of this: every vector shape the Vector API offers divides it. */
    private static final int LANE_MULTIPLE = 8;
    /** {@link #LANE_MULTIPLE} for float rows: a 512-bit vector holds 16 floats. */
    private static final int FLOAT_LANE_MULTIPLE = 16;

    /**
     * Whether the Vector API is there to use. {@code -Dunfold.scalarProducts=true} declines it, to
     * compare. The Vector API class is loaded only when this holds: it cannot link without the module.
     */
    private static final boolean VECTORISED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("unfold.scalarProducts");

    /**
     * Whether large products use a second core (see {@link TwoCoreOperations}): when the machine
     * has one, unless {@code -Dunfold.oneCore=true}.
     */
    private static final boolean TWO_CORES = Runtime.getRuntime().availableProcessors() > 1
            && !Boolean.getBoolean("unfold.oneCore");

    private static final BatchOperations OPERATIONS = choose();

    private static BatchOperations choose() {
        BatchOperations products = VECTORISED ? new VectorBatchOperations() : new ScalarBatchOperations();
        return TWO_CORES ? new TwoCoreOperations(products) : products;
    }

    private BatchKernels() {}

    /** Whether large products are split over two cores. */
    public static boolean twoCores() {
        return TWO_CORES;
    }

    /** Whether the products use the Vector API (see the class comment). */
    public static boolean vectorised() {
        return VECTORISED;
    }

    /**
     * Whether the row activations ({@link #sigmoid}, {@link #tanh}) run on vectors of lanes: whenever
     * the products do, on every Java release. Their kernels ({@link FloatVectorActivations},
     * {@link DoubleVectorActivations}) are short passes behind a call the JIT does not inline, a form
     * Java 17's C2 keeps in registers even when it has given up trapping on class checks
     * ({@code -XX:PerMethodTrapLimit=0}, where the one-loop kernels they replace boxed their
     * vectors; see {@code ActivationsUnderTrapPressureTest}). The results equal the scalar
     * functions' bit for bit either way, so only the speed depends on it.
     */
    public static boolean activatesByVector() {
        return VECTORISED;
    }

    /**
     * The width of a batch row for {@code batch} sequences: rounded up to a multiple of 8, the
     * lanes past the batch computing on zeros and contributing nothing to any gradient.
     */
    public static int lanes(int batch) {
        return (batch + LANE_MULTIPLE - 1) / LANE_MULTIPLE * LANE_MULTIPLE;
    }

    /**
     * The width of a float batch row for {@code batch} sequences: rounded up to a multiple of 16,
     * so that the Vector API's widest float vectors cover it whole (the float kernels take any
     * width, but lanes past the last whole vector are computed one at a time).
     */
    public static int floatLanes(int batch) {
        return (batch + FLOAT_LANE_MULTIPLE - 1) / FLOAT_LANE_MULTIPLE * FLOAT_LANE_MULTIPLE;
    }

    /**
     * {@code out[outRow + m] += Σ_j w[m·columns + j] · x[xRow + j]} for every lane: a row-major
     * rows × columns matrix times a batch of vectors.
     */
    public static void addProduct(double[] w, int rows, int columns, double[][] x, int xRow,
                                  double[][] out, int outRow, int lanes) {
        OPERATIONS.multiplyAdd(w, 0, columns, 1, rows, columns, x, xRow, out, outRow, lanes);
    }

    /** {@link #addProduct(double[], int, int, double[][], int, double[][], int, int)} in float. */
    public static void addProduct(float[] w, int rows, int columns, float[][] x, int xRow,
                                  float[][] out, int outRow, int lanes) {
        OPERATIONS.multiplyAdd(w, 0, columns, 1, rows, columns, x, xRow, out, outRow, lanes);
    }

    /**
     * {@link #addProduct} for the block of {@code blockRows} rows starting at row {@code firstRow}
     * of the matrix, written to out rows from {@code outRow}.
     */
    public static void addProduct(double[] w, int firstRow, int blockRows, int columns, double[][] x, int xRow,
                                  double[][] out, int outRow, int lanes) {
        OPERATIONS.multiplyAdd(w, firstRow * columns, columns, 1, blockRows, columns, x, xRow, out, outRow, lanes);
    }

    /** {@link #addProduct(double[], int, int, int, double[][], int, double[][], int, int)} in float. */
    public static void addProduct(float[] w, int firstRow, int blockRows, int columns, float[][] x, int xRow,
                                  float[][] out, int outRow, int lanes) {
        OPERATIONS.multiplyAdd(w, firstRow * columns, columns, 1, blockRows, columns, x, xRow, out, outRow, lanes);
    }

    /**
     * {@code out[outRow + j] += Σ_m w[m·columns + j] · d[dRow + m]} for every lane: the transpose
     * of a row-major rows × columns matrix times a batch of vectors, as BPTT needs.
     */
    public static void addTransposedProduct(double[] w, int rows, int columns, double[][] d, int dRow,
                                            double[][] out, int outRow, int lanes) {
        OPERATIONS.multiplyAdd(w, 0, 1, columns, columns, rows, d, dRow, out, outRow, lanes);
    }

    /** {@link #addTransposedProduct(double[], int, int, double[][], int, double[][], int, int)} in float. */
    public static void addTransposedProduct(float[] w, int rows, int columns, float[][] d, int dRow,
                                            float[][] out, int outRow, int lanes) {
        OPERATIONS.multiplyAdd(w, 0, 1, columns, columns, rows, d, dRow, out, outRow, lanes);
    }

    /**
     * {@code gradient[m·columns + j] += Σ_s Σ_b d[dRow + s·dStride + m][b] · x[xRow + s·xStride + j][b]}:
     * a weight's gradient, the outer products of the deltas and the inputs of {@code steps} steps
     * and every lane, summed in one pass.
     */
    public static void addOuterProducts(double[][] d, int dRow, int dStride, double[][] x, int xRow, int xStride,
                                        int steps, int rows, int columns, double[] gradient, int lanes) {
        OPERATIONS.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, rows, columns, gradient, 0, lanes);
    }

    /** {@link #addOuterProducts(double[][], int, int, double[][], int, int, int, int, int, double[], int)} in float. */
    public static void addOuterProducts(float[][] d, int dRow, int dStride, float[][] x, int xRow, int xStride,
                                        int steps, int rows, int columns, float[] gradient, int lanes) {
        OPERATIONS.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, rows, columns, gradient, 0, lanes);
    }

    /**
     * Adds {@code seeds[b][offset..offset + count]} to lane b of the carried gradient rows at the step
     * where sequence b ends ({@code lengths[b] == t}): BPTT seeded with ∂L/∂(final state) of each
     * sequence at its own last step.
     */
    public static void seedEnding(double[][] seeds, int offset, int[] lengths, int t, double[][] carried, int count) {
        for (int b = 0; b < seeds.length; b++) {
            if (lengths[b] == t) {
                double[] seed = seeds[b];
                for (int k = 0; k < count; k++) {
                    carried[k][b] += seed[offset + k];
                }
            }
        }
    }

    /**
     * {@link #seedEnding(double[][], int, int[], int, double[][], int)} for a float32 network:
     * {@code seeds} are the caller's state gradients, double in both precisions, each rounded to the
     * nearest float before it is added.
     */
    public static void seedEnding(double[][] seeds, int offset, int[] lengths, int t, float[][] carried, int count) {
        for (int b = 0; b < seeds.length; b++) {
            if (lengths[b] == t) {
                double[] seed = seeds[b];
                for (int k = 0; k < count; k++) {
                    carried[k][b] += (float) seed[offset + k];
                }
            }
        }
    }

    /**
     * Lane b of rows {@code from..from + count} from {@code states[b][offset..]} for every given
     * state: a batch's initial states, laid out as {@code saveState} lays one out.
     */
    public static void scatterStates(double[][] states, int count, int offset, double[][] rows, int from, int width) {
        for (int b = 0; b < count; b++) {
            double[] state = states[b];
            for (int k = 0; k < width; k++) {
                rows[from + k][b] = state[offset + k];
            }
        }
    }

    /** {@link #scatterStates(double[][], int, int, double[][], int, int)} in float. */
    public static void scatterStates(float[][] states, int count, int offset, float[][] rows, int from, int width) {
        for (int b = 0; b < count; b++) {
            float[] state = states[b];
            for (int k = 0; k < width; k++) {
                rows[from + k][b] = state[offset + k];
            }
        }
    }

    /**
     * {@code into[b][offset..offset + width]} = lane b of rows {@code rowOf(b)..}: row
     * {@code lengths[b] · stride + k} when {@code atEnd} (each sequence's own last step), row k otherwise.
     */
    public static void gatherStates(double[][] rows, int[] lengths, boolean atEnd, int stride, int width,
                                    double[][] into, int count, int offset) {
        for (int b = 0; b < count; b++) {
            int from = atEnd ? lengths[b] * stride : 0;
            double[] state = into[b];
            for (int k = 0; k < width; k++) {
                state[offset + k] = rows[from + k][b];
            }
        }
    }

    /**
     * {@link #gatherStates(double[][], int[], boolean, int, int, double[][], int, int)} for a float32
     * network: its float rows widened into the caller's states, double in both precisions.
     */
    public static void gatherStates(float[][] rows, int[] lengths, boolean atEnd, int stride, int width,
                                    double[][] into, int count, int offset) {
        for (int b = 0; b < count; b++) {
            int from = atEnd ? lengths[b] * stride : 0;
            double[] state = into[b];
            for (int k = 0; k < width; k++) {
                state[offset + k] = rows[from + k][b];
            }
        }
    }

    /**
     * {@link #gatherStates(double[][], int[], boolean, int, int, double[][], int, int)} into a float32
     * network's own float states: the streams a stateful batch carries on.
     */
    public static void gatherStates(float[][] rows, int[] lengths, boolean atEnd, int stride, int width,
                                    float[][] into, int count, int offset) {
        for (int b = 0; b < count; b++) {
            int from = atEnd ? lengths[b] * stride : 0;
            float[] state = into[b];
            for (int k = 0; k < width; k++) {
                state[offset + k] = rows[from + k][b];
            }
        }
    }

    /**
     * Sets rows {@code from .. from + count − 1} to zero in the lanes of the sequences that have
     * ended before step {@code t} ({@code lengths[b] < t}): in a batch of different lengths, a
     * finished sequence keeps a zero state and passes no gradient, so its padding changes nothing.
     */
    public static void clearEnded(double[][] rows, int from, int count, int[] lengths, int t, int lanes) {
        for (int k = 0; k < count; k++) {
            double[] row = rows[from + k];
            for (int b = 0; b < lanes; b++) {
                if (lengths[b] < t) {
                    row[b] = 0.0;
                }
            }
        }
    }

    /** {@link #clearEnded(double[][], int, int, int[], int, int)} in float. */
    public static void clearEnded(float[][] rows, int from, int count, int[] lengths, int t, int lanes) {
        for (int k = 0; k < count; k++) {
            float[] row = rows[from + k];
            for (int b = 0; b < lanes; b++) {
                if (lengths[b] < t) {
                    row[b] = 0f;
                }
            }
        }
    }

    /**
     * {@code rows[from + k][b] = σ(rows[from + k][b])} for k &lt; count and every lane: a block of
     * gates, by {@link DoubleActivations#sigmoid}: with the Vector API on whole vectors of lanes where the
     * JVM has it (see {@link #activatesByVector}), lane by lane elsewhere; the results equal the scalar
     * function's bit for bit either way (its exp is built from exactly rounded operations alone, see
     * {@link DoubleActivations}).
     */
    public static void sigmoid(double[][] rows, int from, int count, int lanes) {
        OPERATIONS.sigmoid(rows, from, count, lanes);
    }

    /** {@link #sigmoid(double[][], int, int, int)} in float, by {@link FloatActivations#sigmoid}. */
    public static void sigmoid(float[][] rows, int from, int count, int lanes) {
        OPERATIONS.sigmoid(rows, from, count, lanes);
    }

    /** tanh in place over rows [from, from + count), every lane (see {@link #sigmoid}). */
    public static void tanh(double[][] rows, int from, int count, int lanes) {
        tanh(rows, from, rows, from, count, lanes);
    }

    /** {@link #tanh(double[][], int, int, int)} in float. */
    public static void tanh(float[][] rows, int from, int count, int lanes) {
        tanh(rows, from, rows, from, count, lanes);
    }

    /**
     * {@code into[intoRow + k][b] = tanh(rows[from + k][b])} for k &lt; count and every lane, by
     * {@link DoubleActivations#tanh} (see {@link #sigmoid}).
     */
    public static void tanh(double[][] rows, int from, double[][] into, int intoRow, int count, int lanes) {
        OPERATIONS.tanh(rows, from, into, intoRow, count, lanes);
    }

    /** {@link #tanh(double[][], int, double[][], int, int, int)} in float, by {@link FloatActivations#tanh}. */
    public static void tanh(float[][] rows, int from, float[][] into, int intoRow, int count, int lanes) {
        OPERATIONS.tanh(rows, from, into, intoRow, count, lanes);
    }

    /** One sequence's {@code sums[m] += Σ_j w[m·columns + j] · x[xOffset + j]} on the row-major matrix. */
    static void addMatrixVector(double[] w, int rows, int columns, double[] x, int xOffset, double[] sums) {
        OPERATIONS.addMatrixVector(w, rows, columns, x, xOffset, sums);
    }

}
