package dev.unfold.spark;

import java.io.Serializable;

/**
 * A vector as a step sends it (the weights out, a partition's gradient back): as floats when every
 * value is a float widened to double, as a float32 network's weights and each partition's float32
 * gradient are, so that it travels in half the bytes; as doubles otherwise. The values read back are
 * the ones packed, bit for bit. Plain fields, so that Java serialisation and Kryo (whichever
 * {@code spark.serializer} names) both carry it.
 */
final class PackedVector implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The values, or null when {@link #floats} holds them. */
    private final double[] doubles;
    private final float[] floats;

    private PackedVector(double[] doubles, float[] floats) {
        this.doubles = doubles;
        this.floats = floats;
    }

    /** {@code values}, as floats if each is one. The array is kept (not copied) when it stays doubles. */
    static PackedVector of(double[] values) {
        for (double value : values) {
            if (Double.doubleToRawLongBits((float) value) != Double.doubleToRawLongBits(value)) {
                return new PackedVector(values, null);
            }
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) values[i];
        }
        return new PackedVector(null, floats);
    }

    /** {@code values} as doubles, kept as they are: for sums, which are rarely floats. */
    static PackedVector ofDoubles(double[] values) {
        return new PackedVector(values, null);
    }

    /** Whether the values travel as floats. */
    boolean isPacked() {
        return floats != null;
    }

    /** The values; the packed array's own when it holds doubles, a new one widened from the floats otherwise. */
    double[] values() {
        if (doubles != null) {
            return doubles;
        }
        double[] values = new double[floats.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = floats[i];
        }
        return values;
    }
}
