package dev.unfold.runtime.internal;

import static dev.unfold.runtime.internal.Activations.EXP_OVERFLOW;
import static dev.unfold.runtime.internal.Activations.EXP_UNDERFLOW;
import static dev.unfold.runtime.internal.Activations.LN2_HI;
import static dev.unfold.runtime.internal.Activations.LN2_LO;
import static dev.unfold.runtime.internal.Activations.LOG2E;
import static dev.unfold.runtime.internal.Activations.P0;
import static dev.unfold.runtime.internal.Activations.P1;
import static dev.unfold.runtime.internal.Activations.P10;
import static dev.unfold.runtime.internal.Activations.P11;
import static dev.unfold.runtime.internal.Activations.P2;
import static dev.unfold.runtime.internal.Activations.P3;
import static dev.unfold.runtime.internal.Activations.P4;
import static dev.unfold.runtime.internal.Activations.P5;
import static dev.unfold.runtime.internal.Activations.P6;
import static dev.unfold.runtime.internal.Activations.P7;
import static dev.unfold.runtime.internal.Activations.P8;
import static dev.unfold.runtime.internal.Activations.P9;
import static dev.unfold.runtime.internal.Activations.ROUNDER;
import static dev.unfold.runtime.internal.Activations.ROUNDER_BITS;
import static dev.unfold.runtime.internal.Activations.T0;
import static dev.unfold.runtime.internal.Activations.T1;
import static dev.unfold.runtime.internal.Activations.T10;
import static dev.unfold.runtime.internal.Activations.T2;
import static dev.unfold.runtime.internal.Activations.T3;
import static dev.unfold.runtime.internal.Activations.T4;
import static dev.unfold.runtime.internal.Activations.T5;
import static dev.unfold.runtime.internal.Activations.T6;
import static dev.unfold.runtime.internal.Activations.T7;
import static dev.unfold.runtime.internal.Activations.T8;
import static dev.unfold.runtime.internal.Activations.T9;
import static dev.unfold.runtime.internal.Activations.TANH_SATURATION;
import static dev.unfold.runtime.internal.Activations.TANH_SERIES_LIMIT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Activations} over arrays, with the Vector API: the same exactly rounded operations in the
 * same order, so that every lane equals the scalar function's result bit for bit, as
 * {@link FloatVectorActivations} does for float (its class comment says how: branches become
 * blends, values past the last whole vector take the scalar form, no lane operation whose rounding
 * the Vector API leaves open, each method one loop calling no method of ours that takes or
 * returns a vector). The 64-bit lane operations are additions, subtractions and a left shift,
 * which AVX2 has as well as AVX-512. Loaded only when the JVM resolves {@code jdk.incubator.vector}
 * (see {@link BatchKernels}).
 */
final class DoubleVectorActivations {
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();
    private static final long SIGN = 0x8000_0000_0000_0000L;
    /** {@code (bits − ROUNDER_BITS + 1023) << 52} is {@code (bits + EXPONENT_BIAS) << 52}: Activations.powerOfTwo. */
    private static final long EXPONENT_BIAS = 1023 - ROUNDER_BITS;

    private DoubleVectorActivations() {}

