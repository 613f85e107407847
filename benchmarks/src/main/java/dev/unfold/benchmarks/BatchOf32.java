package dev.unfold.benchmarks;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.optim.Sgd;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * W3, W4 and W8: a language model over a batch of 32 sequences (of 35 steps unless the subclass
 * says otherwise), dense inputs, one class per step, in both precisions. Subclasses name the
 * network; JMH runs these benchmarks for each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class BatchOf32 {
    static final int STEPS = 35;
    static final int BATCH = 32;

    @Param({"FLOAT64", "FLOAT32"})
    public Precision precision = Precision.FLOAT64;

    private int steps;
    private Classifier net;
    private Sgd sgd;
    private double[][][] xs;
    private int[][] labels;
    private double[][][] ys;
    private float[][][] floatXs;
    private float[][][] floatYs;

    /** The network in the given precision, from the given seed. */
    abstract Classifier network(Precision precision, long seed);

    /** Seeds the network and the data. */
    abstract long seed();

    /** The length of each sequence. */
    int steps() {
        return STEPS;
    }

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(seed());
        steps = steps();
        net = network(precision, seed());
        sgd = new Sgd(net.parameters(), 0.001);
        xs = new double[BATCH][][];
        labels = new int[BATCH][];
        for (int b = 0; b < BATCH; b++) {
            xs[b] = Data.gaussian(random, steps, net.inputSize());
            labels[b] = Data.indices(random, steps, net.outputSize());
        }
        ys = new double[BATCH][steps][net.outputSize()];
        floatXs = new float[BATCH][][];
        for (int b = 0; b < BATCH; b++) {
            floatXs[b] = Data.rounded(xs[b]);
        }
        floatYs = new float[BATCH][steps][net.outputSize()];
    }

    /** The batch's predictions, in one batched pass. */
    @Benchmark
    public double forward() {
        if (precision == Precision.FLOAT32) {
            net.forward(floatXs, floatYs);
            return floatYs[BATCH - 1][steps - 1][0];
        }
        net.forward(xs, ys);
        return ys[BATCH - 1][steps - 1][0];
    }

    /** The batch's summed gradient, then one SGD update: the same step as PyTorch's on the batch tensor. */
    @Benchmark
    public double trainingStep() {
        net.parameters().zeroGradients();
        double loss = precision == Precision.FLOAT32 ? net.backward(floatXs, labels) : net.backward(xs, labels);
        sgd.step();
        return loss;
    }
}
