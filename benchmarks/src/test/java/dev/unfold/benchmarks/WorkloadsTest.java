package dev.unfold.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
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

        W8BigLstm w8 = new W8BigLstm();
        w8.setUp();
        assertFinite(w8.forward(), w8.trainingStep());
        assertEquals(4 * 1024 * (256 + 1024 + 1) + 256 * 1024 + 256, new UnfoldedBigLstm(0).parameterCount());
    }

    /**
     * The float32 workloads do the float64 ones' work: the same network (its weights rounded), the
     * same data (rounded), so the first prediction and the first loss agree to float32's precision.
     */
    @Test
    void eachWorkloadComputesTheSameInFloat32AsInFloat64() {
        for (Precision precision : Precision.values()) {
            W1Forecaster w1 = new W1Forecaster();
            w1.precision = precision;
            w1.setUp();
            W2CharRnn w2 = new W2CharRnn();
            w2.precision = precision;
            w2.setUp();
            W3Lstm w3 = new W3Lstm();
            w3.precision = precision;
            w3.setUp();
            W4Gru w4 = new W4Gru();
            w4.precision = precision;
            w4.setUp();
            W5Streaming w5 = new W5Streaming();
            w5.precision = precision;
            w5.setUp();
            W6ProteinBiLstm w6 = new W6ProteinBiLstm();
            w6.precision = precision;
            w6.setUp();
            W8BigLstm w8 = new W8BigLstm();
            w8.precision = precision;
            w8.setUp();
            // the first prediction, then the first training step's loss (before its update)
            results[precision.ordinal()] = new double[] {
                w1.forward(), w1.trainingStep(), w2.forward(), w2.trainingStep(), w3.forward(), w3.trainingStep(),
                w4.forward(), w4.trainingStep(), w5.step(), w6.forward(), w6.trainingStep(),
                w8.forward(), w8.trainingStep()};
        }
        String[] names = {"W1 forward", "W1 training step", "W2 forward", "W2 training step", "W3 forward",
            "W3 training step", "W4 forward", "W4 training step", "W5 step", "W6 forward", "W6 training step",
            "W8 forward", "W8 training step"};
        for (int i = 0; i < names.length; i++) {
            double float64 = results[Precision.FLOAT64.ordinal()][i];
            double float32 = results[Precision.FLOAT32.ordinal()][i];
            // the same network (weights rounded) on the same data (rounded): float32's own precision
            assertEquals(float64, float32, 1e-4 * Math.max(1, Math.abs(float64)),
                    names[i] + ": float32 gave " + float32 + ", float64 " + float64);
        }
    }

    private final double[][] results = new double[2][];

    private static void assertFinite(double forward, double loss) {
        assertTrue(Double.isFinite(forward), "forward gave " + forward);
        assertTrue(Double.isFinite(loss) && loss > 0, "a training step's loss was " + loss);
    }
}
