package dev.unfold.runtime.internal;

import static dev.unfold.runtime.internal.FloatActivations.EXP_OVERFLOW;
import static dev.unfold.runtime.internal.FloatActivations.EXP_UNDERFLOW;
import static dev.unfold.runtime.internal.FloatActivations.LN2_HI;
import static dev.unfold.runtime.internal.FloatActivations.LN2_LO;
import static dev.unfold.runtime.internal.FloatActivations.LOG2E;
import static dev.unfold.runtime.internal.FloatActivations.P0;
import static dev.unfold.runtime.internal.FloatActivations.P1;
import static dev.unfold.runtime.internal.FloatActivations.P2;
import static dev.unfold.runtime.internal.FloatActivations.P3;
import static dev.unfold.runtime.internal.FloatActivations.P4;
import static dev.unfold.runtime.internal.FloatActivations.P5;
import static dev.unfold.runtime.internal.FloatActivations.ROUNDER;
import static dev.unfold.runtime.internal.FloatActivations.ROUNDER_BITS;
import static dev.unfold.runtime.internal.FloatActivations.T0;
import static dev.unfold.runtime.internal.FloatActivations.T1;
import static dev.unfold.runtime.internal.FloatActivations.T2;
import static dev.unfold.runtime.internal.FloatActivations.T3;
import static dev.unfold.runtime.internal.FloatActivations.T4;
import static dev.unfold.runtime.internal.FloatActivations.T5;
import static dev.unfold.runtime.internal.FloatActivations.TANH_SATURATION;
import static dev.unfold.runtime.internal.FloatActivations.TANH_SERIES_LIMIT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatActivations} over arrays, with the Vector API: the same exactly rounded operations
 * in the same order, so that every lane equals the scalar function's result bit for bit (the
 * scalar form's branches become blends: the lanes outside a formula's range compute it on a
 * clamped value, and the blend puts the scalar form's value for them in place); values past the
 * last whole vector take the scalar form itself. No lane operation here is one whose rounding the
 * Vector API leaves open (no {@code EXP}, {@code TANH}, no reduction). Loaded only when the JVM
 * resolves {@code jdk.incubator.vector} (see {@link BatchKernels}).
 *
 * <p>Each method is one loop with its vector code written out in it, calling no method of ours
 * that takes or returns a vector: in a large compiled method the JIT stops inlining ordinary
 * calls (it has a budget of nodes), and a vector handed across a call it did not inline is boxed,
 * an allocation per vector. The Vector API's own methods are always inlined. So exp's steps
 * appear twice, in {@link #exp} and in {@link #sigmoid}, each line as in {@link FloatActivations#exp}.
 */
final class FloatVectorActivations {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();
    private static final int SIGN = 0x8000_0000;

    private FloatVectorActivations() {}

    /** {@code into[i] = FloatActivations.exp(values[i])} for i &lt; n. */
    static void exp(float[] values, float[] into, int n) {
        int whole = SPECIES.loopBound(n);
        for (int i = 0; i < whole; i += LENGTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, values, i);
            // FloatActivations.exp on x clamped into its formula's range, then the blends of its branches
            FloatVector inRange = x.max(EXP_UNDERFLOW).min(EXP_OVERFLOW);
            FloatVector rounded = inRange.mul(LOG2E).add(ROUNDER);
            FloatVector k = rounded.sub(ROUNDER);
            IntVector q = rounded.reinterpretAsInts().sub(ROUNDER_BITS);
            FloatVector r = inRange.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
            FloatVector p = r.mul(P5).add(P4); // expm1Reduced(r), in Horner's order (P5 · r = r · P5 exactly)
            p = p.mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
            FloatVector e = r.add(r.mul(r).mul(p)).add(1f); // 1 + expm1Reduced(r): addition commutes exactly
            IntVector half = q.lanewise(VectorOperators.ASHR, 1);
            e.mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()) // powerOfTwo(half)
                    .mul(q.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GE, EXP_OVERFLOW))
                    .blend(0f, x.compare(VectorOperators.LE, EXP_UNDERFLOW))
                    .blend(x, x.test(VectorOperators.IS_NAN))
                    .intoArray(into, i);
        }
        for (int i = whole; i < n; i++) {
            into[i] = FloatActivations.exp(values[i]);
        }
    }

    /** {@code row[b] = FloatActivations.sigmoid(row[b])} for b &lt; lanes. */
    static void sigmoid(float[] row, int lanes) {
        int whole = SPECIES.loopBound(lanes);
        for (int b = 0; b < whole; b += LENGTH) {
            FloatVector u = FloatVector.fromArray(SPECIES, row, b);
            FloatVector x = u.abs().neg();
            // e = FloatActivations.exp(x), as in exp above (x is never above 0, so never overflows)
            FloatVector inRange = x.max(EXP_UNDERFLOW);
            FloatVector rounded = inRange.mul(LOG2E).add(ROUNDER);
            FloatVector k = rounded.sub(ROUNDER);
            IntVector q = rounded.reinterpretAsInts().sub(ROUNDER_BITS);
            FloatVector r = inRange.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
            FloatVector p = r.mul(P5).add(P4);
            p = p.mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
            FloatVector e = r.add(r.mul(r).mul(p)).add(1f);
            IntVector half = q.lanewise(VectorOperators.ASHR, 1);
            e = e.mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(q.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .blend(0f, x.compare(VectorOperators.LE, EXP_UNDERFLOW))
                    .blend(x, x.test(VectorOperators.IS_NAN));
            // numerator / (1 + e), the numerator 1 where u ≥ 0, less what rounding 1 + e lost
            FloatVector sum = e.add(1f);
            FloatVector lost = e.sub(sum.sub(1f));
            FloatVector quotient = e.blend(1f, u.compare(VectorOperators.GE, 0f)).div(sum);
            quotient.sub(quotient.mul(lost.div(sum))).intoArray(row, b);
        }
        for (int b = whole; b < lanes; b++) {
            row[b] = FloatActivations.sigmoid(row[b]);
        }
    }

    /** {@code into[b] = FloatActivations.tanh(row[b])} for b &lt; lanes ({@code into} may be {@code row}). */
    static void tanh(float[] row, float[] into, int lanes) {
        int whole = SPECIES.loopBound(lanes);
        for (int b = 0; b < whole; b += LENGTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, row, b);
            FloatVector a = x.abs();
            FloatVector twice = a.min(TANH_SATURATION);
            twice = twice.add(twice);
            FloatVector rounded = twice.mul(LOG2E).add(ROUNDER);
            FloatVector k = rounded.sub(ROUNDER);
            IntVector q = rounded.reinterpretAsInts().sub(ROUNDER_BITS);
            FloatVector r = twice.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
            FloatVector p = r.mul(P5).add(P4); // expm1Reduced(r)
            p = p.mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
            FloatVector scale = q.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(); // powerOfTwo(q)
            FloatVector d = scale.mul(r.add(r.mul(r).mul(p))).add(scale.sub(1f));
            FloatVector a2 = a.mul(a); // the series, for the lanes below TANH_SERIES_LIMIT
            FloatVector t = a2.mul(T5).add(T4);
            t = t.mul(a2).add(T3).mul(a2).add(T2).mul(a2).add(T1).mul(a2).add(T0);
            d.div(d.add(2f))
                    .blend(a.add(a.mul(a2).mul(t)), a.compare(VectorOperators.LT, TANH_SERIES_LIMIT))
                    .blend(1f, a.compare(VectorOperators.GE, TANH_SATURATION))
                    .reinterpretAsInts().and(~SIGN).or(x.reinterpretAsInts().and(SIGN)) // Math.copySign(·, x)
                    .reinterpretAsFloats()
                    .blend(x, x.test(VectorOperators.IS_NAN))
                    .intoArray(into, b);
        }
        for (int b = whole; b < lanes; b++) {
            into[b] = FloatActivations.tanh(row[b]);
        }
    }
}
