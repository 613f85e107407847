package dev.unfold.benchmarks;

import dev.unfold.runtime.optim.Sgd;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** W1: the README's worked example, one sequence of 50 steps. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W1Forecaster {
    static final int STEPS = 50;

    private UnfoldedSeedForecaster net;
    private Sgd sgd;
    private double[][] xs;
    private double[][] targets;
    private double[][] ys;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        net = new UnfoldedSeedForecaster(1);
        sgd = new Sgd(net.parameters(), 0.001);
        xs = Data.gaussian(random, STEPS, net.inputSize());
        targets = Data.gaussian(random, STEPS, net.outputSize());
        ys = new double[STEPS][net.outputSize()];
    }

    @Benchmark
    public double forward() {
        net.forward(xs, ys);
        return ys[STEPS - 1][0];
    }

    /** Forward, BPTT and an SGD update: one training step. */
    @Benchmark
    public double trainingStep() {
        net.parameters().zeroGradients();
        double loss = net.backward(xs, targets);
        sgd.step();
        return loss;
    }
}
