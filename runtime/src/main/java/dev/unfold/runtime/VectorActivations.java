package dev.unfold.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * σ and tanh over batch rows with the Vector API, from an exp built of operations IEEE 754
 * rounds exactly (add, multiply, fused multiply-add, conversions), so that every tier of the JIT
 * computes the same bits: the Vector API's own exp and tanh do not (compiled, they call a vector
 * math library; interpreted, {@code Math}). Within a few ulps of {@code Math.exp}, and of
 * {@link Activations} to 1e-14. Loaded only with {@code jdk.incubator.vector} (see {@link BatchKernels}).
 */
final class VectorActivations {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();

    private static final double INVERSE_LN2 = 1.4426950408889634;
    /** 1.5 · 2^52: a double this large has no fraction bits, so adding it rounds to an integer. */
    private static final double ROUNDING = 6755399441055744.0;
    private static final long ROUNDING_BITS = Double.doubleToRawLongBits(ROUNDING);
    /** ln 2 in two parts, the first with trailing zero bits, so that k · LN2_HIGH is exact. */
    private static final double LN2_HIGH = 0.6931471803691238;
    private static final double LN2_LOW = 1.9082149292705877e-10;
    /** Below this, e^x is under the smallest normal double: taken as 0, as σ and tanh need. */
    private static final double UNDERFLOW = -708.0;
    /** Below this |x|, tanh's odd series (see {@link Activations#tanh}). */
    private static final double SERIES_LIMIT = 0.05;

    private VectorActivations() {}

    private static DoubleVector constant(double value) {
        return DoubleVector.broadcast(SPECIES, value);
    }

    /** e^x for x ≤ 0: 2^k · e^r with x = k ln 2 + r, |r| ≤ ln 2 / 2, e^r by its Taylor series to r^13. */
    static DoubleVector expOfNonPositive(DoubleVector x) {
        VectorMask<Double> underflow = x.compare(VectorOperators.LT, UNDERFLOW);
        DoubleVector clamped = x.max(UNDERFLOW);
        // k = round(x / ln 2) by the 1.5 · 2^52 trick: adding it leaves k in the low bits
        DoubleVector shifted = clamped.fma(constant(INVERSE_LN2), constant(ROUNDING));
        DoubleVector k = shifted.sub(ROUNDING);
        LongVector n = shifted.reinterpretAsLongs().sub(ROUNDING_BITS);
        DoubleVector r = k.fma(constant(-LN2_HIGH), clamped).add(k.mul(-LN2_LOW));
        DoubleVector p = DoubleVector.broadcast(SPECIES, 1.0 / 6227020800.0); // 1/13!
        p = p.fma(r, constant(1.0 / 479001600.0));
        p = p.fma(r, constant(1.0 / 39916800.0));
        p = p.fma(r, constant(1.0 / 3628800.0));
        p = p.fma(r, constant(1.0 / 362880.0));
        p = p.fma(r, constant(1.0 / 40320.0));
        p = p.fma(r, constant(1.0 / 5040.0));
        p = p.fma(r, constant(1.0 / 720.0));
        p = p.fma(r, constant(1.0 / 120.0));
        p = p.fma(r, constant(1.0 / 24.0));
        p = p.fma(r, constant(1.0 / 6.0));
        p = p.fma(r, constant(0.5));
        p = p.fma(r, constant(1.0));
        p = p.fma(r, constant(1.0));
        // 2^k from its bits: exponent field k + 1023, which the clamp keeps at 1 or above
        DoubleVector scale = n.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(scale).blend(0.0, underflow);
    }

    /** σ(u) = 1 / (1 + e^−u) for u ≥ 0, e^u / (1 + e^u) below, as {@link Activations#sigmoid}. */
    static void sigmoid(double[][] rows, int from, int count, int lanes) {
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        for (int k = 0; k < count; k++) {
            double[] row = rows[from + k];
            for (int v = 0; v < lanes; v += LENGTH) {
                DoubleVector u = DoubleVector.fromArray(SPECIES, row, v);
                DoubleVector e = expOfNonPositive(u.abs().neg());
                DoubleVector positive = one.div(e.add(1.0));
                positive.blend(e.mul(positive), u.compare(VectorOperators.LT, 0.0)).intoArray(row, v);
            }
        }
    }

    /** tanh as {@link Activations#tanh}: the odd series below 0.05, 1 − 2 / (e^{2|x|} + 1) above. */
    static void tanh(double[][] rows, int from, double[][] into, int intoRow, int count, int lanes) {
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        for (int k = 0; k < count; k++) {
            double[] row = rows[from + k];
            double[] out = into[intoRow + k];
            for (int v = 0; v < lanes; v += LENGTH) {
                DoubleVector x = DoubleVector.fromArray(SPECIES, row, v);
                DoubleVector a = x.abs();
                DoubleVector minusX2 = x.mul(x).neg();
                // x (1 − x²(1/3 − x²(2/15 − x²(17/315 − x² 62/2835))))
                DoubleVector series = minusX2.fma(62.0 / 2835, 17.0 / 315);
                series = minusX2.fma(series, DoubleVector.broadcast(SPECIES, 2.0 / 15));
                series = minusX2.fma(series, DoubleVector.broadcast(SPECIES, 1.0 / 3));
                series = minusX2.fma(series, one).mul(x);
                // with e = e^{−2|x|}: 1 − 2 / (e^{2|x|} + 1) = 1 − 2e / (1 + e)
                DoubleVector e = expOfNonPositive(a.mul(-2.0));
                DoubleVector magnitude = one.sub(e.mul(2.0).div(e.add(1.0)));
                DoubleVector signed = magnitude.lanewise(VectorOperators.NEG, x.compare(VectorOperators.LT, 0.0));
                signed.blend(series, a.compare(VectorOperators.LT, SERIES_LIMIT)).intoArray(out, v);
            }
        }
    }
}
