package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The double activations against {@code StrictMath}, over a dense sample, at their edges, and their
 * Vector API form against the scalar one, bit for bit.
 */
class DoubleActivationsTest {
    /**
     * The bounds on the difference from {@code StrictMath}'s functions, in ulps of the reference,
     * that the javadoc of {@link DoubleActivations} states: both sides are doubles, so a difference is a
     * whole number of steps, and the reference's own error is part of it (Java's specification
     * allows 1 ulp for exp and 2.5 for tanh); this sample ({@link #sample}) measures 1, 2 and 3.
     */
    private static final double EXP_ULPS = 1;
    private static final double SIGMOID_ULPS = 2;
    private static final double TANH_ULPS = 3;

    private static final VectorSpecies<Double> SPECIES = DoubleVectorActivations.SPECIES;

    @Test
    void expIsWithinItsUlpsOfStrictMath() {
        assertWithinUlps("exp", StrictMath::exp, DoubleActivations::exp, EXP_ULPS);
    }

    @Test
    void sigmoidIsWithinItsUlpsOfStrictMath() {
        assertWithinUlps("σ", DoubleActivationsTest::sigmoidOfStrictMathExp, DoubleActivations::sigmoid, SIGMOID_ULPS);
    }

    @Test
    void tanhIsWithinItsUlpsOfStrictMath() {
        assertWithinUlps("tanh", StrictMath::tanh, DoubleActivations::tanh, TANH_ULPS);
    }

    @Test
    void expAtTheEdges() {
        assertSame(1.0, DoubleActivations.exp(0.0));
        assertSame(1.0, DoubleActivations.exp(-0.0));
        assertSame(1.0, DoubleActivations.exp(Double.MIN_VALUE));
        assertSame(1.0, DoubleActivations.exp(-Double.MIN_VALUE));
        assertSame(Math.E, DoubleActivations.exp(1.0));
        assertSame(Double.POSITIVE_INFINITY, DoubleActivations.exp(Double.POSITIVE_INFINITY));
        assertSame(0.0, DoubleActivations.exp(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(DoubleActivations.exp(Double.NaN)));
        // the largest finite result, the first overflow, subnormal results and the first underflow
        double largest = DoubleActivations.exp(709.78); // e^709.78 < Double.MAX_VALUE < e^709.79
        assertTrue(Double.isFinite(largest) && ulps(largest, StrictMath.exp(709.78)) <= EXP_ULPS, "e^709.78 = " + largest);
        assertSame(Double.POSITIVE_INFINITY, DoubleActivations.exp(709.79));
        assertSame(Double.POSITIVE_INFINITY, DoubleActivations.exp(Double.MAX_VALUE));
        assertSame(StrictMath.exp(-740), DoubleActivations.exp(-740));
        assertTrue(DoubleActivations.exp(-740) < Double.MIN_NORMAL, "e^−740 is subnormal");
        assertSame(Double.MIN_VALUE, DoubleActivations.exp(-745.13)); // ln(2^−1075) = −745.1332: rounds up
        assertSame(0.0, DoubleActivations.exp(-745.14)); // rounds down
        assertSame(0.0, DoubleActivations.exp(-Double.MAX_VALUE));
    }

    @Test
    void sigmoidAtTheEdges() {
        assertSame(0.5, DoubleActivations.sigmoid(0.0));
        assertSame(0.5, DoubleActivations.sigmoid(-0.0));
        assertSame(0.5, DoubleActivations.sigmoid(Double.MIN_VALUE));
        assertSame(0.5, DoubleActivations.sigmoid(-Double.MIN_VALUE));
        assertSame(1.0, DoubleActivations.sigmoid(Double.POSITIVE_INFINITY));
        assertSame(0.0, DoubleActivations.sigmoid(Double.NEGATIVE_INFINITY));
        assertSame(1.0, DoubleActivations.sigmoid(38.0)); // 1 − σ(38) = 3.1e−17, below half the ulp under 1 (5.6e−17)
        assertTrue(DoubleActivations.sigmoid(36.0) < 1.0, "1 − σ(36) = 2.3e−16: not yet saturated");
        assertSame(1.0, DoubleActivations.sigmoid(Double.MAX_VALUE));
        assertSame(StrictMath.exp(-740), DoubleActivations.sigmoid(-740)); // subnormal, not 0
        assertSame(0.0, DoubleActivations.sigmoid(-746));
        assertSame(0.0, DoubleActivations.sigmoid(-Double.MAX_VALUE));
        assertTrue(Double.isNaN(DoubleActivations.sigmoid(Double.NaN)));
    }

    @Test
    void tanhIsWithinOneInTenTrillionOfMathTanh() {
        SplittableRandom random = new SplittableRandom(1);
        double worst = 0;
        // every scale where the formula changes: the series, its limit, the exp form, saturation
        for (double scale : new double[] {1e-300, 1e-8, 1e-3, 0.019, 0.049, 0.051, 0.5, 3, 19, 25}) {
            for (int i = 0; i < 200_000; i++) {
                double x = scale * (2 * random.nextDouble() - 1) * 1.1;
                worst = Math.max(worst, relativeError(DoubleActivations.tanh(x), Math.tanh(x)));
            }
        }
        assertTrue(worst < 1e-14, "largest relative error " + worst);
    }

    @Test
    void tanhAtTheEdges() {
        assertEquals(0.0, DoubleActivations.tanh(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(DoubleActivations.tanh(-0.0)));
        assertEquals(1.0, DoubleActivations.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, DoubleActivations.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, DoubleActivations.tanh(700));
        assertEquals(-1.0, DoubleActivations.tanh(-20));
        assertTrue(Double.isNaN(DoubleActivations.tanh(Double.NaN)));
    }

    @Test
    void sigmoidMatchesItsDefinitionWithoutOverflow() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 100_000; i++) {
            double u = 40 * (2 * random.nextDouble() - 1);
            double expected = 1 / (1 + Math.exp(-u));
            assertTrue(relativeError(DoubleActivations.sigmoid(u), expected) < 1e-15, "σ(" + u + ")");
        }
        assertEquals(0.0, DoubleActivations.sigmoid(-1000));
        assertEquals(1.0, DoubleActivations.sigmoid(1000));
    }

