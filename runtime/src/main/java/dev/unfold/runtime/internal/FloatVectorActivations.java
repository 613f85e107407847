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
 * <p>Each function runs as a few short passes over the row that hand their values on through
 * scratch rows, called from one call site the JIT does not inline, for the reasons
 * {@link DoubleVectorActivations} gives: so that Java 17's JIT keeps every vector in registers,
 * whatever the JVM ran before and however large the caller.
 */
final class FloatVectorActivations {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();
    private static final int SIGN = 0x8000_0000;

    /** The rows one pass hands the next, one set per thread, as long as the longest row so far. */
    static final class Scratch {
        /** The reduced argument r, then tanh's series. */
        float[] reduced = new float[0];
        /** The argument times log2(e) plus {@link FloatActivations#ROUNDER}: k in its low bits. */
        float[] rounded = new float[0];
        /** e^r, then the function's value on its main branch. */
        float[] value = new float[0];

        Scratch ensure(int lanes) {
            if (reduced.length < lanes) {
                reduced = new float[lanes];
                rounded = new float[lanes];
                value = new float[lanes];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private FloatVectorActivations() {}

    /** This thread's scratch rows, at least {@code lanes} long. */
    static Scratch scratch(int lanes) {
        return SCRATCH.get().ensure(lanes);
    }

    /** {@code into[i] = FloatActivations.exp(values[i])} for i &lt; n. */
    static void exp(float[] values, float[] into, int n, Scratch scratch) {
        int whole = SPECIES.loopBound(n);
        run(EXP, values, into, whole, scratch);
        for (int i = whole; i < n; i++) {
            into[i] = FloatActivations.exp(values[i]);
        }
    }

    /** {@code row[b] = FloatActivations.sigmoid(row[b])} for b &lt; lanes. */
    static void sigmoid(float[] row, int lanes, Scratch scratch) {
        int whole = SPECIES.loopBound(lanes);
        run(SIGMOID, row, row, whole, scratch);
        for (int b = whole; b < lanes; b++) {
            row[b] = FloatActivations.sigmoid(row[b]);
        }
    }

    /** {@code into[b] = FloatActivations.tanh(row[b])} for b &lt; lanes ({@code into} may be {@code row}). */
    static void tanh(float[] row, float[] into, int lanes, Scratch scratch) {
        int whole = SPECIES.loopBound(lanes);
        run(TANH, row, into, whole, scratch);
        for (int b = whole; b < lanes; b++) {
            into[b] = FloatActivations.tanh(row[b]);
        }
    }

    private static final Pass[] EXP = {Pass.REDUCE_EXP_ARGUMENT, Pass.EXP_REDUCED, Pass.SCALE_EXP};
    private static final Pass[] SIGMOID = {Pass.REDUCE_SIGMOID_ARGUMENT, Pass.EXP_REDUCED, Pass.SCALE_SIGMOID_EXP,
            Pass.SIGMOID_FROM_EXP};
    private static final Pass[] TANH = {Pass.REDUCE_TANH_ARGUMENT, Pass.TANH_QUOTIENT, Pass.TANH_SERIES,
            Pass.TANH_ENDING};

    /**
     * Runs the passes in order over the first {@code whole} values, all from this one call site,
     * which the JIT does not inline (see {@link DoubleVectorActivations}).
     */
    private static void run(Pass[] passes, float[] row, float[] into, int whole, Scratch scratch) {
        for (Pass pass : passes) {
            pass.run(row, into, scratch, whole);
        }
    }

    /**
     * One pass over a row's whole vectors: reads {@code row} and the scratch rows, writes the
     * scratch rows or {@code into}.
     */
    private enum Pass {
        /** exp's x clamped into its formula's range, reduced: r and k (as FloatActivations.exp computes them). */
        REDUCE_EXP_ARGUMENT {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int i = 0; i < whole; i += LENGTH) {
                    FloatVector inRange = FloatVector.fromArray(SPECIES, row, i).max(EXP_UNDERFLOW).min(EXP_OVERFLOW);
                    FloatVector n = inRange.mul(LOG2E).add(ROUNDER);
                    FloatVector k = n.sub(ROUNDER);
                    inRange.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO)).intoArray(scratch.reduced, i);
                    n.intoArray(scratch.rounded, i);
                }
            }
        },

