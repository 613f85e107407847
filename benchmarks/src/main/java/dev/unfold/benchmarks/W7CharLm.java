package dev.unfold.benchmarks;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.TruncatedBptt;
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
 * W7: a character language model (two stacked LSTMs of 512, a vocabulary of 96 as tokens,
 * cross-entropy) trained on 32 streams at once with truncated BPTT over chunks of 32 steps. The
 * operation is one training chunk: chunk c of every stream as one stateful batch (forward from the
 * states the previous chunk carried, BPTT back to them, the gradient summed over the streams), then
 * one SGD update; it reads {@link #TOKENS_PER_CHUNK} tokens, so tokens per second are
 * {@code TOKENS_PER_CHUNK / (µs per operation) × 10⁶}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W7CharLm {
    static final int STREAMS = 32;
    static final int CHUNK = 32;
    /** Chunks in each stream before the benchmark goes round to the first again (the state still carried). */
    static final int CHUNKS = 8;
    static final int VOCABULARY = 96;
    /** What one operation trains on: 32 streams × 32 steps. */
    public static final int TOKENS_PER_CHUNK = STREAMS * CHUNK;

    @Param({"FLOAT64", "FLOAT32"})
    public Precision precision = Precision.FLOAT64;

    private Classifier net;
    private Sgd sgd;
    private TruncatedBptt.OfClassifier chunks;
    private int[][] tokens;
    private int[][] labels;
    private int chunk;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        if (precision == Precision.FLOAT32) {
            UnfoldedFloat32StatefulCharLm floats = new UnfoldedFloat32StatefulCharLm(7);
            chunks = new TruncatedBptt.OfClassifier(floats, CHUNK);
            net = floats;
        } else {
            UnfoldedStatefulCharLm doubles = new UnfoldedStatefulCharLm(7);
            chunks = new TruncatedBptt.OfClassifier(doubles, CHUNK);
            net = doubles;
        }
        sgd = new Sgd(net.parameters(), 0.001);
        tokens = new int[STREAMS][];
        labels = new int[STREAMS][];
        for (int b = 0; b < STREAMS; b++) {
            tokens[b] = Data.indices(random, CHUNK * CHUNKS, VOCABULARY);
            labels[b] = Data.indices(random, CHUNK * CHUNKS, VOCABULARY);
        }
        chunks.restart();
        chunk = 0;
    }

    /** One chunk of every stream, its summed gradient, then one SGD update. */
    @Benchmark
    public double trainingChunk() {
        net.parameters().zeroGradients();
        double loss = chunks.backward(tokens, labels, chunk);
        sgd.step();
        chunk = (chunk + 1) % CHUNKS;
        return loss;
    }
}