    /**
     * The Vector API form equals the scalar form in every lane: on the edges (each in every lane)
     * and on ten million values, half over the functions' working ranges and half any bit pattern
     * (NaN as any NaN: their payloads are the hardware's).
     */
    @Test
    void theVectorFormEqualsTheScalarFormBitForBit() {
        int length = 64 * SPECIES.length(); // whole vectors: the scalar form is not compared with itself
        double[] values = new double[length];
        double[] results = new double[length];
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 709.78, 709.79, 710, Math.nextDown(710.0),
                -745.13, -745.14, -746, Math.nextUp(-746.0), -746.1, -708.4, -740, 20, Math.nextDown(20.0), -20, 38, -38,
                0.3, Math.nextDown(0.3), -0.3, 1e-300, 1e-20, Double.MAX_VALUE, -Double.MAX_VALUE, 0.5 * Math.log(2),
                -0.5 * Math.log(2), 1, -1};
        for (int i = 0; i < edges.length; i++) {
            for (int b = 0; b < length; b++) {
                values[b] = edges[(i + b) % edges.length];
            }
            compareLanes(values, results);
        }
        SplittableRandom random = new SplittableRandom(18);
        for (int round = 0; round < 10_000_000 / length; round++) {
            for (int b = 0; b < length; b++) {
                values[b] = b % 2 == 0 ? random.nextDouble(-800, 800) : Double.longBitsToDouble(random.nextLong());
            }
            compareLanes(values, results);
        }
    }

    private static void compareLanes(double[] values, double[] results) {
        DoubleVectorActivations.Scratch scratch = DoubleVectorActivations.scratch(values.length);
        DoubleVectorActivations.exp(values, results, values.length, scratch);
        for (int b = 0; b < values.length; b++) {
            assertSameOrBothNaN(DoubleActivations.exp(values[b]), results[b], "exp", values[b]);
        }
        System.arraycopy(values, 0, results, 0, values.length);
        DoubleVectorActivations.sigmoid(results, values.length, scratch);
        for (int b = 0; b < values.length; b++) {
            assertSameOrBothNaN(DoubleActivations.sigmoid(values[b]), results[b], "σ", values[b]);
        }
        DoubleVectorActivations.tanh(values, results, values.length, scratch);
        for (int b = 0; b < values.length; b++) {
            assertSameOrBothNaN(DoubleActivations.tanh(values[b]), results[b], "tanh", values[b]);
        }
    }

    private static void assertSameOrBothNaN(double scalar, double vector, String function, double x) {
        if (Double.doubleToLongBits(scalar) != Double.doubleToLongBits(vector)) { // doubleToLongBits: one NaN
            throw new AssertionError(function + "(" + x + " = 0x" + Long.toHexString(Double.doubleToRawLongBits(x))
                    + "): scalar " + scalar + ", vector " + vector);
        }
    }

    /**
     * The sample the ulp bounds are measured on: every 2^−12 from −750 to 750 (every 2^−20 within
     * ±2, where tanh changes formula), and ten million bit patterns taken at random, both signs:
     * tiny, subnormal, huge, infinite and NaN arguments.
     */
    private static double[] sample() {
        double[] grid = new double[(int) (1500 * 4096) + 4 * (1 << 20)];
        int n = 0;
        for (int i = 0; i < 1500 * 4096; i++) {
            grid[n++] = -750 + i / 4096.0;
        }
        for (int i = 0; i < 4 * (1 << 20); i++) {
            grid[n++] = -2 + i / (double) (1 << 20);
        }
        SplittableRandom random = new SplittableRandom(5);
        double[] sample = java.util.Arrays.copyOf(grid, n + 10_000_000);
        for (int i = n; i < sample.length; i++) {
            sample[i] = Double.longBitsToDouble(random.nextLong());
        }
        return sample;
    }

    private static final double[] SAMPLE = sample();

    /** Largest difference in ulps of {@code actual} over the sample, against {@code reference}. */
    private static void assertWithinUlps(String name, DoubleUnaryOperator reference, DoubleUnaryOperator actual,
                                         double ulps) {
        double worst = 0;
        double worstAt = Double.NaN;
        for (double x : SAMPLE) {
            if (Double.isNaN(x)) {
                assertTrue(Double.isNaN(actual.applyAsDouble(x)), name + "(NaN)");
                continue;
            }
            double error = ulps(actual.applyAsDouble(x), reference.applyAsDouble(x));
            if (error > worst) {
                worst = error;
                worstAt = x;
            }
        }
        System.out.printf("%s: largest difference %.3f ulp, at %s%n", name, worst, worstAt);
        assertTrue(worst <= ulps, name + ": largest difference " + worst + " ulp at " + worstAt);
    }

    /**
     * σ(u) from {@code StrictMath.exp}, with the sum and the quotient carried to twice double's
     * precision (the exact remainder of the division by Math.fma), so that the reference adds no
     * rounding of its own to exp's.
     */
    private static double sigmoidOfStrictMathExp(double u) {
        double e = StrictMath.exp(-Math.abs(u));
        double numerator = u >= 0 ? 1 : e;
        double sum = 1 + e;
        double lost = e - (sum - 1); // 1 + e = sum + lost exactly, as 1 ≥ e
        double quotient = numerator / sum;
        double remainder = Math.fma(-quotient, sum, numerator); // numerator − quotient · sum, exactly
        return quotient + (remainder - quotient * lost) / sum;
    }

    /**
     * |actual − reference| in ulps of the reference (2^−1074 for subnormals); infinite when one of
     * them is infinite and the other is not.
     */
    private static double ulps(double actual, double reference) {
        if (Double.isInfinite(reference) || Double.isInfinite(actual)) {
            return reference == actual ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(actual - reference) / Math.ulp(reference);
    }

    private static void assertSame(double expected, double actual) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> "expected " + expected + ", was " + actual);
    }

    private static double relativeError(double actual, double expected) {
        return expected == 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
    }
}
