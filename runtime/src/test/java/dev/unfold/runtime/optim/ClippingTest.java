package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClippingTest {

    private static Parameters gradients(double[] first, double[] second) {
        Parameter a = Parameter.matrix("a.weight", 1, first.length);
        Parameter b = Parameter.vector("b.bias", second.length);
        System.arraycopy(first, 0, a.gradient().data, 0, first.length);
        System.arraycopy(second, 0, b.gradient().data, 0, second.length);
        return new Parameters(List.of(a, b));
    }

    @Test
    void normIsTakenOverAllParametersTogether() {
        assertEquals(13, Clipping.globalNorm(gradients(new double[] {3, 4}, new double[] {12})), 1e-12);
    }

    @Test
    void largeGradientIsScaledToTheBoundKeepingItsDirection() {
        Parameters parameters = gradients(new double[] {3, 4}, new double[] {12});
        assertEquals(13, Clipping.clipGlobalNorm(parameters, 1.3), 1e-12);
        assertArrayEquals(new double[] {0.3, 0.4}, parameters.get("a.weight").gradient().data, 1e-12);
        assertArrayEquals(new double[] {1.2}, parameters.get("b.bias").gradient().data, 1e-12);
        assertEquals(1.3, Clipping.globalNorm(parameters), 1e-12);
    }

    @Test
    void smallGradientIsLeftAlone() {
        Parameters parameters = gradients(new double[] {0.3, 0.4}, new double[] {0});
        assertEquals(0.5, Clipping.clipGlobalNorm(parameters, 1), 1e-12);
        assertArrayEquals(new double[] {0.3, 0.4}, parameters.get("a.weight").gradient().data);
    }

    @Test
    void boundMustBePositive() {
        Parameters parameters = gradients(new double[] {1}, new double[] {1});
        assertEquals("maxNorm must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> Clipping.clipGlobalNorm(parameters, 0)).getMessage());
    }

    @Test
    void clippingByValueClampsEachEntryAndCountsThem() {
        Parameters parameters = gradients(new double[] {3, -0.5, -7}, new double[] {1.5, 2.5});
        assertEquals(3, Clipping.clipValue(parameters, 2)); // 3, −7 and the bias's 2.5
        assertArrayEquals(new double[] {2, -0.5, -2}, parameters.get("a.weight").gradient().data, 0);
        assertArrayEquals(new double[] {1.5, 2}, parameters.get("b.bias").gradient().data, 0);
    }

    @Test
    void entriesOnTheBoundAreNotCountedAsClipped() {
        Parameters parameters = gradients(new double[] {-2, 2}, new double[] {0});
        assertEquals(0, Clipping.clipValue(parameters, 2));
        assertArrayEquals(new double[] {-2, 2}, parameters.get("a.weight").gradient().data, 0);
    }

    @Test
    void clippingByValueLeavesNaNAsItIs() {
        Parameters parameters = gradients(new double[] {Double.NaN, Double.NEGATIVE_INFINITY}, new double[] {1});
        assertEquals(1, Clipping.clipValue(parameters, 1));
        assertArrayEquals(new double[] {Double.NaN, -1}, parameters.get("a.weight").gradient().data, 0);
    }

    @Test
    void valueBoundMustBePositive() {
        Parameters parameters = gradients(new double[] {1}, new double[] {1});
        assertEquals("maxValue must be positive and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Clipping.clipValue(parameters, -1)).getMessage());
    }
}
