package dev.unfold.benchmarks;

import dev.unfold.runtime.Streaming;
import dev.unfold.Precision;
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

/** W5: one time step of streaming inference per call, the state carried on, in both precisions. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W5Streaming {
    static final int FRAMES = 64;

    @Param({"FLOAT64", "FLOAT32"})
    public Precision precision = Precision.FLOAT64;

    private Streaming net;
    private double[][] frames;
    private float[][] floatFrames;
    private final double[] y = new double[32];
    private final float[] floatY = new float[32];
    private int next;

    @Setup
    public void setUp() {
        net = precision == Precision.FLOAT32 ? new UnfoldedFloat32StreamingLstm(5) : new UnfoldedStreamingLstm(5);
        frames = Data.gaussian(new SplittableRandom(5), FRAMES, net.inputSize());
        floatFrames = Data.rounded(frames);
        net.resetState();
    }

    @Benchmark
    public double step() {
        int frame = next;
        next = (next + 1) % FRAMES;
        if (precision == Precision.FLOAT32) {
            net.step(floatFrames[frame], floatY);
            return floatY[0];
        }
        net.step(frames[frame], y);
        return y[0];
    }
}
