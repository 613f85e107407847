package dev.unfold.runtime.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Precision;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** λ1 against matrices whose singular values are known by construction, and against power iteration. */
class SpectralCheckTest {

    /** Q diag(s) Pᵀ with Q and P Householder reflections: orthogonal, so s are the singular values. */
    private static DMatrixRMaj withSingularValues(Random random, double... s) {
        int n = s.length;
        double[][] q = reflection(random, n);
        double[][] p = reflection(random, n);
        DMatrixRMaj matrix = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += q[i][k] * s[k] * p[j][k];
                }
                matrix.set(i, j, sum);
            }
        }
        return matrix;
    }

    /** I − 2 v vᵀ / vᵀv. */
    private static double[][] reflection(Random random, int n) {
        double[] v = random.doubles(n).map(u -> u - 0.5).toArray();
        double length = 0;
        for (double value : v) {
            length += value * value;
        }
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / length;
            }
        }
        return h;
    }

    /** The largest singular value by power iteration on AᵀA, written out here. */
    private static double powerIteration(DMatrixRMaj a) {
        double[] x = new double[a.numCols];
        java.util.Arrays.fill(x, 1);
        double sigma = 0;
        for (int iteration = 0; iteration < 5000; iteration++) {
            double[] ax = new double[a.numRows];
            for (int i = 0; i < a.numRows; i++) {
                for (int j = 0; j < a.numCols; j++) {
                    ax[i] += a.get(i, j) * x[j];
                }
            }
            double[] next = new double[a.numCols];
            for (int j = 0; j < a.numCols; j++) {
                for (int i = 0; i < a.numRows; i++) {
                    next[j] += a.get(i, j) * ax[i];
                }
            }
            double length = Math.sqrt(java.util.Arrays.stream(next).map(v -> v * v).sum());
            for (int j = 0; j < x.length; j++) {
                x[j] = next[j] / length;
            }
            sigma = Math.sqrt(length);   // ‖AᵀA x‖ → σ1² for a unit x
        }
        return sigma;
    }

    @Test
    void lambdaOneIsTheLargestSingularValue() {
        Random random = new Random(1);
        assertEquals(0.62, SpectralCheck.largestSingularValue(withSingularValues(random, 0.3, 0.62, 0.1, 0.05)), 1e-14);
        assertEquals(3.5, SpectralCheck.largestSingularValue(withSingularValues(random, 3.5, 3.4, 1, 0.2, 0.01)), 1e-13);
        DMatrixRMaj rectangular = new DMatrixRMaj(6, 3);
        for (int i = 0; i < rectangular.data.length; i++) {
            rectangular.data[i] = random.nextGaussian();
        }
        DMatrixRMaj copy = rectangular.copy();
        assertEquals(powerIteration(rectangular), SpectralCheck.largestSingularValue(rectangular), 1e-10);
        assertArrayEquals(copy.data, rectangular.data, "the matrix is left as it was");
    }

    @Test
    void aSimpleLayerBelowOneOverGammaMustVanish() {
        Random random = new Random(2);
        Layer tanh = layer("rnn", Cell.SIMPLE, Activation.TANH, withSingularValues(random, 0.62, 0.5, 0.1));
        SpectralCheck.Spectrum spectrum = SpectralCheck.of(tanh, false);
        assertEquals(1, spectrum.gamma());
        assertTrue(spectrum.mustVanish());
        assertEquals("λ1 = 0.62 < 1/γ = 1: gradients through this layer must vanish, by at least a factor λ1·γ = 0.62"
                + " a step", spectrum.verdict());

        Layer sigmoid = layer("rnn", Cell.SIMPLE, Activation.SIGMOID, withSingularValues(random, 4.5, 2, 1));
        SpectralCheck.Spectrum exploding = SpectralCheck.of(sigmoid, false);
        assertEquals(0.25, exploding.gamma());
        assertFalse(exploding.mustVanish());
        assertEquals("λ1 = 4.5 ≥ 1/γ = 4: gradients may explode (this is necessary, not sufficient); they still vanish"
                + " wherever the units saturate", exploding.verdict());
        assertEquals(1, SpectralCheck.derivativeBound(Activation.RELU));
    }

    @Test
    void aGatedLayerReportsEachGateAndWhatTheTheoremDoesNotSay() {
        Random random = new Random(3);
        double[] maxima = {0.4, 1.7, 0.9, 0.2};
        DMatrixRMaj stacked = new DMatrixRMaj(8, 2);
        for (int g = 0; g < 4; g++) {
            DMatrixRMaj block = withSingularValues(random, maxima[g], maxima[g] / 3);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    stacked.set(2 * g + i, j, block.get(i, j));
                }
            }
        }
        SpectralCheck.Spectrum spectrum = SpectralCheck.of(layer("lstm", Cell.LSTM, Activation.TANH, stacked), false);
        assertArrayEquals(maxima, spectrum.gateLambda1(), 1e-14);
        assertEquals(List.of("W_hi", "W_hf", "W_hg", "W_ho"), spectrum.gates());
        assertEquals(powerIteration(stacked), spectrum.lambda1(), 1e-10);
        assertFalse(spectrum.mustVanish(), "the theorem says nothing of an LSTM");
        assertTrue(spectrum.verdict().contains("W_hf 1.7"), spectrum.verdict());
        assertTrue(spectrum.verdict().contains("the theorem does not cover a gated cell"), spectrum.verdict());
    }

    /**
     * A projecting LSTM's W_hh reads h_t of P values: its gate blocks are H × P, here 3 × 2 blocks
     * diag(a, b) over a zero row, whose largest singular value is max(a, b). (Before W_hh's own
     * column count was read, the blocks were cut H wide, past W_hh's P columns.)
     */
    @Test
    void aProjectingLstmsGateBlocksHaveAColumnPerProjectedValue() {
        double[][] diagonals = {{0.4, 0.1}, {0.3, 1.2}, {0.8, 0.5}, {0.2, 0.6}};
        DMatrixRMaj stacked = new DMatrixRMaj(12, 2);
        for (int g = 0; g < 4; g++) {
            stacked.set(3 * g, 0, diagonals[g][0]);
            stacked.set(3 * g + 1, 1, diagonals[g][1]);
        }
        Parameter weight = Parameter.matrix("lstm.weight_hh", 12, 2);
        weight.value().setTo(stacked);
        Layer layer = Layer.projecting("lstm", 1, 3, 2, false, new Parameters(List.of(weight)));
        SpectralCheck.Spectrum spectrum = SpectralCheck.of(layer, false);
        assertArrayEquals(new double[] {0.4, 1.2, 0.8, 0.6}, spectrum.gateLambda1(), 1e-14);
        // the blocks' rows are disjoint and each column lives in rows of its own: λ1 is the longer column
        assertEquals(Math.sqrt(0.1 * 0.1 + 1.2 * 1.2 + 0.5 * 0.5 + 0.6 * 0.6), spectrum.lambda1(), 1e-14);
    }

    private static Layer layer(String name, Cell cell, Activation activation, DMatrixRMaj weightHh) {
        Parameter weight = Parameter.matrix(name + ".weight_hh", weightHh.numRows, weightHh.numCols);
        weight.value().setTo(weightHh);
        return Layer.of(name, 1, weightHh.numCols, cell, activation, false, new Parameters(List.of(weight)));
    }

    @Test
    void forgetGateProductsMultiplyConsecutiveGatesOfTheSpan() {
        double a = 0.9;
        double b = 0.5;
        double c = 0.2;
        double[][] gates = {{a}, {b}, {c}};
        // forward: ∂c_{k+n}/∂c_k multiplies f_{k+1} … f_{k+n}
        assertArrayEquals(new double[] {(b + c) / 2, b * c}, GradientReport.forgetGateProducts(gates, false), 1e-15);
        // reverse: ∂c_k/∂c_{k+n} multiplies f_k … f_{k+n−1}
        assertArrayEquals(new double[] {(a + b) / 2, a * b}, GradientReport.forgetGateProducts(gates, true), 1e-15);
    }

    @Test
    void theLargestUnitShowsTheCellThatKeepsItsMemory() {
        // unit 0 forgets half each step, unit 1 keeps everything: the mean hides unit 1, the largest shows it
        double[][] gates = {{0.5, 1}, {0.5, 1}, {0.5, 1}, {0.5, 1}};
        assertArrayEquals(new double[] {0.75, 0.625, 0.5625}, GradientReport.forgetGateProducts(gates, false), 1e-15);
        assertArrayEquals(new double[] {1, 1, 1}, GradientReport.largestForgetGateProducts(gates, false), 1e-15);
        double[][] mixed = {{0.9, 0.1}, {0.2, 0.8}, {0.5, 0.5}};
        // forward spans: n = 1 reads f_2 and f_3, n = 2 reads f_2 f_3
        assertArrayEquals(new double[] {Math.max((0.2 + 0.5) / 2, (0.8 + 0.5) / 2), Math.max(0.2 * 0.5, 0.8 * 0.5)},
                GradientReport.largestForgetGateProducts(mixed, false), 1e-15);
    }

    /** A float32 W_hh is checked as its values widened: the same λ1 as the float64 layer holding them. */
    @Test
    void aFloat32LayerIsCheckedOnItsWidenedWeights() {
        DMatrixRMaj stacked = withSingularValues(new Random(4), 1.7, 0.4, 0.2);
        Parameter floats = Parameter.matrix("rnn.weight_hh", 3, 3, Precision.FLOAT32);
        DMatrixRMaj widened = new DMatrixRMaj(3, 3);
        for (int i = 0; i < 9; i++) {
            floats.setValue(i, stacked.data[i]);
            widened.data[i] = floats.value(i);
        }
        Layer layer = Layer.of("rnn", 1, 3, Cell.SIMPLE, Activation.TANH, false, new Parameters(List.of(floats)));
        SpectralCheck.Spectrum spectrum = SpectralCheck.of(layer, false);
        assertEquals(SpectralCheck.largestSingularValue(widened), spectrum.lambda1(), 0.0);
        assertEquals(1.7, spectrum.lambda1(), 1e-6, "float32 rounding moves λ1 by about 2⁻²⁴ of it");
        assertEquals(spectrum.lambda1(), SpectralCheck.of(layer("rnn", Cell.SIMPLE, Activation.TANH, widened), false)
                .lambda1(), 0.0);
    }
}
