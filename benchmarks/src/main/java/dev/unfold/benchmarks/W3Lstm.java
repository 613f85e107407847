package dev.unfold.benchmarks;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** W3: an LSTM 128 → 256 → 128 over a batch of 32 sequences of 35 steps. */
@State(Scope.Thread)
public class W3Lstm extends BatchOf32 {
    @Override
    Classifier network(Precision precision, long seed) {
        return precision == Precision.FLOAT32 ? new UnfoldedFloat32LanguageLstm(seed) : new UnfoldedLanguageLstm(seed);
    }

    @Override
    long seed() {
        return 3;
    }
}
