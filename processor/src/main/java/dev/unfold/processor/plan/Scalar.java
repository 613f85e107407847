package dev.unfold.processor.plan;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.unfold.Precision;
import dev.unfold.processor.declaration.RuntimeTypes;

/**
 * The type a generated network computes in: its parameters, buffers and locals, and the arrays its
 * public methods take and fill. The plan chooses it ({@link NetworkPlan#scalar()}); the emitters and
 * the layouts write it from there, never as a literal, so that another precision is a choice of the
 * plan and overloads in the runtime's kernels rather than an edit of every emitter. This is the one
 * place in the processor that spells the Java type ({@code ScalarTypeTest} sees to it). The runtime's
 * kernels take either type by overloading; its activations are a class per type, which the scalar
 * names.
 *
 * <p>Two values keep their type whatever the scalar: a loss, summed and returned as a
 * {@link #LOSS}, and a probability the caller passes ({@link #PROBABILITY}).
 */
public enum Scalar {
    /** IEEE 754 binary64, Java's {@code double}. */
    FLOAT64(Precision.FLOAT64, TypeName.DOUBLE, "0.0", RuntimeTypes.ACTIVATIONS);

    /** The type a loss is summed in and returned as: {@code SequenceModel}'s, whatever the scalar. */
    public static final TypeName LOSS = TypeName.DOUBLE;

    /** The type of a probability the caller gives (scheduled sampling's), whatever the scalar. */
    public static final TypeName PROBABILITY = TypeName.DOUBLE;

    private final Precision precision;
    private final TypeName type;
    private final String zero;
    private final ClassName activations;

    Scalar(Precision precision, TypeName type, String zero, ClassName activations) {
        this.precision = precision;
        this.type = type;
        this.zero = zero;
        this.activations = activations;
    }

    /** The precision a declaration asks for with {@code @Network(precision = ...)}, and the network reports. */
    public Precision precision() {
        return precision;
    }

    /** The primitive type: {@code double}. */
    public TypeName type() {
        return type;
    }

    /**
     * An array of the scalar with {@code dimensions} dimensions: {@code double[]} for a vector or a
     * flat buffer, {@code double[][]} for a sequence or batch rows, {@code double[][][]} for a batch
     * of sequences.
     */
    public TypeName array(int dimensions) {
        TypeName array = type;
        for (int d = 0; d < dimensions; d++) {
            array = ArrayTypeName.of(array);
        }
        return array;
    }

    /** The runtime's activations (σ, tanh) of the type, which the cells' equations and the outputs call. */
    public ClassName activations() {
        return activations;
    }

    /** The literal zero of the type, as an argument that must have the type exactly ({@code Arrays.fill}). */
    public String zero() {
        return zero;
    }
}
