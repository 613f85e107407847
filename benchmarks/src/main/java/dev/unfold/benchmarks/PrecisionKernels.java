package dev.unfold.benchmarks;

import dev.unfold.runtime.internal.BatchKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The batch kernels of one step of W3's recurrent layer (LSTM, 256 hidden, batch of 32), in double
 * and in float: the recurrent product W_hh h (1024 × 256 over 32 lanes), its transpose for BPTT,
 * the gradient of W_hh over 35 steps, and σ over the gates. Not a workload of BENCHMARKS.md (its
 * name does not start with W): it measures what float32 gains in the kernels a network spends its
 * time in. Run, after packaging, with
 * {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/unfold-benchmarks.jar PrecisionKernels}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PrecisionKernels {
    private static final int HIDDEN = 256;
    private static final int GATES = 4 * HIDDEN;
    private static final int BATCH = 32;
    private static final int STEPS = 35;

    private double[] doubleW;
    private double[][] doubleH;
    private double[][] doubleGates;
    private double[][] doubleDeltas;
    private double[][] doubleStates;
    private double[] doubleGradient;
    private float[] floatW;
    private float[][] floatH;
    private float[][] floatGates;
    private float[][] floatDeltas;
    private float[][] floatStates;
    private float[] floatGradient;
    private int doubleLanes;
    private int floatLanes;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        doubleLanes = BatchKernels.lanes(BATCH);
        floatLanes = BatchKernels.floatLanes(BATCH);
        doubleW = uniform(random, GATES * HIDDEN, 0.06);
        floatW = narrow(doubleW);
        doubleH = rows(random, HIDDEN, doubleLanes);
        floatH = narrow(doubleH);
        doubleGates = rows(random, GATES, doubleLanes);
        floatGates = narrow(doubleGates);
        doubleDeltas = rows(random, STEPS * GATES, doubleLanes);
        floatDeltas = narrow(doubleDeltas);
        doubleStates = rows(random, STEPS * HIDDEN, doubleLanes);
        floatStates = narrow(doubleStates);
        doubleGradient = new double[GATES * HIDDEN];
        floatGradient = new float[GATES * HIDDEN];
    }

    /** W_hh h for the batch: gates += W h. */
    @Benchmark
    public double productDouble() {
        BatchKernels.addProduct(doubleW, GATES, HIDDEN, doubleH, 0, doubleGates, 0, doubleLanes);
        return doubleGates[GATES - 1][0];
    }

    @Benchmark
    public float productFloat() {
        BatchKernels.addProduct(floatW, GATES, HIDDEN, floatH, 0, floatGates, 0, floatLanes);
        return floatGates[GATES - 1][0];
    }

    /** BPTT's W_hhᵀ δ. */
    @Benchmark
    public double transposedProductDouble() {
        BatchKernels.addTransposedProduct(doubleW, GATES, HIDDEN, doubleDeltas, 0, doubleH, 0, doubleLanes);
        return doubleH[HIDDEN - 1][0];
    }

    @Benchmark
    public float transposedProductFloat() {
        BatchKernels.addTransposedProduct(floatW, GATES, HIDDEN, floatDeltas, 0, floatH, 0, floatLanes);
        return floatH[HIDDEN - 1][0];
    }

    /** ∂L/∂W_hh over the 35 steps and the batch. */
    @Benchmark
    public double outerProductsDouble() {
        BatchKernels.addOuterProducts(doubleDeltas, 0, GATES, doubleStates, 0, HIDDEN, STEPS, GATES, HIDDEN,
                doubleGradient, doubleLanes);
        return doubleGradient[0];
    }

    @Benchmark
    public float outerProductsFloat() {
        BatchKernels.addOuterProducts(floatDeltas, 0, GATES, floatStates, 0, HIDDEN, STEPS, GATES, HIDDEN,
                floatGradient, floatLanes);
        return floatGradient[0];
    }

    /** σ over the three sigmoid gates, in place (its fixed points keep the values bounded). */
    @Benchmark
    public double sigmoidDouble() {
        BatchKernels.sigmoid(doubleGates, 0, 3 * HIDDEN, doubleLanes);
        return doubleGates[0][0];
    }

    @Benchmark
    public float sigmoidFloat() {
        BatchKernels.sigmoid(floatGates, 0, 3 * HIDDEN, floatLanes);
        return floatGates[0][0];
    }

    private static double[] uniform(SplittableRandom random, int n, double scale) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = scale * (2 * random.nextDouble() - 1);
        }
        return values;
    }

    private static double[][] rows(SplittableRandom random, int count, int lanes) {
        double[][] rows = new double[count][];
        for (int r = 0; r < count; r++) {
            rows[r] = uniform(random, lanes, 1);
        }
        return rows;
    }

    private static float[] narrow(double[] values) {
        float[] narrow = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            narrow[i] = (float) values[i];
        }
        return narrow;
    }

    private static float[][] narrow(double[][] rows) {
        float[][] narrow = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            narrow[r] = narrow(rows[r]);
        }
        return narrow;
    }
}
