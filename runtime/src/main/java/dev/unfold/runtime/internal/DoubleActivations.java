package dev.unfold.runtime.internal;

/**
 * exp, σ and tanh in double, for float64 networks: exp within 1 ulp of the exact function, σ within
 * 2 ulps and tanh within 1.5, and the same bits however the code runs. The largest errors measured
 * against the exact functions (with 120-bit arithmetic, over 300,000 arguments drawn across the
 * working ranges) are 0.76, 1.76 and 1.34 ulps (at 113.354, −6.2373 and −0.35972). Against
 * {@code StrictMath.exp}, σ built on it and {@code StrictMath.tanh}, which Java's specification
 * allows 1, 1 and 2.5 ulps from the exact values, they differ by at most 1, 2 and 3 ulps over a
 * dense sample (every 2^−12 from −750 to 750, every 2^−20 within ±2, ten million random bit
 * patterns): {@code ActivationsTest} checks those bounds.
 *
 * <p>Every value is built from exactly rounded double operations ({@code +}, {@code −},
 * {@code ×}, {@code ÷}) and exact bit operations, in a fixed order: no {@code Math.exp}, whose
 * result may differ in the last bit between the interpreter and the JIT's tiers, and no fused
 * multiply-add, which is slow where the processor has none. {@code DoubleVectorActivations} runs
 * the same operations in the same order on vectors of lanes, so that a lane there equals the
 * scalar here bit for bit. The construction is {@link FloatActivations}' with double's constants:
 * a longer polynomial, and a second split of the power of two that needs no 64-bit arithmetic shift.
 */
public final class DoubleActivations {
    /** e^x rounds to +∞ from here on (e^709.79 already exceeds the largest double). */
    static final double EXP_OVERFLOW = 710;
    /** e^x rounds to 0 from here down (e^−745.14 is half the smallest subnormal, 2^−1075). */
    static final double EXP_UNDERFLOW = -746;
    /** tanh(x) rounds to ±1 from here on: 1 − tanh(20) = 8.5e−18 is below half an ulp under 1, 5.6e−17. */
    static final double TANH_SATURATION = 20;
    /**
     * Below this |x|, tanh takes its odd series, whose first omitted term (of x^25) is below 5e−18
     * of tanh x; above, the quotient d / (d + 2), which rounds three times.
     */
    static final double TANH_SERIES_LIMIT = 0.3;
    /** tanh x = x + x³ · T(x²) for small x: T's coefficients (the Taylor series'), highest degree first. */
    static final double T10 = -113927491862.0 / 2900518163668125.0;
    static final double T9 = 18888466084.0 / 194896477400625.0;
    static final double T8 = -443861162.0 / 1856156927625.0;
    static final double T7 = 6404582.0 / 10854718875.0;
    static final double T6 = -929569.0 / 638512875.0;
    static final double T5 = 21844.0 / 6081075.0;
    static final double T4 = -1382.0 / 155925.0;
    static final double T3 = 62.0 / 2835.0;
    static final double T2 = -17.0 / 315.0;
    static final double T1 = 2.0 / 15.0;
    static final double T0 = -1.0 / 3.0;

    /** log2(e), rounded to double. */
    static final double LOG2E = 1.4426950408889634;
    /**
     * 1.5 · 2^52: adding it to a double of magnitude below 2^51 rounds it to an integer (to nearest,
     * ties to even), which then sits in the low bits of the sum's representation.
     */
    static final double ROUNDER = 0x1.8p52;
    static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    /**
     * ln 2 in two parts (fdlibm's): the high part has 32 significant bits, so k · LN2_HI is exact
     * for |k| < 2^21; together they are within 1.2e−26 of ln 2.
     */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;

    /**
     * e^r − 1 − r = r² · P(r) on |r| ≤ ln2 / 2: P's coefficients, highest degree first, the Taylor
     * series' 1/n! up to n = 13, whose first omitted term, r^14 / 14!, is below 5e−18.
     */
    static final double P11 = 1.0 / 6227020800.0;
    static final double P10 = 1.0 / 479001600.0;
    static final double P9 = 1.0 / 39916800.0;
    static final double P8 = 1.0 / 3628800.0;
    static final double P7 = 1.0 / 362880.0;
    static final double P6 = 1.0 / 40320.0;
    static final double P5 = 1.0 / 5040.0;
    static final double P4 = 1.0 / 720.0;
    static final double P3 = 1.0 / 120.0;
    static final double P2 = 1.0 / 24.0;
    static final double P1 = 1.0 / 6.0;
    static final double P0 = 0.5;

    private DoubleActivations() {}

