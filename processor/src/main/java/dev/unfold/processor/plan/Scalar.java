package dev.unfold.processor.plan;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
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
 * <p>Some values keep their type whatever the scalar: a loss, summed and returned as a
 * {@link #LOSS}, a probability the caller passes ({@link #PROBABILITY}), and the states, state
 * gradients, contexts and diagnostics of the API ({@link #STATE}), which a network of another
 * scalar copies into and out of its own buffers ({@link #copyState}).
 */
public enum Scalar {
    /** IEEE 754 binary64, Java's {@code double}. */
    FLOAT64(Precision.FLOAT64, TypeName.DOUBLE, "0.0", RuntimeTypes.ACTIVATIONS, "value", "gradient", false),
    /** IEEE 754 binary32, Java's {@code float}: PyTorch's default precision. */
    FLOAT32(Precision.FLOAT32, TypeName.FLOAT, "0.0f", RuntimeTypes.FLOAT_ACTIVATIONS, "floatValue", "floatGradient",
            true);

    /** The type a loss is summed in and returned as: {@code SequenceModel}'s, whatever the scalar. */
    public static final TypeName LOSS = TypeName.DOUBLE;

    /**
     * The type of a probability, whatever the scalar: one the caller gives (scheduled sampling's),
     * or a dropout rate the runtime's masks take (they round only the scale they write).
     */
    public static final TypeName PROBABILITY = TypeName.DOUBLE;

    /**
     * The type of the arrays of states, state gradients, contexts and diagnostics that the API's
     * methods take and fill ({@code saveState}, {@code setContext}, {@code finalState}...), whatever
     * the scalar: one signature serves both precisions.
     */
    public static final TypeName STATE = TypeName.DOUBLE;

    private final Precision precision;
    private final TypeName type;
    private final String zero;
    private final ClassName activations;
    private final String valueMatrix;
    private final String gradientMatrix;
    private final boolean activatesRowsByVector;

    Scalar(Precision precision, TypeName type, String zero, ClassName activations, String valueMatrix,
           String gradientMatrix, boolean activatesRowsByVector) {
        this.activatesRowsByVector = activatesRowsByVector;
        this.precision = precision;
        this.type = type;
        this.zero = zero;
        this.activations = activations;
        this.valueMatrix = valueMatrix;
        this.gradientMatrix = gradientMatrix;
    }

    /**
     * Whether a batch activates a block of gates in place faster as whole rows, by the runtime's
     * {@code BatchKernels.sigmoid} and {@code tanh}, than lane by lane in the cell's loop. For float,
     * those kernels run on vectors of lanes where the JIT keeps vectors in registers (Java 25 on;
     * lane by lane on Java 17, whose JIT may box them: see {@code BatchKernels}) and equal the
     * scalar functions bit for bit, so the results do not change; double's exp and tanh have no
     * such vector form (the JIT's differ in the last bit between its tiers), and its row kernels
     * are the same scalar loop.
     */
    public boolean activatesRowsByVector() {
        return activatesRowsByVector;
    }

    /** The precision a declaration asks for with {@code @Network(precision = ...)}, and the network reports. */
    public Precision precision() {
        return precision;
    }

    /** The scalar the plan chooses for a declaration's {@code @Network(precision = ...)}. */
    public static Scalar of(Precision precision) {
        for (Scalar scalar : values()) {
            if (scalar.precision == precision) {
                return scalar;
            }
        }
        throw new IllegalArgumentException("no scalar computes in " + precision);
    }

    /** The primitive type: {@code double} or {@code float}. */
    public TypeName type() {
        return type;
    }

    /**
     * An array of the scalar with {@code dimensions} dimensions: {@code double[]} (or {@code float[]})
     * for a vector or a flat buffer, {@code double[][]} for a sequence or batch rows,
     * {@code double[][][]} for a batch of sequences.
     */
    public TypeName array(int dimensions) {
        TypeName array = type;
        for (int d = 0; d < dimensions; d++) {
            array = ArrayTypeName.of(array);
        }
        return array;
    }

    /** An array of {@link #STATE} with {@code dimensions} dimensions: a state, or a row of states per sequence. */
    public static TypeName stateArray(int dimensions) {
        TypeName array = STATE;
        for (int d = 0; d < dimensions; d++) {
            array = ArrayTypeName.of(array);
        }
        return array;
    }

    /**
     * A copy between an array of {@link #STATE} (the caller's) and one of the scalar (the network's
     * own buffer), either way, with {@link System#arraycopy}'s arguments: {@code System.arraycopy}
     * where the types agree, else {@code Conversions.copy}, which rounds a double to the nearest
     * float and widens a float exactly.
     */
    public CodeBlock copyState(String format, Object... arguments) {
        CodeBlock copied = CodeBlock.of(format, arguments);
        return type.equals(STATE) ? CodeBlock.of("$T.arraycopy($L)", System.class, copied)
                : CodeBlock.of("$T.copy($L)", RuntimeTypes.CONVERSIONS, copied);
    }

    /**
     * What a method given {@link #STATE} values checks beyond their being finite, before it copies
     * them: for float, that each rounds to a finite float ({@code Checks.roundsToFloat}, with these
     * arguments); nothing where the types agree.
     */
    public CodeBlock checkStateRange(String format, Object... arguments) {
        return type.equals(STATE) ? CodeBlock.of("")
                : CodeBlock.of("$T.roundsToFloat($L);\n", RuntimeTypes.CHECKS, CodeBlock.of(format, arguments));
    }

    /** The runtime's activations (σ, tanh) of the type, which the cells' equations and the outputs call. */
    public ClassName activations() {
        return activations;
    }

    /**
     * {@code Parameter}'s accessor of the matrix that holds a parameter's values in this type:
     * {@code value()} (a {@code DMatrixRMaj}) or {@code floatValue()} (an {@code FMatrixRMaj}); the
     * generated code binds its {@code data}.
     */
    public String valueMatrix() {
        return valueMatrix;
    }

    /** {@code Parameter}'s accessor of the gradient's matrix in this type: {@code gradient()} or {@code floatGradient()}. */
    public String gradientMatrix() {
        return gradientMatrix;
    }

    /** The literal zero of the type, as an argument that must have the type exactly ({@code Arrays.fill}). */
    public String zero() {
        return zero;
    }
}
