package dev.unfold.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** W5: the latency of one streaming step, the LSTM's state carried from call to call. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W5Streaming {
    static final int FRAMES = 64;

    private UnfoldedStreamingLstm net;
    private double[][] frames;
    private final double[] y = new double[32];
    private int next;

    @Setup
    public void setUp() {
        net = new UnfoldedStreamingLstm(5);
        frames = Data.gaussian(new SplittableRandom(5), FRAMES, net.inputSize());
        net.resetState();
    }

    /** One time step: x_t in, ŷ_t out, h_t and c_t carried to the next call. */
    @Benchmark
    public double step() {
        net.step(frames[next], y);
        next = (next + 1) % FRAMES;
        return y[0];
    }
}
