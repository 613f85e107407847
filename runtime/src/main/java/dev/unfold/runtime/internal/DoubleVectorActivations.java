package dev.unfold.runtime.internal;

import static dev.unfold.runtime.internal.DoubleActivations.EXP_OVERFLOW;
import static dev.unfold.runtime.internal.DoubleActivations.EXP_UNDERFLOW;
import static dev.unfold.runtime.internal.DoubleActivations.LN2_HI;
import static dev.unfold.runtime.internal.DoubleActivations.LN2_LO;
import static dev.unfold.runtime.internal.DoubleActivations.LOG2E;
import static dev.unfold.runtime.internal.DoubleActivations.P0;
import static dev.unfold.runtime.internal.DoubleActivations.P1;
import static dev.unfold.runtime.internal.DoubleActivations.P10;
import static dev.unfold.runtime.internal.DoubleActivations.P11;
import static dev.unfold.runtime.internal.DoubleActivations.P2;
import static dev.unfold.runtime.internal.DoubleActivations.P3;
import static dev.unfold.runtime.internal.DoubleActivations.P4;
import static dev.unfold.runtime.internal.DoubleActivations.P5;
import static dev.unfold.runtime.internal.DoubleActivations.P6;
import static dev.unfold.runtime.internal.DoubleActivations.P7;
import static dev.unfold.runtime.internal.DoubleActivations.P8;
import static dev.unfold.runtime.internal.DoubleActivations.P9;
import static dev.unfold.runtime.internal.DoubleActivations.ROUNDER;
import static dev.unfold.runtime.internal.DoubleActivations.ROUNDER_BITS;
import static dev.unfold.runtime.internal.DoubleActivations.T0;
import static dev.unfold.runtime.internal.DoubleActivations.T1;
import static dev.unfold.runtime.internal.DoubleActivations.T10;
import static dev.unfold.runtime.internal.DoubleActivations.T2;
import static dev.unfold.runtime.internal.DoubleActivations.T3;
import static dev.unfold.runtime.internal.DoubleActivations.T4;
import static dev.unfold.runtime.internal.DoubleActivations.T5;
import static dev.unfold.runtime.internal.DoubleActivations.T6;
import static dev.unfold.runtime.internal.DoubleActivations.T7;
import static dev.unfold.runtime.internal.DoubleActivations.T8;
import static dev.unfold.runtime.internal.DoubleActivations.T9;
import static dev.unfold.runtime.internal.DoubleActivations.TANH_SATURATION;
import static dev.unfold.runtime.internal.DoubleActivations.TANH_SERIES_LIMIT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DoubleActivations} over arrays, with the Vector API: the same exactly rounded operations in the
 * same order, so that every lane equals the scalar function's result bit for bit, as
 * {@link FloatVectorActivations} does for float (branches become blends, values past the last
 * whole vector take the scalar form, no lane operation whose rounding the Vector API leaves open).
 * The 64-bit lane operations are additions, subtractions and a left shift, which AVX2 has as well
 * as AVX-512. Loaded only when the JVM resolves {@code jdk.incubator.vector} (see
 * {@link BatchKernels}).
 *
 * <p>Each function runs as a few passes over the row, each a short loop of at most about twenty
 * vector operations that hands its results to the next through scratch rows ({@link Scratch}),
 * never a vector through a call: the argument's reduction x = k ln 2 + r, the polynomial's upper
 * and lower halves, the scaling by 2^k, the function's own ending. Written as one loop, a
 * function inlines some fifty Vector API calls, and Java 17's C2, once the JVM's history has used
 * up its traps for class checks in the Vector API's generic methods, compiles such a loop with
 * calls it does not inline and boxes the vectors (see {@link BatchKernels}); a loop of twenty
 * compiled on its own keeps them in registers even then. So the passes are called from one call
 * site with many targets ({@link #run}), which the JIT does not inline: a large caller cannot take
 * them into its own compilation, where they boxed again. The stores and loads between passes stay
 * in the first-level cache and change no bit.
 */
final class DoubleVectorActivations {
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LENGTH = SPECIES.length();
    private static final long SIGN = 0x8000_0000_0000_0000L;
    /** {@code (bits − ROUNDER_BITS + 1023) << 52} is {@code (bits + EXPONENT_BIAS) << 52}: DoubleActivations.powerOfTwo. */
    private static final long EXPONENT_BIAS = 1023 - ROUNDER_BITS;

    /** The rows one pass hands the next, one set per thread, as long as the longest row so far. */
    static final class Scratch {
        /** The reduced argument r, then what follows from it. */
        double[] reduced = new double[0];
        /** The argument times log2(e) plus {@link DoubleActivations#ROUNDER}: k in its low bits. */
        double[] rounded = new double[0];
        /** The polynomial's upper half, then e^r, then the function's value on its main branch. */
        double[] value = new double[0];

        Scratch ensure(int lanes) {
            if (reduced.length < lanes) {
                reduced = new double[lanes];
                rounded = new double[lanes];
                value = new double[lanes];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DoubleVectorActivations() {}

    /** This thread's scratch rows, at least {@code lanes} long. */
    static Scratch scratch(int lanes) {
        return SCRATCH.get().ensure(lanes);
    }

    /** {@code into[i] = DoubleActivations.exp(values[i])} for i &lt; n. */
    static void exp(double[] values, double[] into, int n, Scratch scratch) {
        int whole = SPECIES.loopBound(n);
        run(EXP, values, into, whole, scratch);
        for (int i = whole; i < n; i++) {
            into[i] = DoubleActivations.exp(values[i]);
        }
    }

    /** {@code row[b] = DoubleActivations.sigmoid(row[b])} for b &lt; lanes. */
    static void sigmoid(double[] row, int lanes, Scratch scratch) {
        int whole = SPECIES.loopBound(lanes);
        run(SIGMOID, row, row, whole, scratch);
        for (int b = whole; b < lanes; b++) {
            row[b] = DoubleActivations.sigmoid(row[b]);
        }
    }

    /** {@code into[b] = DoubleActivations.tanh(row[b])} for b &lt; lanes ({@code into} may be {@code row}). */
    static void tanh(double[] row, double[] into, int lanes, Scratch scratch) {
        int whole = SPECIES.loopBound(lanes);
        run(TANH, row, into, whole, scratch);
        for (int b = whole; b < lanes; b++) {
            into[b] = DoubleActivations.tanh(row[b]);
        }
    }

    private static final Pass[] EXP = {Pass.REDUCE_EXP_ARGUMENT, Pass.POLYNOMIAL_UPPER_HALF, Pass.EXP_REDUCED,
            Pass.SCALE_EXP};
    private static final Pass[] SIGMOID = {Pass.REDUCE_SIGMOID_ARGUMENT, Pass.POLYNOMIAL_UPPER_HALF, Pass.EXP_REDUCED,
            Pass.SCALE_SIGMOID_EXP, Pass.SIGMOID_FROM_EXP};
    private static final Pass[] TANH = {Pass.REDUCE_TANH_ARGUMENT, Pass.POLYNOMIAL_UPPER_HALF, Pass.EXPM1_REDUCED,
            Pass.TANH_QUOTIENT, Pass.TANH_SERIES, Pass.TANH_ENDING};

    /**
     * Runs the passes in order over the first {@code whole} values. Every pass of every function is
     * called from this one call site, which therefore sees many classes: the JIT does not inline a
     * call with more than two targets, so each pass is compiled on its own, however large the
     * method that calls the activations.
     */
    private static void run(Pass[] passes, double[] row, double[] into, int whole, Scratch scratch) {
        for (Pass pass : passes) {
            pass.run(row, into, scratch, whole);
        }
    }

    /**
     * One pass over a row's whole vectors: reads {@code row} and the scratch rows, writes the
     * scratch rows or {@code into}.
     */
    private enum Pass {
        /** exp's x clamped into its formula's range, reduced: r and k (as DoubleActivations.exp computes them). */
        REDUCE_EXP_ARGUMENT {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
                double[] values = row;
            double[] reduced = scratch.reduced;
            double[] rounded = scratch.rounded;
            for (int i = 0; i < whole; i += LENGTH) {
                DoubleVector inRange = DoubleVector.fromArray(SPECIES, values, i).max(EXP_UNDERFLOW).min(EXP_OVERFLOW);
                DoubleVector n = inRange.mul(LOG2E).add(ROUNDER);
                DoubleVector k = n.sub(ROUNDER);
                inRange.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO)).intoArray(reduced, i);
                n.intoArray(rounded, i);
            }
            }
        },

        /** σ's −|u|, clamped (it never overflows), reduced as in {@link #reduceExpArgument}. */
        REDUCE_SIGMOID_ARGUMENT {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] reduced = scratch.reduced;
            double[] rounded = scratch.rounded;
            for (int b = 0; b < whole; b += LENGTH) {
                DoubleVector inRange = DoubleVector.fromArray(SPECIES, row, b).abs().neg().max(EXP_UNDERFLOW);
                DoubleVector n = inRange.mul(LOG2E).add(ROUNDER);
                DoubleVector k = n.sub(ROUNDER);
                inRange.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO)).intoArray(reduced, b);
                n.intoArray(rounded, b);
            }
            }
        },

        /** tanh's 2|x|, |x| clamped below its saturation, reduced as in {@link #reduceExpArgument}. */
        REDUCE_TANH_ARGUMENT {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] reduced = scratch.reduced;
            double[] rounded = scratch.rounded;
            for (int b = 0; b < whole; b += LENGTH) {
                DoubleVector twice = DoubleVector.fromArray(SPECIES, row, b).abs().min(TANH_SATURATION);
                twice = twice.add(twice);
                DoubleVector n = twice.mul(LOG2E).add(ROUNDER);
                DoubleVector k = n.sub(ROUNDER);
                twice.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO)).intoArray(reduced, b);
                n.intoArray(rounded, b);
            }
            }
        },

        /** P(r)'s Horner steps from P11 down to P5 (P11 · r = r · P11 exactly), into {@code value}. */
        POLYNOMIAL_UPPER_HALF {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] reduced = scratch.reduced;
            double[] value = scratch.value;
            for (int i = 0; i < whole; i += LENGTH) {
                DoubleVector r = DoubleVector.fromArray(SPECIES, reduced, i);
                r.mul(P11).add(P10).mul(r).add(P9).mul(r).add(P8).mul(r).add(P7).mul(r).add(P6).mul(r).add(P5)
                        .intoArray(value, i);
            }
            }
        },

        /** DoubleActivations.expReduced(r): P's remaining steps, then 1 + r + r² · P(r), into {@code value}. */
        EXP_REDUCED {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] reduced = scratch.reduced;
            double[] value = scratch.value;
            for (int i = 0; i < whole; i += LENGTH) {
                DoubleVector r = DoubleVector.fromArray(SPECIES, reduced, i);
                DoubleVector p = DoubleVector.fromArray(SPECIES, value, i)
                        .mul(r).add(P4).mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
                DoubleVector sum = r.add(1.0); // addition commutes exactly
                sum.add(sum.neg().add(1.0).add(r).add(r.mul(r).mul(p))).intoArray(value, i);
            }
            }
        },

        /** DoubleActivations.expm1Reduced(r): P's remaining steps, then r + r² · P(r), into {@code value}. */
        EXPM1_REDUCED {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] reduced = scratch.reduced;
            double[] value = scratch.value;
            for (int i = 0; i < whole; i += LENGTH) {
                DoubleVector r = DoubleVector.fromArray(SPECIES, reduced, i);
                DoubleVector p = DoubleVector.fromArray(SPECIES, value, i)
                        .mul(r).add(P4).mul(r).add(P3).mul(r).add(P2).mul(r).add(P1).mul(r).add(P0);
                r.add(r.mul(r).mul(p)).intoArray(value, i);
            }
            }
        },

        /** e^r · 2^h · 2^(k − h), then the blends of exp's branches, into {@code into}. */
        SCALE_EXP {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
                double[] values = row;
            double[] rounded = scratch.rounded;
            double[] value = scratch.value;
            for (int i = 0; i < whole; i += LENGTH) {
                DoubleVector x = DoubleVector.fromArray(SPECIES, values, i);
                DoubleVector n = DoubleVector.fromArray(SPECIES, rounded, i);
                LongVector halfBits = n.sub(ROUNDER).mul(0.5).add(ROUNDER).reinterpretAsLongs();
                DoubleVector.fromArray(SPECIES, value, i)
                        .mul(halfBits.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                        .mul(n.reinterpretAsLongs().sub(halfBits).add(1023).lanewise(VectorOperators.LSHL, 52)
                                .reinterpretAsDoubles())
                        .blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GE, EXP_OVERFLOW))
                        .blend(0.0, x.compare(VectorOperators.LE, EXP_UNDERFLOW))
                        .blend(x, x.test(VectorOperators.IS_NAN))
                        .intoArray(into, i);
            }
            }
        },

        /** e = e^−|u| scaled as in {@link #scaleExp} (x = −|u| never overflows), into {@code value}. */
        SCALE_SIGMOID_EXP {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] rounded = scratch.rounded;
            double[] value = scratch.value;
            for (int b = 0; b < whole; b += LENGTH) {
                DoubleVector x = DoubleVector.fromArray(SPECIES, row, b).abs().neg();
                DoubleVector n = DoubleVector.fromArray(SPECIES, rounded, b);
                LongVector halfBits = n.sub(ROUNDER).mul(0.5).add(ROUNDER).reinterpretAsLongs();
                DoubleVector.fromArray(SPECIES, value, b)
                        .mul(halfBits.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                        .mul(n.reinterpretAsLongs().sub(halfBits).add(1023).lanewise(VectorOperators.LSHL, 52)
                                .reinterpretAsDoubles())
                        .blend(0.0, x.compare(VectorOperators.LE, EXP_UNDERFLOW))
                        .blend(x, x.test(VectorOperators.IS_NAN))
                        .intoArray(value, b);
            }
            }
        },

        /** σ = numerator / (1 + e), the numerator 1 where u ≥ 0 and e below, less what rounding 1 + e lost. */
        SIGMOID_FROM_EXP {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] value = scratch.value;
            for (int b = 0; b < whole; b += LENGTH) {
                DoubleVector u = DoubleVector.fromArray(SPECIES, row, b);
                DoubleVector e = DoubleVector.fromArray(SPECIES, value, b);
                DoubleVector sum = e.add(1.0);
                DoubleVector lost = e.sub(sum.sub(1.0));
                DoubleVector quotient = e.blend(1.0, u.compare(VectorOperators.GE, 0.0)).div(sum);
                quotient.sub(quotient.mul(lost.div(sum))).intoArray(row, b);
            }
            }
        },

        /** tanh's d = 2^k · (e^r − 1) + (2^k − 1), then d / (d + 2) less what rounding d + 2 lost, into {@code value}. */
        TANH_QUOTIENT {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] rounded = scratch.rounded;
            double[] value = scratch.value;
            for (int b = 0; b < whole; b += LENGTH) {
                DoubleVector scale = DoubleVector.fromArray(SPECIES, rounded, b).reinterpretAsLongs()
                        .add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles(); // powerOfTwo(k)
                DoubleVector d = scale.mul(DoubleVector.fromArray(SPECIES, value, b)).add(scale.sub(1.0));
                DoubleVector sum = d.add(2.0); // and what it lost, as in DoubleActivations.tanh
                DoubleVector fromTwo = sum.sub(d);
                DoubleVector lost = d.sub(sum.sub(fromTwo)).add(fromTwo.neg().add(2.0));
                DoubleVector quotient = d.div(sum);
                quotient.sub(quotient.mul(lost.div(sum))).intoArray(value, b);
            }
            }
        },

        /** tanh's odd series a + a³ · T(a²), a = |x|, for the lanes below its limit, into {@code reduced}. */
        TANH_SERIES {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] reduced = scratch.reduced;
            for (int b = 0; b < whole; b += LENGTH) {
                DoubleVector a = DoubleVector.fromArray(SPECIES, row, b).abs();
                DoubleVector a2 = a.mul(a);
                DoubleVector t = a2.mul(T10).add(T9).mul(a2).add(T8).mul(a2).add(T7).mul(a2).add(T6).mul(a2).add(T5);
                t = t.mul(a2).add(T4).mul(a2).add(T3).mul(a2).add(T2).mul(a2).add(T1).mul(a2).add(T0);
                a.add(a.mul(a2).mul(t)).intoArray(reduced, b);
            }
            }
        },

        /** tanh's branches blended (series, quotient, saturation), x's sign, NaN for NaN, into {@code into}. */
        TANH_ENDING {
            @Override
            void run(double[] row, double[] into, Scratch scratch, int whole) {
            double[] series = scratch.reduced;
            double[] quotient = scratch.value;
            for (int b = 0; b < whole; b += LENGTH) {
                DoubleVector x = DoubleVector.fromArray(SPECIES, row, b);
                DoubleVector a = x.abs();
                DoubleVector.fromArray(SPECIES, quotient, b)
                        .blend(DoubleVector.fromArray(SPECIES, series, b), a.compare(VectorOperators.LT, TANH_SERIES_LIMIT))
                        .blend(1.0, a.compare(VectorOperators.GE, TANH_SATURATION))
                        .reinterpretAsLongs().and(~SIGN).or(x.reinterpretAsLongs().and(SIGN)) // Math.copySign(·, x)
                        .reinterpretAsDoubles()
                        .blend(x, x.test(VectorOperators.IS_NAN))
                        .intoArray(into, b);
            }
            }
        };

        abstract void run(double[] row, double[] into, Scratch scratch, int whole);
    }
}
