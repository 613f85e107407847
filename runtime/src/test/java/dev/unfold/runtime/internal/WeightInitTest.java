package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Weights drawn for a float32 parameter are those drawn for a float64 one from the same seed, each
 * rounded to the nearest float: a float32 network and a float64 network built with the same seed
 * have the same weights up to that rounding, and the draws that follow stay in step.
 */
class WeightInitTest {
    @Test
    void float32WeightsAreTheFloat64DrawsRounded() {
        Parameter doubles = Parameter.matrix("w", 7, 5);
        Parameter floats = Parameter.matrix("w", 7, 5, Precision.FLOAT32);
        Parameter nextDoubles = Parameter.vector("b", 9);
        Parameter nextFloats = Parameter.vector("b", 9, Precision.FLOAT32);
        Random first = new Random(17);
        Random second = new Random(17);
        WeightInit.uniform(doubles, 0.3, first);
        WeightInit.uniform(nextDoubles, 0.5, first);
        WeightInit.uniform(floats, 0.3, second);
        WeightInit.uniform(nextFloats, 0.5, second);
        for (int i = 0; i < doubles.size(); i++) {
            assertEquals((float) doubles.value().data[i], floats.floatValue().data[i], "w[" + i + "]");
            assertTrue(Math.abs(doubles.value().data[i]) <= 0.3);
        }
        for (int i = 0; i < nextDoubles.size(); i++) {
            assertEquals((float) nextDoubles.value().data[i], nextFloats.floatValue().data[i], "b[" + i + "]");
        }
        assertEquals(first.nextLong(), second.nextLong(), "both drew as many numbers");
    }
}
