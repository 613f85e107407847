package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.SequenceModel;
import java.util.Iterator;

/**
 * How closely a float32 network must agree with the same network in float64 (same weights up to
 * rounding, same inputs): every value within {@link #TOLERANCE} of the largest magnitude in its
 * tensor (a parameter's gradient, a sequence's predictions, a state), and the loss within
 * {@code TOLERANCE} of itself. Float rounds at 6e-8; BPTT over a few steps of these small networks
 * amplifies that by far less than 1e3, so 1e-4 catches any wrong float path (a term lost, a
 * state not copied) and no honest rounding.
 */
final class PrecisionAgreement {
    static final double TOLERANCE = 1e-4;

    private PrecisionAgreement() {}

    /** Both networks' weights: the float32 network's are the float64 network's, each rounded to nearest. */
    static void sameWeightsUpToRounding(SequenceModel doubles, SequenceModel floats) {
        assertEquals(Precision.FLOAT64, doubles.precision());
        assertEquals(Precision.FLOAT32, floats.precision());
        assertEquals(doubles.parameterCount(), floats.parameterCount());
        Iterator<Parameter> others = floats.parameters().iterator();
        for (Parameter parameter : doubles.parameters()) {
            Parameter other = others.next();
            assertEquals(parameter.name(), other.name());
            assertEquals(Precision.FLOAT32, other.precision(), other.name());
            for (int i = 0; i < parameter.size(); i++) {
                assertEquals((float) parameter.value(i), other.floatValue().data[i], other.name() + "[" + i + "]");
            }
        }
    }

    /**
     * Sets every gradient to zero through the precision-neutral accessor, so that these tests need
     * nothing of {@code Parameters} but iteration.
     */
    static void zeroGradients(SequenceModel... networks) {
        for (SequenceModel network : networks) {
            for (Parameter parameter : network.parameters()) {
                for (int i = 0; i < parameter.size(); i++) {
                    parameter.setGradient(i, 0);
                }
            }
        }
    }

    static void lossesAgree(String what, double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= TOLERANCE * Math.abs(expected),
                what + ": float32 loss " + actual + ", float64 loss " + expected);
    }

    /** Every parameter's gradient, each relative to its float64 tensor's largest magnitude. */
    static void gradientsAgree(String what, SequenceModel doubles, SequenceModel floats) {
        Iterator<Parameter> others = floats.parameters().iterator();
        for (Parameter parameter : doubles.parameters()) {
            Parameter other = others.next();
            double[] expected = new double[parameter.size()];
            double[] actual = new double[parameter.size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = parameter.gradient(i);
                actual[i] = other.gradient(i);
            }
            valuesAgree(what + ", ∂L/∂" + parameter.name(), expected, actual);
        }
    }

    /** Rows of a sequence (predictions), relative to the largest magnitude among all of them. */
    static void rowsAgree(String what, double[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length, what);
        double largest = 0;
        for (double[] row : expected) {
            largest = Math.max(largest, largest(row));
        }
        for (int t = 0; t < expected.length; t++) {
            for (int k = 0; k < expected[t].length; k++) {
                assertClose(what + " [" + t + "][" + k + "]", expected[t][k], actual[t][k], largest);
            }
        }
    }

    /** One tensor, relative to its float64 values' largest magnitude. */
    static void valuesAgree(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what);
        double largest = largest(expected);
        for (int i = 0; i < expected.length; i++) {
            assertClose(what + "[" + i + "]", expected[i], actual[i], largest);
        }
    }

    /** {@link #valuesAgree(String, double[], double[])} for float values. */
    static void valuesAgree(String what, double[] expected, float[] actual) {
        double[] widened = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            widened[i] = actual[i];
        }
        valuesAgree(what, expected, widened);
    }

    private static double largest(double[] values) {
        double largest = 0;
        for (double value : values) {
            largest = Math.max(largest, Math.abs(value));
        }
        return largest;
    }

    private static void assertClose(String what, double expected, double actual, double largest) {
        assertTrue(Math.abs(actual - expected) <= TOLERANCE * largest, what + ": float32 " + actual + ", float64 "
                + expected + " (largest magnitude " + largest + ")");
    }
}
