package dev.unfold.benchmarks;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.Precision;
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

/** W1 in both precisions: the same network, weights and data, each in its precision. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W1Forecaster {
    static final int STEPS = 50;

    @Param({"FLOAT64", "FLOAT32"})
    public Precision precision = Precision.FLOAT64;

    private SequenceModel net;
    private Sgd sgd;
    private double[][] xs;
    private double[][] targets;
    private double[][] ys;
    private float[][] floatXs;
    private float[][] floatTargets;
    private float[][] floatYs;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        net = precision == Precision.FLOAT32 ? new UnfoldedFloat32SeedForecaster(1) : new UnfoldedSeedForecaster(1);
        sgd = new Sgd(net.parameters(), 0.001);
        xs = Data.gaussian(random, STEPS, net.inputSize());
        targets = Data.gaussian(random, STEPS, net.outputSize());
        ys = new double[STEPS][net.outputSize()];
        floatXs = Data.rounded(xs);
        floatTargets = Data.rounded(targets);
        floatYs = new float[STEPS][net.outputSize()];
    }

    @Benchmark
    public double forward() {
        if (precision == Precision.FLOAT32) {
            net.forward(floatXs, floatYs);
            return floatYs[STEPS - 1][0];
        }
        net.forward(xs, ys);
        return ys[STEPS - 1][0];
    }

    @Benchmark
    public double trainingStep() {
        net.parameters().zeroGradients();
        double loss = precision == Precision.FLOAT32 ? net.backward(floatXs, floatTargets) : net.backward(xs, targets);
        sgd.step();
        return loss;
    }
}
