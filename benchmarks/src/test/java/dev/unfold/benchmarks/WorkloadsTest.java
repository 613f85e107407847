package dev.unfold.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every benchmarked operation runs and gives a finite result, and each workload has the size
 * BENCHMARKS.md describes, so that a regenerated table compares the networks it names.
 */
class WorkloadsTest {

    @Test
    void everyOperationRunsOnTheDescribedNetwork() {
        W1Forecaster w1 = new W1Forecaster();
        w1.setUp();
        assertFinite(w1.forward(), w1.trainingStep());
        assertEquals(4 * 20 + 20 * 20 + 20 + 20 + 1, new UnfoldedSeedForecaster(0).parameterCount());

        W2CharRnn w2 = new W2CharRnn();
        w2.setUp();
        assertFinite(w2.forward(), w2.trainingStep());
        assertEquals(65 * 100 + 100 * 100 + 100 + 100 * 65 + 65, new UnfoldedCharRnn(0).parameterCount());

        W3Lstm w3 = new W3Lstm();
        w3.setUp();
        assertFinite(w3.forward(), w3.trainingStep());
        assertEquals(4 * 256 * (128 + 256 + 1) + 128 * 256 + 128, new UnfoldedLanguageLstm(0).parameterCount());

        W4Gru w4 = new W4Gru();
        w4.setUp();
        assertFinite(w4.forward(), w4.trainingStep());
        assertEquals(3 * 256 * (128 + 256 + 1) + 256 + 128 * 256 + 128, new UnfoldedLanguageGru(0).parameterCount());

        W5Streaming w5 = new W5Streaming();
        w5.setUp();
        assertTrue(Double.isFinite(w5.step()));
        assertEquals(4 * 64 * (32 + 64 + 1) + 32 * 64 + 32, new UnfoldedStreamingLstm(0).parameterCount());

        W6ProteinBiLstm w6 = new W6ProteinBiLstm();
        w6.setUp();
        assertFinite(w6.forward(), w6.trainingStep());
        assertEquals(2 * 4 * 32 * (20 + 32 + 1) + 2 * 64 + 2, new UnfoldedProteinBiLstm(0).parameterCount());
    }

    private static void assertFinite(double forward, double loss) {
        assertTrue(Double.isFinite(forward), "forward gave " + forward);
        assertTrue(Double.isFinite(loss) && loss > 0, "a training step's loss was " + loss);
    }
}
