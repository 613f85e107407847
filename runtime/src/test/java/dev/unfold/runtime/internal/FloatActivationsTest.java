package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The float activations against the double functions of {@code Math}, over a dense sample of every
 * float, at their edges, and their Vector API form against the scalar one, bit for bit.
 */
class FloatActivationsTest {
    /**
     * Every 61st bit pattern, both signs: 70 million floats, about ten seconds a function, so that
     * the default suite stays within its budget; {@code -Dunfold.floatStride=1} measures every float
     * (the javadoc's figures), 7 every 7th (613 million). The error is measured in ulps of the
     * exact value rounded to float, against the double function ({@code Math}'s are within 1 ulp
     * of double, 2^−29 ulp of float), so a correctly rounded float function would score ≤ 0.5.
     */
    private static final int STRIDE = Integer.getInteger("unfold.floatStride", 61);
    /**
     * The bounds on the error, in ulps, that the javadoc of {@link FloatActivations} states (over
     * every 7th float the largest errors are 0.951, 1.939 and 1.498; over every float, 0.951, 1.967 and
     * 1.498).
     */
    private static final double EXP_ULPS = 1;
    private static final double SIGMOID_ULPS = 2;
    private static final double TANH_ULPS = 1.5;

    private static final VectorSpecies<Float> SPECIES = FloatVectorActivations.SPECIES;

    @Test
    void expIsWithinItsUlpsOfTheDoubleFunction() {
        assertWithinUlps("exp", Math::exp, FloatActivations::exp, EXP_ULPS);
    }

    @Test
    void sigmoidIsWithinItsUlpsOfTheDoubleFunction() {
        assertWithinUlps("σ", u -> 1 / (1 + Math.exp(-u)), FloatActivations::sigmoid, SIGMOID_ULPS);
    }

    @Test
    void tanhIsWithinItsUlpsOfTheDoubleFunction() {
        assertWithinUlps("tanh", Math::tanh, FloatActivations::tanh, TANH_ULPS);
    }

    @Test
    void expAtTheEdges() {
        assertSame(1f, FloatActivations.exp(0f));
        assertSame(1f, FloatActivations.exp(-0f));
        assertSame(1f, FloatActivations.exp(Float.MIN_VALUE));
        assertSame(1f, FloatActivations.exp(-Float.MIN_VALUE));
        assertSame(Float.POSITIVE_INFINITY, FloatActivations.exp(Float.POSITIVE_INFINITY));
        assertSame(0f, FloatActivations.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(FloatActivations.exp(Float.NaN)));
        // the largest finite result, the first overflow, subnormal results and the first underflow
        float largest = FloatActivations.exp(88.72283f); // e^88.72283 < Float.MAX_VALUE < e^88.72284
        assertTrue(Float.isFinite(largest) && ulps(largest, Math.exp(88.72283f)) <= EXP_ULPS, "e^88.72283 = " + largest);
        assertSame(Float.POSITIVE_INFINITY, FloatActivations.exp(88.72284f));
        assertSame(Float.POSITIVE_INFINITY, FloatActivations.exp(Float.MAX_VALUE));
        assertSame((float) Math.exp(-100f), FloatActivations.exp(-100f));
        assertTrue(FloatActivations.exp(-100f) < Float.MIN_NORMAL, "e^−100 is subnormal");
        assertSame(Float.MIN_VALUE, FloatActivations.exp(-103.97f)); // ln(2^−150) = −103.9721: rounds up
        assertSame(0f, FloatActivations.exp(-103.98f)); // rounds down
        assertSame(0f, FloatActivations.exp(-Float.MAX_VALUE));
    }

    @Test
    void sigmoidAtTheEdges() {
        assertSame(0.5f, FloatActivations.sigmoid(0f));
        assertSame(0.5f, FloatActivations.sigmoid(-0f));
        assertSame(0.5f, FloatActivations.sigmoid(Float.MIN_VALUE));
        assertSame(0.5f, FloatActivations.sigmoid(-Float.MIN_VALUE));
        assertSame(1f, FloatActivations.sigmoid(Float.POSITIVE_INFINITY));
        assertSame(0f, FloatActivations.sigmoid(Float.NEGATIVE_INFINITY));
        assertSame(1f, FloatActivations.sigmoid(18f)); // 1 − σ(18) = 1.5e−8, below half the ulp under 1 (3e−8)
        assertTrue(FloatActivations.sigmoid(16f) < 1f, "1 − σ(16) = 1.1e−7: not yet saturated");
        assertSame(1f, FloatActivations.sigmoid(Float.MAX_VALUE));
        assertSame((float) Math.exp(-100), FloatActivations.sigmoid(-100f)); // subnormal, not 0
        assertSame(0f, FloatActivations.sigmoid(-105f));
        assertSame(0f, FloatActivations.sigmoid(-Float.MAX_VALUE));
        assertTrue(Float.isNaN(FloatActivations.sigmoid(Float.NaN)));
    }

