package dev.unfold.benchmarks;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** W4: a GRU 128 → 256 → 128 over a batch of 32 sequences of 35 steps. */
@State(Scope.Thread)
public class W4Gru extends BatchOf32 {
    @Override
    Classifier network(Precision precision, long seed) {
        return precision == Precision.FLOAT32 ? new UnfoldedFloat32LanguageGru(seed) : new UnfoldedLanguageGru(seed);
    }

    @Override
    long seed() {
        return 4;
    }
}
