package dev.unfold.runtime.internal;

import dev.unfold.Precision;
import dev.unfold.runtime.SequenceModel;

/**
 * The one refusal of arrays of the wrong precision. A network's public methods come in a
 * {@code double} and a {@code float} form; the network implements those of its own
 * {@link Precision} and the capability interfaces answer the others with this error, before
 * anything changes. Arrays are never converted behind the caller's back: a conversion would
 * allocate, and silently round or widen.
 */
public final class Precisions {
    private Precisions() {}

    /** The error for calling {@code method} of {@code model} with arrays of the other precision. */
    public static IllegalArgumentException refused(SequenceModel model, String method) {
        Precision own = model.precision();
        Precision given = own == Precision.FLOAT64 ? Precision.FLOAT32 : Precision.FLOAT64;
        return new IllegalArgumentException(model.getClass().getSimpleName() + " computes in " + own + ": call "
                + method + " with " + arrays(own) + " arrays, not " + arrays(given) + " arrays (or declare the network"
                + " with @Network(precision = " + given + ") to compute in " + arrays(given) + ")");
    }

    /** Refuses the call unless {@code model} computes in {@code precision}. */
    public static void require(SequenceModel model, Precision precision, String method) {
        if (model.precision() != precision) {
            throw refused(model, method);
        }
    }

    /** The Java type of a precision's arrays: {@code double} or {@code float}. */
    public static String arrays(Precision precision) {
        return precision == Precision.FLOAT64 ? "double" : "float";
    }

    /**
     * Refuses data for {@code model} whose real-valued arrays ({@code double[]} or {@code float[]}
     * at any depth, say {@code float[][][]} sequences) are not of the model's precision; token and
     * label arrays ({@code int}) and nulls fit either. For helpers that hold data for a network
     * ({@code Minibatches}, {@code SequencePairs}, ...): they refuse it when built, before anything
     * runs, rather than at the first update.
     */
    public static void requireData(SequenceModel model, String method, Object... arrays) {
        for (Object array : arrays) {
            Precision given = of(array);
            if (given != null && given != model.precision()) {
                throw refused(model, method);
            }
        }
    }

    /** The precision of an array of doubles or floats at any depth; null for other arrays and for null. */
    public static Precision of(Object array) {
        Class<?> type = array == null ? null : array.getClass();
        while (type != null && type.isArray()) {
            type = type.getComponentType();
        }
        return type == double.class ? Precision.FLOAT64 : type == float.class ? Precision.FLOAT32 : null;
    }
}