        /** σ's −|u|, clamped (it never overflows), reduced as exp's argument is. */
        REDUCE_SIGMOID_ARGUMENT {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int b = 0; b < whole; b += LENGTH) {
                    FloatVector inRange = FloatVector.fromArray(SPECIES, row, b).abs().neg().max(EXP_UNDERFLOW);
                    FloatVector n = inRange.mul(LOG2E).add(ROUNDER);
                    FloatVector k = n.sub(ROUNDER);
                    inRange.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO)).intoArray(scratch.reduced, b);
                    n.intoArray(scratch.rounded, b);
                }
            }
        },

        /** tanh's 2|x|, |x| clamped below its saturation, reduced as exp's argument is. */
        REDUCE_TANH_ARGUMENT {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int b = 0; b < whole; b += LENGTH) {
                    FloatVector twice = FloatVector.fromArray(SPECIES, row, b).abs().min(TANH_SATURATION);
                    twice = twice.add(twice);
                    FloatVector n = twice.mul(LOG2E).add(ROUNDER);
                    FloatVector k = n.sub(ROUNDER);
                    twice.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO)).intoArray(scratch.reduced, b);
                    n.intoArray(scratch.rounded, b);
                }
            }
        },

        /** 1 + expm1Reduced(r), P in Horner's order (P5 · r = r · P5 exactly), into {@code value}. */
        EXP_REDUCED {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int i = 0; i < whole; i += LENGTH) {
                    FloatVector r = FloatVector.fromArray(SPECIES, scratch.reduced, i);
                    FloatVector p = r.mul(P5).add(P4).mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
                    r.add(r.mul(r).mul(p)).add(1f).intoArray(scratch.value, i); // addition commutes exactly
                }
            }
        },

        /** e^r · 2^h · 2^(k − h), h = k >> 1, then the blends of exp's branches, into {@code into}. */
        SCALE_EXP {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int i = 0; i < whole; i += LENGTH) {
                    FloatVector x = FloatVector.fromArray(SPECIES, row, i);
                    IntVector q = FloatVector.fromArray(SPECIES, scratch.rounded, i).reinterpretAsInts().sub(ROUNDER_BITS);
                    IntVector half = q.lanewise(VectorOperators.ASHR, 1);
                    FloatVector.fromArray(SPECIES, scratch.value, i)
                            .mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()) // powerOfTwo(half)
                            .mul(q.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                            .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GE, EXP_OVERFLOW))
                            .blend(0f, x.compare(VectorOperators.LE, EXP_UNDERFLOW))
                            .blend(x, x.test(VectorOperators.IS_NAN))
                            .intoArray(into, i);
                }
            }
        },

        /** e = e^−|u| scaled as exp's (x = −|u| never overflows), into {@code value}. */
        SCALE_SIGMOID_EXP {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int b = 0; b < whole; b += LENGTH) {
                    FloatVector x = FloatVector.fromArray(SPECIES, row, b).abs().neg();
                    IntVector q = FloatVector.fromArray(SPECIES, scratch.rounded, b).reinterpretAsInts().sub(ROUNDER_BITS);
                    IntVector half = q.lanewise(VectorOperators.ASHR, 1);
                    FloatVector.fromArray(SPECIES, scratch.value, b)
                            .mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                            .mul(q.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                            .blend(0f, x.compare(VectorOperators.LE, EXP_UNDERFLOW))
                            .blend(x, x.test(VectorOperators.IS_NAN))
                            .intoArray(scratch.value, b);
                }
            }
        },

        /** σ = numerator / (1 + e), the numerator 1 where u ≥ 0 and e below, less what rounding 1 + e lost. */
        SIGMOID_FROM_EXP {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int b = 0; b < whole; b += LENGTH) {
                    FloatVector u = FloatVector.fromArray(SPECIES, row, b);
                    FloatVector e = FloatVector.fromArray(SPECIES, scratch.value, b);
                    FloatVector sum = e.add(1f);
                    FloatVector lost = e.sub(sum.sub(1f));
                    FloatVector quotient = e.blend(1f, u.compare(VectorOperators.GE, 0f)).div(sum);
                    quotient.sub(quotient.mul(lost.div(sum))).intoArray(into, b);
                }
            }
        },

        /** tanh's d = 2^k · expm1Reduced(r) + (2^k − 1), then d / (d + 2), into {@code value}. */
        TANH_QUOTIENT {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int b = 0; b < whole; b += LENGTH) {
                    FloatVector r = FloatVector.fromArray(SPECIES, scratch.reduced, b);
                    FloatVector p = r.mul(P5).add(P4).mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
                    FloatVector scale = FloatVector.fromArray(SPECIES, scratch.rounded, b).reinterpretAsInts()
                            .sub(ROUNDER_BITS).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(); // powerOfTwo(k)
                    FloatVector d = scale.mul(r.add(r.mul(r).mul(p))).add(scale.sub(1f));
                    d.div(d.add(2f)).intoArray(scratch.value, b);
                }
            }
        },

        /** tanh's odd series a + a³ · T(a²), a = |x|, for the lanes below its limit, into {@code reduced}. */
        TANH_SERIES {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int b = 0; b < whole; b += LENGTH) {
                    FloatVector a = FloatVector.fromArray(SPECIES, row, b).abs();
                    FloatVector a2 = a.mul(a);
                    FloatVector t = a2.mul(T5).add(T4).mul(a2).add(T3).mul(a2).add(T2).mul(a2).add(T1).mul(a2).add(T0);
                    a.add(a.mul(a2).mul(t)).intoArray(scratch.reduced, b);
                }
            }
        },

        /** tanh's branches blended (series, quotient, saturation), x's sign, NaN for NaN, into {@code into}. */
        TANH_ENDING {
            @Override
            void run(float[] row, float[] into, Scratch scratch, int whole) {
                for (int b = 0; b < whole; b += LENGTH) {
                    FloatVector x = FloatVector.fromArray(SPECIES, row, b);
                    FloatVector a = x.abs();
                    FloatVector.fromArray(SPECIES, scratch.value, b)
                            .blend(FloatVector.fromArray(SPECIES, scratch.reduced, b),
                                    a.compare(VectorOperators.LT, TANH_SERIES_LIMIT))
                            .blend(1f, a.compare(VectorOperators.GE, TANH_SATURATION))
                            .reinterpretAsInts().and(~SIGN).or(x.reinterpretAsInts().and(SIGN)) // Math.copySign(·, x)
                            .reinterpretAsFloats()
                            .blend(x, x.test(VectorOperators.IS_NAN))
                            .intoArray(into, b);
                }
            }
        };

        abstract void run(float[] row, float[] into, Scratch scratch, int whole);
    }
}
