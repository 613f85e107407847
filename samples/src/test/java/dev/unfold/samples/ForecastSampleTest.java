package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The worked example's question, answered by the generated forecaster after training. */
class ForecastSampleTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void answersTheSeedsQuestionWithEight() {
        ForecastSample.Result result = ForecastSample.run(10, 1000, 0.01, QUIET);
        assertEquals(521, result.parameterCount());
        for (double loss : result.finalLosses()) {
            assertTrue(loss < 1e-9, "every network fits the four known windows: " + loss);
        }
        // The series repeats with period 4 in its first value: 8, 10, 12, 10 | 8, 12, 10, 12 | 8.
        assertEquals(8.0, result.nextValue(), "mean answer " + result.meanAnswer());
        long votingForEight = Arrays.stream(result.answers())
                .filter(a -> ForecastSample.nearestSeriesValue(a) == 8.0).count();
        assertTrue(votingForEight > result.answers().length / 2,
                "most networks answer nearest 8 on their own: " + Arrays.toString(result.answers()));
    }

    @Test
    void theFoldedVersionFitsTheWindowsWithTeacherForcing() {
        // the folded version (equations.md (8.1)): W reads y_{t−1} (20 × 1) instead of h_{t−1} (20 × 20). Its answer
        // to the "?" is not asserted: four windows leave it free (about 4.7 here, outside the series).
        ForecastSample.Result result = ForecastSample.run(3, 1000, 0.01, true, QUIET);
        assertEquals(141, result.parameterCount());
        for (double loss : result.finalLosses()) {
            assertTrue(loss < 1e-20, "every network fits the four known windows under teacher forcing: " + loss);
        }
    }

    @Test
    void untrainedNetworksDoNotAnswerEight() {
        // The same ensemble before training: the answer comes from learning, not from the setup.
        ForecastSample.Result result = ForecastSample.run(10, 0, 0.01, QUIET);
        assertTrue(Math.abs(result.meanAnswer() - 8) > 1, "untrained mean answer " + result.meanAnswer());
    }

    @Test
    void seriesIsScaledToMinusOneToOne() {
        double[] scaled = ForecastSample.scaled(ForecastSample.SERIES, 10, 2);
        assertEquals(java.util.List.of(-1.0, 0.0, 1.0, 0.0, -1.0, 1.0, 0.0, 1.0), Arrays.stream(scaled).boxed().toList());
    }
}
