package dev.unfold.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * This machine's peak of fused multiply-adds on one core, in double and in float: sixteen
 * independent chains of vector FMAs on registers, no memory traffic, so that the core's FMA units
 * and their latency are all that bounds it. {@link PrecisionKernels}' GFLOP/s are read against it.
 * Each call does {@link #FLOPS} floating-point operations (a multiply-add counts two) times the
 * vector's lanes: GFLOP/s = {@code FLOPS × lanes / (µs a call × 1000)}; the lanes are 8 doubles and
 * 16 floats with AVX-512. Not a workload of BENCHMARKS.md. Needs
 * {@code -jvmArgsAppend "--add-modules jdk.incubator.vector"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Peak {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Rounds of sixteen FMAs a call. */
    private static final int ROUNDS = 10_000;
    /** Floating-point operations a call, per lane of a vector. */
    public static final long FLOPS = 2L * 16 * ROUNDS;

    /** Multipliers just below one and addends of zero: the chains neither overflow nor go subnormal. */
    private double a;
    private double b;
    private float floatA;
    private float floatB;

    @Setup
    public void setUp() {
        a = 0.9999999;
        b = 1e-9;
        floatA = 0.99999f;
        floatB = 1e-6f;
    }

    /** The lanes of a double vector on this JVM (8 with AVX-512). */
    public static int doubleLanes() {
        return DOUBLES.length();
    }

    /** The lanes of a float vector on this JVM (16 with AVX-512). */
    public static int floatLanes() {
        return FLOATS.length();
    }

    @Benchmark
    public double fmaDouble() {
        DoubleVector m = DoubleVector.broadcast(DOUBLES, a);
        DoubleVector c = DoubleVector.broadcast(DOUBLES, b);
        DoubleVector s0 = DoubleVector.broadcast(DOUBLES, 1.0), s1 = s0.add(c), s2 = s1.add(c), s3 = s2.add(c);
        DoubleVector s4 = s3.add(c), s5 = s4.add(c), s6 = s5.add(c), s7 = s6.add(c);
        DoubleVector s8 = s7.add(c), s9 = s8.add(c), s10 = s9.add(c), s11 = s10.add(c);
        DoubleVector s12 = s11.add(c), s13 = s12.add(c), s14 = s13.add(c), s15 = s14.add(c);
        for (int i = 0; i < ROUNDS; i++) {
            s0 = s0.fma(m, c); s1 = s1.fma(m, c); s2 = s2.fma(m, c); s3 = s3.fma(m, c);
            s4 = s4.fma(m, c); s5 = s5.fma(m, c); s6 = s6.fma(m, c); s7 = s7.fma(m, c);
            s8 = s8.fma(m, c); s9 = s9.fma(m, c); s10 = s10.fma(m, c); s11 = s11.fma(m, c);
            s12 = s12.fma(m, c); s13 = s13.fma(m, c); s14 = s14.fma(m, c); s15 = s15.fma(m, c);
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7)
                .add(s8).add(s9).add(s10).add(s11).add(s12).add(s13).add(s14).add(s15).lane(0);
    }

    @Benchmark
    public float fmaFloat() {
        FloatVector m = FloatVector.broadcast(FLOATS, floatA);
        FloatVector c = FloatVector.broadcast(FLOATS, floatB);
        FloatVector s0 = FloatVector.broadcast(FLOATS, 1f), s1 = s0.add(c), s2 = s1.add(c), s3 = s2.add(c);
        FloatVector s4 = s3.add(c), s5 = s4.add(c), s6 = s5.add(c), s7 = s6.add(c);
        FloatVector s8 = s7.add(c), s9 = s8.add(c), s10 = s9.add(c), s11 = s10.add(c);
        FloatVector s12 = s11.add(c), s13 = s12.add(c), s14 = s13.add(c), s15 = s14.add(c);
        for (int i = 0; i < ROUNDS; i++) {
            s0 = s0.fma(m, c); s1 = s1.fma(m, c); s2 = s2.fma(m, c); s3 = s3.fma(m, c);
            s4 = s4.fma(m, c); s5 = s5.fma(m, c); s6 = s6.fma(m, c); s7 = s7.fma(m, c);
            s8 = s8.fma(m, c); s9 = s9.fma(m, c); s10 = s10.fma(m, c); s11 = s11.fma(m, c);
            s12 = s12.fma(m, c); s13 = s13.fma(m, c); s14 = s14.fma(m, c); s15 = s15.fma(m, c);
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7)
                .add(s8).add(s9).add(s10).add(s11).add(s12).add(s13).add(s14).add(s15).lane(0);
    }
}