    /** {@code into[i] = Activations.exp(values[i])} for i &lt; n. */
    static void exp(double[] values, double[] into, int n) {
        int whole = SPECIES.loopBound(n);
        for (int i = 0; i < whole; i += LENGTH) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, values, i);
            // Activations.exp on x clamped into its formula's range, then the blends of its branches
            DoubleVector inRange = x.max(EXP_UNDERFLOW).min(EXP_OVERFLOW);
            DoubleVector rounded = inRange.mul(LOG2E).add(ROUNDER);
            DoubleVector k = rounded.sub(ROUNDER);
            DoubleVector r = inRange.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
            DoubleVector p = r.mul(P11).add(P10); // expm1Reduced(r), in Horner's order (P11 · r = r · P11 exactly)
            p = p.mul(r).add(P9).mul(r).add(P8).mul(r).add(P7).mul(r).add(P6).mul(r).add(P5);
            p = p.mul(r).add(P4).mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
            DoubleVector sum = r.add(1.0); // expReduced(r): addition commutes exactly
            DoubleVector e = sum.add(sum.neg().add(1.0).add(r).add(r.mul(r).mul(p)));
            LongVector bits = rounded.reinterpretAsLongs();
            LongVector halfBits = k.mul(0.5).add(ROUNDER).reinterpretAsLongs();
            e.mul(halfBits.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .mul(bits.sub(halfBits).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GE, EXP_OVERFLOW))
                    .blend(0.0, x.compare(VectorOperators.LE, EXP_UNDERFLOW))
                    .blend(x, x.test(VectorOperators.IS_NAN))
                    .intoArray(into, i);
        }
        for (int i = whole; i < n; i++) {
            into[i] = Activations.exp(values[i]);
        }
    }

    /** {@code row[b] = Activations.sigmoid(row[b])} for b &lt; lanes. */
    static void sigmoid(double[] row, int lanes) {
        int whole = SPECIES.loopBound(lanes);
        for (int b = 0; b < whole; b += LENGTH) {
            DoubleVector u = DoubleVector.fromArray(SPECIES, row, b);
            DoubleVector x = u.abs().neg();
            // e = Activations.exp(x), as in exp above (x is never above 0, so never overflows)
            DoubleVector inRange = x.max(EXP_UNDERFLOW);
            DoubleVector rounded = inRange.mul(LOG2E).add(ROUNDER);
            DoubleVector k = rounded.sub(ROUNDER);
            DoubleVector r = inRange.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
            DoubleVector p = r.mul(P11).add(P10);
            p = p.mul(r).add(P9).mul(r).add(P8).mul(r).add(P7).mul(r).add(P6).mul(r).add(P5);
            p = p.mul(r).add(P4).mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
            DoubleVector rSum = r.add(1.0);
            DoubleVector e = rSum.add(rSum.neg().add(1.0).add(r).add(r.mul(r).mul(p)));
            LongVector bits = rounded.reinterpretAsLongs();
            LongVector halfBits = k.mul(0.5).add(ROUNDER).reinterpretAsLongs();
            e = e.mul(halfBits.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .mul(bits.sub(halfBits).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .blend(0.0, x.compare(VectorOperators.LE, EXP_UNDERFLOW))
                    .blend(x, x.test(VectorOperators.IS_NAN));
            // numerator / (1 + e), the numerator 1 where u ≥ 0, less what rounding 1 + e lost
            DoubleVector sum = e.add(1.0);
            DoubleVector lost = e.sub(sum.sub(1.0));
            DoubleVector quotient = e.blend(1.0, u.compare(VectorOperators.GE, 0.0)).div(sum);
            quotient.sub(quotient.mul(lost.div(sum))).intoArray(row, b);
        }
        for (int b = whole; b < lanes; b++) {
            row[b] = Activations.sigmoid(row[b]);
        }
    }

    /** {@code into[b] = Activations.tanh(row[b])} for b &lt; lanes ({@code into} may be {@code row}). */
    static void tanh(double[] row, double[] into, int lanes) {
        int whole = SPECIES.loopBound(lanes);
        for (int b = 0; b < whole; b += LENGTH) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, row, b);
            DoubleVector a = x.abs();
            DoubleVector twice = a.min(TANH_SATURATION);
            twice = twice.add(twice);
            DoubleVector rounded = twice.mul(LOG2E).add(ROUNDER);
            DoubleVector k = rounded.sub(ROUNDER);
            DoubleVector r = twice.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
            DoubleVector p = r.mul(P11).add(P10); // expm1Reduced(r)
            p = p.mul(r).add(P9).mul(r).add(P8).mul(r).add(P7).mul(r).add(P6).mul(r).add(P5);
            p = p.mul(r).add(P4).mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
            DoubleVector scale = rounded.reinterpretAsLongs().add(EXPONENT_BIAS) // powerOfTwo(k)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector d = scale.mul(r.add(r.mul(r).mul(p))).add(scale.sub(1.0));
            DoubleVector a2 = a.mul(a); // the series, for the lanes below TANH_SERIES_LIMIT
            DoubleVector t = a2.mul(T10).add(T9);
            t = t.mul(a2).add(T8).mul(a2).add(T7).mul(a2).add(T6).mul(a2).add(T5).mul(a2).add(T4);
            t = t.mul(a2).add(T3).mul(a2).add(T2).mul(a2).add(T1).mul(a2).add(T0);
            DoubleVector sum = d.add(2.0); // and what it lost, as in Activations.tanh
            DoubleVector fromTwo = sum.sub(d);
            DoubleVector lost = d.sub(sum.sub(fromTwo)).add(fromTwo.neg().add(2.0));
            DoubleVector quotient = d.div(sum);
            quotient.sub(quotient.mul(lost.div(sum)))
                    .blend(a.add(a.mul(a2).mul(t)), a.compare(VectorOperators.LT, TANH_SERIES_LIMIT))
                    .blend(1.0, a.compare(VectorOperators.GE, TANH_SATURATION))
                    .reinterpretAsLongs().and(~SIGN).or(x.reinterpretAsLongs().and(SIGN)) // Math.copySign(·, x)
                    .reinterpretAsDoubles()
                    .blend(x, x.test(VectorOperators.IS_NAN))
                    .intoArray(into, b);
        }
        for (int b = whole; b < lanes; b++) {
            into[b] = Activations.tanh(row[b]);
        }
    }
}
