package dev.unfold.benchmarks;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.Sgd;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One optimizer step over W3's parameters (LSTM 128 → 256, output 128: 431,232 weights), in
 * float64 and float32. The optimizers write each update rule once, over {@link Parameter}'s
 * precision-neutral accessors ({@code value(i)}, {@code setValue(i, v)}); the {@code …Arrays}
 * benchmarks are the same rules written over {@code value().data} as they were before float32
 * existed, the baseline that shows the accessors cost the float64 step nothing; {@code sgdFloatArrays}
 * is plain SGD typed over the float arrays, which tells the accessors' cost in float32 from that of
 * the widening and rounding the rule asks for. Plain SGD is the case most sensitive to per-element
 * overhead (one multiply-add per weight), Adam the usual one.
 * Not a workload of BENCHMARKS.md. Run, after packaging, with
 * {@code java -jar benchmarks/target/unfold-benchmarks.jar OptimizerStep}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OptimizerStep {
    private static final double RATE = 1e-4;

    private Parameters doubles;
    private Parameters floats;
    private Sgd sgdDouble;
    private Sgd sgdFloat;
    private Adam adamDouble;
    private Adam adamFloat;
    private double[][] firstMoments;
    private double[][] secondMoments;
    private long adamArraysSteps;
    private double weightDecay; // 0, read from a field as the optimizers read their options

    @Setup
    public void setUp() {
        doubles = w3(Precision.FLOAT64);
        floats = w3(Precision.FLOAT32);
        sgdDouble = new Sgd(doubles, RATE);
        sgdFloat = new Sgd(floats, RATE);
        adamDouble = new Adam(doubles, RATE);
        adamFloat = new Adam(floats, RATE);
        firstMoments = new double[doubles.size()][];
        secondMoments = new double[doubles.size()][];
        for (int p = 0; p < doubles.size(); p++) {
            firstMoments[p] = new double[doubles.get(p).size()];
            secondMoments[p] = new double[doubles.get(p).size()];
        }
    }

    private static Parameters w3(Precision precision) {
        Parameters parameters = new Parameters(List.of(
                Parameter.matrix("lstm.weight_ih", 1024, 128, precision),
                Parameter.matrix("lstm.weight_hh", 1024, 256, precision),
                Parameter.vector("lstm.bias", 1024, precision),
                Parameter.matrix("out.weight", 128, 256, precision),
                Parameter.vector("out.bias", 128, precision)));
        SplittableRandom random = new SplittableRandom(17);
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setValue(i, random.nextDouble(-0.06, 0.06));
                parameter.setGradient(i, random.nextDouble(-1, 1));
            }
        }
        return parameters;
    }

    @Benchmark
    public void sgdDouble() {
        sgdDouble.step();
    }

    @Benchmark
    public void sgdFloat() {
        sgdFloat.step();
    }

    /** Plain SGD as Sgd.step wrote it before float32: over the double arrays. */
    @Benchmark
    public void sgdDoubleArrays() {
        for (int p = 0; p < doubles.size(); p++) {
            Parameter parameter = doubles.get(p);
            double[] value = parameter.value().data;
            double[] gradient = parameter.gradient().data;
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double d = gradient[i] + weightDecay * value[i];
                value[i] -= RATE * d;
            }
        }
    }

    /** Plain SGD over the float arrays, widened and rounded by hand: what a typed float loop costs. */
    @Benchmark
    public void sgdFloatArrays() {
        for (int p = 0; p < floats.size(); p++) {
            Parameter parameter = floats.get(p);
            float[] value = parameter.floatValue().data;
            float[] gradient = parameter.floatGradient().data;
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double theta = value[i];
                double d = gradient[i] + weightDecay * theta;
                value[i] = (float) (theta - RATE * d);
            }
        }
    }

    @Benchmark
    public void adamDouble() {
        adamDouble.step();
    }

    @Benchmark
    public void adamFloat() {
        adamFloat.step();
    }

    /** Adam as Adam.step wrote it before float32: over the double arrays, its options read into locals. */
    @Benchmark
    public void adamDoubleArrays() {
        long k = ++adamArraysSteps;
        Adam.Options options = adamDouble.options();
        double beta1 = options.beta1();
        double beta2 = options.beta2();
        double epsilon = options.epsilon();
        double weightDecay = options.weightDecay();
        double stepSize = adamDouble.learningRate() / (1 - Math.pow(beta1, k));
        double secondCorrectionRoot = Math.sqrt(1 - Math.pow(beta2, k));
        for (int p = 0; p < doubles.size(); p++) {
            Parameter parameter = doubles.get(p);
            double[] value = parameter.value().data;
            double[] gradient = parameter.gradient().data;
            double[] m = firstMoments[p];
            double[] v = secondMoments[p];
            for (int i = 0, n = parameter.size(); i < n; i++) {
                double g = gradient[i] + weightDecay * value[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                value[i] += -stepSize * m[i] / (Math.sqrt(v[i]) / secondCorrectionRoot + epsilon);
            }
        }
    }
}
