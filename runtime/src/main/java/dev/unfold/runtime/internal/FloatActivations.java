package dev.unfold.runtime.internal;

/**
 * exp, σ and tanh in float, for float32 networks: exp within 1 ulp of the exact function, σ within
 * 2 ulps and tanh within 1.5, and the same bits however the code runs. The largest errors against
 * {@code Math}'s double functions, measured once over every float, are 0.951, 1.967 and 1.498 ulps
 * (at −5.84602, −6.237699 and 3.812386); {@code FloatActivationsTest} checks the bounds on every
 * seventh float.
 *
 * <p>Every value is built from exactly rounded float operations ({@code +}, {@code −},
 * {@code ×}, {@code ÷}) and exact bit operations, in a fixed order: no {@code Math.exp}, whose
 * result may differ in the last bit between the interpreter and the JIT's tiers, and no fused
 * multiply-add, which is slow where the processor has none. {@code FloatVectorActivations} runs
 * the same operations in the same order on vectors of lanes, so that a lane there equals the
 * scalar here bit for bit; each step below names its twin.
 */
public final class FloatActivations {
    /** e^x rounds to +∞ from here on (e^88.73 already exceeds the largest float). */
    static final float EXP_OVERFLOW = 89f;
    /** e^x rounds to 0 from here down (e^−104 is below half the smallest subnormal, 2^−150). */
    static final float EXP_UNDERFLOW = -104f;
    /** tanh(x) rounds to ±1 from here on: 1 − tanh(9.5) = 1.1e−8 is below half an ulp of 1, 3e−8. */
    static final float TANH_SATURATION = 9.5f;
    /**
     * Below this |x|, tanh takes its odd series, whose first omitted term is below 2e−9 of tanh x:
     * the quotient d / (d + 2) there rounds three times, to 2.4 ulps.
     */
    static final float TANH_SERIES_LIMIT = 0.3f;
    /** tanh x = x + x³ · T(x²) for small x: T's coefficients (the Taylor series'), highest degree first. */
    static final float T5 = 21844f / 6081075f;
    static final float T4 = -1382f / 155925f;
    static final float T3 = 62f / 2835f;
    static final float T2 = -17f / 315f;
    static final float T1 = 2f / 15f;
    static final float T0 = -1f / 3f;

    /** log2(e), rounded to float. */
    static final float LOG2E = 1.44269504088896341f;
    /**
     * 1.5 · 2^23: adding it to a float of magnitude below 2^22 rounds it to an integer (to nearest,
     * ties to even), which then sits in the low bits of the sum's representation.
     */
    static final float ROUNDER = 0x1.8p23f;
    static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** ln 2 in two parts: the high part has 16 significant bits, so k · LN2_HI is exact for |k| ≤ 255. */
    static final float LN2_HI = 0.693145751953125f;
    static final float LN2_LO = 1.428606765330187045e-06f;

    /** e^r − 1 − r = r² · P(r) on |r| ≤ ln2 / 2: P's coefficients, highest degree first. */
    static final float P5 = 0.000198527617612853646278381f;
    static final float P4 = 0.00139304355252534151077271f;
    static final float P3 = 0.00833336077630519866943359f;
    static final float P2 = 0.0416664853692054748535156f;
    static final float P1 = 0.166666671633720397949219f;
    static final float P0 = 0.5f;

    private FloatActivations() {}

    /**
     * e^x, within 1 ulp (0.95 measured); +∞ above 88.72, 0 below −103.97, subnormal between, NaN for NaN.
     *
     * <p>x = k · ln 2 + r with k an integer and |r| ≤ ln2/2, so e^x = 2^k · e^r: e^r by its
     * polynomial, then the exact scaling by 2^k, in two halves so that each factor is a normal
     * float and a subnormal result is rounded once.
     */
    public static float exp(float x) {
        if (x != x) {
            return x;
        }
        if (x >= EXP_OVERFLOW) {
            return Float.POSITIVE_INFINITY;
        }
        if (x <= EXP_UNDERFLOW) {
            return 0f;
        }
        float n = x * LOG2E + ROUNDER;
        float k = n - ROUNDER;
        int q = Float.floatToRawIntBits(n) - ROUNDER_BITS;
        float r = (x - k * LN2_HI) - k * LN2_LO;
        float e = 1f + expm1Reduced(r);
        int half = q >> 1;
        return e * powerOfTwo(half) * powerOfTwo(q - half);
    }

    /**
     * σ(u) = 1 / (1 + e^−u), within 2 ulps: with e = e^−|u|, σ(u) = 1 / (1 + e) for u ≥ 0 and
     * e / (1 + e) below, so that e never overflows. The rounding of 1 + e is recovered exactly
     * (1 ≥ e, so {@code e − ((1 + e) − 1)} is what it lost) and divided out to first order.
     * σ(±0) = 0.5, σ(+∞) = 1, σ(−∞) = 0.
     */
    public static float sigmoid(float u) {
        float e = exp(-Math.abs(u));
        float sum = 1f + e;
        float lost = e - (sum - 1f);
        float quotient = (u >= 0f ? 1f : e) / sum;
        return quotient - quotient * (lost / sum);
    }

    /**
     * tanh(x), within 1.5 ulps: for a = |x| below 0.3 its odd series a + a³ · T(a²); above, tanh a
     * = d / (d + 2) with d = e^{2a} − 1 computed without cancellation as 2^k · (e^r − 1) + (2^k − 1),
     * where 2a = k · ln 2 + r and k ≥ 0. The sign is x's (so tanh(−0) = −0), ±1 from |x| ≥ 9.5 on,
     * NaN for NaN.
     */
    public static float tanh(float x) {
        float a = Math.abs(x);
        if (!(a < TANH_SATURATION)) {
            return a != a ? x : Math.copySign(1f, x);
        }
        if (a < TANH_SERIES_LIMIT) {
            float a2 = a * a;
            float t = T5;
            t = t * a2 + T4;
            t = t * a2 + T3;
            t = t * a2 + T2;
            t = t * a2 + T1;
            t = t * a2 + T0;
            return Math.copySign(a + a * a2 * t, x);
        }
        float twice = a + a;
        float n = twice * LOG2E + ROUNDER;
        float k = n - ROUNDER;
        int q = Float.floatToRawIntBits(n) - ROUNDER_BITS;
        float r = (twice - k * LN2_HI) - k * LN2_LO;
        float scale = powerOfTwo(q);
        float d = scale * expm1Reduced(r) + (scale - 1f);
        return Math.copySign(d / (d + 2f), x);
    }

    /** e^r − 1 = r + r² · P(r) for |r| ≤ ln2 / 2, in Horner's order. */
    static float expm1Reduced(float r) {
        float p = P5;
        p = p * r + P4;
        p = p * r + P3;
        p = p * r + P2;
        p = p * r + P1;
        p = p * r + P0;
        return r + r * r * p;
    }

    /** 2^q for −126 ≤ q ≤ 127, exactly: q + 127 in the exponent field. */
    static float powerOfTwo(int q) {
        return Float.intBitsToFloat((q + 127) << 23);
    }
}
