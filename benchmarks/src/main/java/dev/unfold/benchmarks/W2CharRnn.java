package dev.unfold.benchmarks;

import dev.unfold.runtime.Classifier;
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

/** W2: min-char-rnn's network on 25 characters given as token indices, in both precisions. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W2CharRnn {
    static final int STEPS = 25;

    @Param({"FLOAT64", "FLOAT32"})
    public Precision precision = Precision.FLOAT64;

    private Classifier net;
    private Sgd sgd;
    private int[] characters;
    private int[] next;
    private double[][] ys;
    private float[][] floatYs;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(2);
        net = precision == Precision.FLOAT32 ? new UnfoldedFloat32CharRnn(2) : new UnfoldedCharRnn(2);
        sgd = new Sgd(net.parameters(), 0.001);
        characters = Data.indices(random, STEPS, net.inputSize());
        next = Data.indices(random, STEPS, net.outputSize());
        ys = new double[STEPS][net.outputSize()];
        floatYs = new float[STEPS][net.outputSize()];
    }

    @Benchmark
    public double forward() {
        if (precision == Precision.FLOAT32) {
            net.forward(characters, floatYs);
            return floatYs[STEPS - 1][0];
        }
        net.forward(characters, ys);
        return ys[STEPS - 1][0];
    }

    @Benchmark
    public double trainingStep() {
        net.parameters().zeroGradients();
        double loss = net.backward(characters, next);
        sgd.step();
        return loss;
    }
}
