package dev.unfold.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The README's worked example: windows of 4 over 8, 10, 12, 10, 8, 12, 10, 12. */
class WindowsTest {
    private static final double[] SEED_002 = {8, 10, 12, 10, 8, 12, 10, 12};

    @Test
    void inputsAreTheSeedsWindowsThatHaveANextValue() {
        double[][] inputs = Windows.inputs(SEED_002, 4);
        assertEquals(4, inputs.length);
        assertArrayEquals(new double[] {8, 10, 12, 10}, inputs[0]);
        assertArrayEquals(new double[] {10, 12, 10, 8}, inputs[1]);
        assertArrayEquals(new double[] {12, 10, 8, 12}, inputs[2]);
        assertArrayEquals(new double[] {10, 8, 12, 10}, inputs[3]);
    }

    @Test
    void targetsAreTheValueAfterEachWindow() {
        double[][] targets = Windows.targets(SEED_002, 4);
        assertEquals(4, targets.length);
        assertArrayEquals(new double[] {8}, targets[0]);
        assertArrayEquals(new double[] {12}, targets[1]);
        assertArrayEquals(new double[] {10}, targets[2]);
        assertArrayEquals(new double[] {12}, targets[3]);
    }

    @Test
    void allEndsWithTheWindowWhoseNextValueIsTheQuestion() {
        double[][] all = Windows.all(SEED_002, 4);
        assertEquals(5, all.length);
        assertArrayEquals(new double[] {8, 12, 10, 12}, all[4]);
        assertArrayEquals(Windows.inputs(SEED_002, 4)[3], all[3]);
    }

    @Test
    void windowsAreCopiesNotViewsOfTheSeries() {
        double[] series = SEED_002.clone();
        double[][] inputs = Windows.inputs(series, 4);
        inputs[0][0] = -1;
        assertEquals(8, series[0]);
        assertEquals(10, inputs[1][0]);
    }

    @Test
    void widthOneIsTheSeriesAgainstItsSuccessor() {
        double[][] inputs = Windows.inputs(new double[] {1, 2, 3}, 1);
        double[][] targets = Windows.targets(new double[] {1, 2, 3}, 1);
        assertArrayEquals(new double[][] {{1}, {2}}, inputs);
        assertArrayEquals(new double[][] {{2}, {3}}, targets);
    }

    @Test
    void aSeriesWithoutAValueAfterItsWindowIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windows.inputs(new double[] {8, 10, 12, 10}, 4));
        assertEquals("the series has 4 values, expected at least 5 for a window and the value after it at width 4",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Windows.targets(new double[] {8, 10, 12, 10}, 4));
        assertEquals(1, Windows.all(new double[] {8, 10, 12, 10}, 4).length);
    }

    @Test
    void aSeriesShorterThanOneWindowIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windows.all(new double[] {8, 10, 12}, 4));
        assertEquals("the series has 3 values, expected at least 4 for one window at width 4", e.getMessage());
    }

    @Test
    void aWidthBelowOneIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Windows.inputs(SEED_002, 0));
        assertEquals("the window width must be at least 1, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Windows.targets(SEED_002, -3));
        assertThrows(IllegalArgumentException.class, () -> Windows.all(SEED_002, -1));
    }

    @Test
    void aNonFiniteValueIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windows.inputs(new double[] {1, 2, Double.NaN, 4}, 2));
        assertEquals("series[2] is NaN: values must be finite", e.getMessage());
    }

    @Test
    void aNullSeriesNamesItself() {
        assertEquals("series", assertThrows(NullPointerException.class, () -> Windows.all(null, 2)).getMessage());
    }

    /** The float twins, for a float32 network, cut a float series exactly as the double ones cut a double series. */
    @Test
    void aFloatSeriesGivesTheSameWindowsAsFloats() {
        float[] series = {8, 10, 12, 10, 8, 12, 10, 12};
        assertArrayEquals(Windows.inputs(SEED_002, 4), widened(Windows.floatInputs(series, 4)));
        assertArrayEquals(Windows.targets(SEED_002, 4), widened(Windows.floatTargets(series, 4)));
        assertArrayEquals(Windows.all(SEED_002, 4), widened(Windows.floatAll(series, 4)));
        float[][] inputs = Windows.floatInputs(series, 4);
        inputs[0][0] = -1;
        assertEquals(8, series[0], "windows are copies");
        assertEquals("series[1] is NaN: values must be finite", assertThrows(IllegalArgumentException.class,
                () -> Windows.floatInputs(new float[] {1, Float.NaN, 3}, 1)).getMessage());
        assertEquals("the series has 4 values, expected at least 5 for a window and the value after it at width 4",
                assertThrows(IllegalArgumentException.class, () -> Windows.floatTargets(new float[4], 4)).getMessage());
        assertEquals("the series has 3 values, expected at least 4 for one window at width 4",
                assertThrows(IllegalArgumentException.class, () -> Windows.floatAll(new float[3], 4)).getMessage());
        assertEquals("the window width must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Windows.floatInputs(series, 0)).getMessage());
        assertEquals("series", assertThrows(NullPointerException.class, () -> Windows.floatAll(null, 2)).getMessage());
    }

    private static double[][] widened(float[][] rows) {
        double[][] doubles = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            doubles[t] = new double[rows[t].length];
            for (int j = 0; j < rows[t].length; j++) {
                doubles[t][j] = rows[t][j];
            }
        }
        return doubles;
    }
}
