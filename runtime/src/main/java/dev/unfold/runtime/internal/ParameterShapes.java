package dev.unfold.runtime.internal;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.io.SafeTensors;
import java.util.Arrays;

/** The shape check every loaded tensor passes, with one wording for every mismatch. */
final class ParameterShapes {
    private ParameterShapes() {}

    /** Throws unless {@code tensor}, stored as {@code source}, has {@code parameter}'s PyTorch shape. */
    static void require(Parameter parameter, String source, SafeTensors.Tensor tensor) {
        long[] expected = Arrays.stream(parameter.shape()).asLongStream().toArray();
        if (!Arrays.equals(expected, tensor.shape())) {
            throw new IllegalArgumentException("tensor " + source + " has shape " + tensor.shapeText() + ", but "
                    + parameter.name() + " needs " + Arrays.toString(expected));
        }
    }
}
