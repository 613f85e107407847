package dev.unfold.benchmarks;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** W8: an LSTM 256 → 1024 → 256 over a batch of 32 sequences of 20 steps, weights larger than L2. */
@State(Scope.Thread)
public class W8BigLstm extends BatchOf32 {
    static final int STEPS = 20;

    @Override
    Classifier network(Precision precision, long seed) {
        return precision == Precision.FLOAT32 ? new UnfoldedFloat32BigLstm(seed) : new UnfoldedBigLstm(seed);
    }

    @Override
    long seed() {
        return 8;
    }

    @Override
    int steps() {
        return STEPS;
    }
}
