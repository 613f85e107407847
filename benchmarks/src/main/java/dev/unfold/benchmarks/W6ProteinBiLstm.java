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

/** W6: the bidirectional LSTM classifier on one protein of 428 amino acids given as token indices, in both precisions. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W6ProteinBiLstm {
    static final int STEPS = 428;

    @Param({"FLOAT64", "FLOAT32"})
    public Precision precision = Precision.FLOAT64;

    private Classifier net;
    private Sgd sgd;
    private int[] protein;
    private final int[] label = {1};
    private final double[][] ys = new double[1][2];
    private final float[][] floatYs = new float[1][2];

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(6);
        net = precision == Precision.FLOAT32 ? new UnfoldedFloat32ProteinBiLstm(6) : new UnfoldedProteinBiLstm(6);
        sgd = new Sgd(net.parameters(), 0.001);
        protein = Data.indices(random, STEPS, net.inputSize());
    }

    @Benchmark
    public double forward() {
        if (precision == Precision.FLOAT32) {
            net.forward(protein, floatYs);
            return floatYs[0][0];
        }
        net.forward(protein, ys);
        return ys[0][0];
    }

    @Benchmark
    public double trainingStep() {
        net.parameters().zeroGradients();
        double loss = net.backward(protein, label);
        sgd.step();
        return loss;
    }
}
