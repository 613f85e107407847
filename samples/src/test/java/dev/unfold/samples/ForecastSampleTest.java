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
    void eachNetworksMeanAbsoluteErrorIsInTheSeriesUnits() {
        // untrained, each network keeps the weights its seed gave it, so its errors can be recomputed here
        ForecastSample.Result result = ForecastSample.run(3, 0, 0.01, QUIET);
        for (int n = 0; n < 3; n++) {
            UnfoldedForecaster net = new UnfoldedForecaster(n + 1);
            // the four known windows as one sequence, each value scaled as the sample scales it
            double[][] windows = new double[4][ForecastSample.WINDOW];
            for (int t = 0; t < 4; t++) {
                for (int j = 0; j < ForecastSample.WINDOW; j++) {
                    windows[t][j] = (ForecastSample.SERIES[t + j] - 10) / 2;
                }
            }
            double[][] predictions = new double[4][1];
            net.forward(windows, predictions);
            double sum = 0;
            for (int t = 0; t < 4; t++) {
                sum += Math.abs(predictions[t][0] * 2 + 10 - ForecastSample.SERIES[t + ForecastSample.WINDOW]);
            }
            assertEquals(sum / 4, result.meanAbsoluteErrors()[n], 1e-12, "network " + (n + 1));
        }
        // trained, every network fits the known windows to far below the series' steps of 2
        for (double error : ForecastSample.run(3, 1000, 0.01, QUIET).meanAbsoluteErrors()) {
            assertTrue(error < 1e-6, "MAE " + error);
        }
    }

    @Test
    void seriesIsScaledToMinusOneToOne() {
        double[] scaled = ForecastSample.scaled(ForecastSample.SERIES, 10, 2);
        assertEquals(java.util.List.of(-1.0, 0.0, 1.0, 0.0, -1.0, 1.0, 0.0, 1.0), Arrays.stream(scaled).boxed().toList());
    }
}