    /**
     * e^x, within 1 ulp (0.76 measured); +∞ from 709.79 on, 0 below −745.13, subnormal between −745.13 and
     * −708.4, NaN for NaN.
     *
     * <p>x = k · ln 2 + r with k an integer and |r| ≤ ln2/2, so e^x = 2^k · e^r: e^r by its
     * polynomial, then the exact scaling by 2^k, in two factors 2^h · 2^(k−h) with h = k/2 rounded,
     * so that each factor is a normal double and a subnormal result is rounded once.
     */
    public static double exp(double x) {
        if (x != x) {
            return x;
        }
        if (x >= EXP_OVERFLOW) {
            return Double.POSITIVE_INFINITY;
        }
        if (x <= EXP_UNDERFLOW) {
            return 0.0;
        }
        double n = x * LOG2E + ROUNDER;
        double k = n - ROUNDER;
        double r = (x - k * LN2_HI) - k * LN2_LO;
        double e = expReduced(r);
        double nHalf = k * 0.5 + ROUNDER; // k/2 rounded to an integer, in the low bits as for k
        return e * powerOfTwo(Double.doubleToRawLongBits(nHalf) - ROUNDER_BITS)
                * powerOfTwo(Double.doubleToRawLongBits(n) - Double.doubleToRawLongBits(nHalf));
    }

    /**
     * σ(u) = 1 / (1 + e^−u), within 2 ulps (1.76 measured): with e = e^−|u|, σ(u) = 1 / (1 + e) for u ≥ 0 and
     * e / (1 + e) below, so that e never overflows. The rounding of 1 + e is recovered exactly
     * (1 ≥ e, so {@code e − ((1 + e) − 1)} is what it lost) and divided out to first order.
     * σ(±0) = 0.5, σ(+∞) = 1, σ(−∞) = 0, NaN for NaN.
     */
    public static double sigmoid(double u) {
        double e = exp(-Math.abs(u));
        double sum = 1.0 + e;
        double lost = e - (sum - 1.0);
        double quotient = (u >= 0.0 ? 1.0 : e) / sum;
        return quotient - quotient * (lost / sum);
    }

    /**
     * tanh(x), within 1.5 ulps (1.34 measured): for a = |x| below 0.3 its odd series a + a³ · T(a²);
     * above, tanh a = d / (d + 2) with d = e^{2a} − 1 computed without cancellation as
     * 2^k · (e^r − 1) + (2^k − 1), where 2a = k · ln 2 + r and k ≥ 0, and the rounding of d + 2
     * recovered exactly and divided out to first order, as in {@link #sigmoid}. The sign is x's (so tanh(−0) = −0), ±1 from |x| ≥ 20 on,
     * NaN for NaN.
     */
    public static double tanh(double x) {
        double a = Math.abs(x);
        if (!(a < TANH_SATURATION)) {
            return a != a ? x : Math.copySign(1.0, x);
        }
        if (a < TANH_SERIES_LIMIT) {
            double a2 = a * a;
            double t = T10;
            t = t * a2 + T9;
            t = t * a2 + T8;
            t = t * a2 + T7;
            t = t * a2 + T6;
            t = t * a2 + T5;
            t = t * a2 + T4;
            t = t * a2 + T3;
            t = t * a2 + T2;
            t = t * a2 + T1;
            t = t * a2 + T0;
            return Math.copySign(a + a * a2 * t, x);
        }
        double twice = a + a;
        double n = twice * LOG2E + ROUNDER;
        double k = n - ROUNDER;
        double r = (twice - k * LN2_HI) - k * LN2_LO;
        double scale = powerOfTwo(Double.doubleToRawLongBits(n) - ROUNDER_BITS);
        double d = scale * expm1Reduced(r) + (scale - 1.0);
        double sum = d + 2.0; // and what it lost, by Knuth's two-sum (either term may be the larger)
        double fromTwo = sum - d;
        double lost = (d - (sum - fromTwo)) + (2.0 - fromTwo);
        double quotient = d / sum;
        return Math.copySign(quotient - quotient * (lost / sum), x);
    }

    /**
     * e^r = 1 + r + r² · P(r) for |r| ≤ ln2 / 2, rounded once at the end: 1 + r is split into its
     * rounded sum and the exact remainder (1 ≥ |r|, so {@code (1 − (1 + r)) + r} is exact), which joins
     * the small term r² · P(r) before the last addition.
     */
    static double expReduced(double r) {
        double p = polynomial(r);
        double sum = 1.0 + r;
        return sum + (((1.0 - sum) + r) + r * r * p);
    }

    /** e^r − 1 = r + r² · P(r) for |r| ≤ ln2 / 2. */
    static double expm1Reduced(double r) {
        return r + r * r * polynomial(r);
    }

    /** P(r), in Horner's order. */
    private static double polynomial(double r) {
        double p = P11;
        p = p * r + P10;
        p = p * r + P9;
        p = p * r + P8;
        p = p * r + P7;
        p = p * r + P6;
        p = p * r + P5;
        p = p * r + P4;
        p = p * r + P3;
        p = p * r + P2;
        p = p * r + P1;
        p = p * r + P0;
        return p;
    }

    /** 2^q for −1022 ≤ q ≤ 1023, exactly: q + 1023 in the exponent field. */
    static double powerOfTwo(long q) {
        return Double.longBitsToDouble((q + 1023) << 52);
    }
}
