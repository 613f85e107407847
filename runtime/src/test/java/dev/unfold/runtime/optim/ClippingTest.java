package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import java.util.List;
import java.util.Random;
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

    /** The same float32 network with float gradients of many scales, and its float64 twin. */
    private static Parameters[] twins() {
        Parameters floats = Optimizers.network(2, Precision.FLOAT32);
        Parameters doubles = Optimizers.network(2, Precision.FLOAT64);
        Random random = new Random(7);
        for (int p = 0; p < floats.size(); p++) {
            for (int i = 0; i < floats.get(p).size(); i++) {
                float g = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(5) - 2));
                floats.get(p).setGradient(i, g);
                doubles.get(p).setGradient(i, g);
            }
        }
        return new Parameters[] {floats, doubles};
    }

    @Test
    void float32GradientsClipByNormAsTheirWidenedValuesThenRoundOnce() {
        Parameters[] twins = twins();
        Parameters floats = twins[0];
        Parameters doubles = twins[1];
        double norm = Clipping.globalNorm(doubles);
        assertTrue(norm > 1, "the bound below acts");
        assertEquals(norm, Clipping.globalNorm(floats), 0.0, "the same widened values, summed in double");
        assertEquals(norm, Clipping.clipGlobalNorm(floats, 1), 0.0);
        Clipping.clipGlobalNorm(doubles, 1);
        for (int p = 0; p < floats.size(); p++) {
            for (int i = 0; i < floats.get(p).size(); i++) {
                assertEquals((float) doubles.get(p).gradient(i), floats.get(p).floatGradient().data[i]);
            }
        }
    }

    @Test
    void float32GradientsClipByValueToTheBoundAsAFloatHoldsIt() {
        Parameters[] twins = twins();
        Parameters floats = twins[0];
        Parameters doubles = twins[1];
        int clipped = Clipping.clipValue(doubles, 0.1);
        assertTrue(clipped > 0 && clipped < doubles.count(), "some entries are clipped, not all: " + clipped);
        assertEquals(clipped, Clipping.clipValue(floats, 0.1));
        for (int p = 0; p < floats.size(); p++) {
            for (int i = 0; i < floats.get(p).size(); i++) {
                assertEquals((float) doubles.get(p).gradient(i), floats.get(p).floatGradient().data[i]);
            }
        }
        // 0.1f, the float nearest 0.1, is a little above it: an entry clamped to it is within the bound
        assertEquals(0, Clipping.clipValue(floats, 0.1), "clipping again changes nothing");
        Parameter single = Parameter.vector("b", 2, Precision.FLOAT32);
        single.setGradient(0, 0.1f);
        single.setGradient(1, -0.1f);
        assertEquals(0, Clipping.clipValue(new Parameters(List.of(single)), 0.1));
    }
}