    @Test
    void tanhAtTheEdges() {
        assertSame(0f, FloatActivations.tanh(0f));
        assertSame(-0f, FloatActivations.tanh(-0f));
        assertSame(Float.MIN_VALUE, FloatActivations.tanh(Float.MIN_VALUE));
        assertSame(-Float.MIN_VALUE, FloatActivations.tanh(-Float.MIN_VALUE));
        assertSame(Float.MIN_NORMAL, FloatActivations.tanh(Float.MIN_NORMAL));
        assertSame(1e-20f, FloatActivations.tanh(1e-20f));
        assertSame(1f, FloatActivations.tanh(Float.POSITIVE_INFINITY));
        assertSame(-1f, FloatActivations.tanh(Float.NEGATIVE_INFINITY));
        assertSame(1f, FloatActivations.tanh(9.5f));
        assertSame(-1f, FloatActivations.tanh(-Float.MAX_VALUE));
        assertSame(Math.nextDown(1f), FloatActivations.tanh(8.6f)); // not yet saturated
        assertTrue(Float.isNaN(FloatActivations.tanh(Float.NaN)));
    }

    /**
     * The Vector API form equals the scalar form in every lane: on the edges, and on every 7th bit
     * pattern (NaN as any NaN: their payloads are the hardware's).
     */
    @Test
    void theVectorFormEqualsTheScalarFormBitForBit() {
        int length = 64 * SPECIES.length(); // whole vectors: the scalar form is not compared with itself
        float[] values = new float[length];
        float[] results = new float[length];
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, 88.72283f, 88.72284f, 89f, -103.97f, -104f, -104.1f, 9.5f,
                Math.nextDown(9.5f), -9.5f, 17f, -87.5f, Float.MAX_VALUE, -Float.MAX_VALUE, 0.3f,
                Math.nextDown(0.3f), -0.3f, 1e-20f};
        for (int i = 0; i < edges.length; i++) { // each edge in every lane
            for (int b = 0; b < length; b++) {
                values[b] = edges[(i + b) % edges.length];
            }
            compareLanes(values, results);
        }
        long checked = 0;
        int filled = 0;
        for (long bits = 0; bits < 1L << 32; bits += STRIDE) {
            values[filled++] = Float.intBitsToFloat((int) bits);
            if (filled == length) {
                compareLanes(values, results);
                checked += length;
                filled = 0;
            }
        }
        assertTrue(checked >= ((1L << 32) / STRIDE) - length, checked + " values, expected the whole sample");
    }

    private static void compareLanes(float[] values, float[] results) {
        FloatVectorActivations.Scratch scratch = FloatVectorActivations.scratch(values.length);
        FloatVectorActivations.exp(values, results, values.length, scratch);
        for (int b = 0; b < values.length; b++) {
            assertSameOrBothNaN(FloatActivations.exp(values[b]), results[b], "exp", values[b]);
        }
        System.arraycopy(values, 0, results, 0, values.length);
        FloatVectorActivations.sigmoid(results, values.length, scratch);
        for (int b = 0; b < values.length; b++) {
            assertSameOrBothNaN(FloatActivations.sigmoid(values[b]), results[b], "σ", values[b]);
        }
        FloatVectorActivations.tanh(values, results, values.length, scratch);
        for (int b = 0; b < values.length; b++) {
            assertSameOrBothNaN(FloatActivations.tanh(values[b]), results[b], "tanh", values[b]);
        }
    }

    private static void assertSameOrBothNaN(float scalar, float vector, String function, float x) {
        if (Float.floatToIntBits(scalar) != Float.floatToIntBits(vector)) { // floatToIntBits: one NaN
            throw new AssertionError(function + "(" + x + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(x))
                    + "): scalar " + scalar + ", vector " + vector);
        }
    }

    /** Largest error in ulps of {@code actual} over the sample, against {@code exact} rounded to float. */
    private static void assertWithinUlps(String name, DoubleUnaryOperator exact, FloatFunction actual, double ulps) {
        double worst = 0;
        float worstAt = Float.NaN;
        for (long bits = 0; bits < 1L << 32; bits += STRIDE) {
            float x = Float.intBitsToFloat((int) bits);
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(actual.apply(x)), name + "(NaN)");
                continue;
            }
            double error = ulps(actual.apply(x), exact.applyAsDouble(x));
            if (error > worst) {
                worst = error;
                worstAt = x;
            }
        }
        System.out.printf("%s: largest error %.3f ulp, at %s%n", name, worst, worstAt);
        assertTrue(worst <= ulps, name + ": largest error " + worst + " ulp at " + worstAt);
    }

    /**
     * |actual − exact| in ulps of the float nearest to exact (2^−149 for subnormals); infinite when
     * one of them rounds to an infinity the other does not.
     */
    private static double ulps(float actual, double exact) {
        float rounded = (float) exact;
        if (Float.isInfinite(rounded) || Float.isInfinite(actual)) {
            return rounded == actual ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(actual - exact) / Math.ulp(rounded);
    }

    private static void assertSame(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> "expected " + expected + ", was " + actual);
    }

    @FunctionalInterface
    private interface FloatFunction {
        float apply(float x);
    }
}
