package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    @Test
    void tanhIsWithinOneInTenTrillionOfMathTanh() {
        SplittableRandom random = new SplittableRandom(1);
        double worst = 0;
        // every scale where the formula changes: the series, its limit, the exp form, saturation
        for (double scale : new double[] {1e-300, 1e-8, 1e-3, 0.019, 0.049, 0.051, 0.5, 3, 19, 25}) {
            for (int i = 0; i < 200_000; i++) {
                double x = scale * (2 * random.nextDouble() - 1) * 1.1;
                worst = Math.max(worst, relativeError(Activations.tanh(x), Math.tanh(x)));
            }
        }
        assertTrue(worst < 1e-14, "largest relative error " + worst);
    }

    @Test
    void tanhAtTheEdges() {
        assertEquals(0.0, Activations.tanh(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Activations.tanh(-0.0)));
        assertEquals(1.0, Activations.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Activations.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Activations.tanh(700));
        assertEquals(-1.0, Activations.tanh(-20));
        assertTrue(Double.isNaN(Activations.tanh(Double.NaN)));
    }

    @Test
    void sigmoidMatchesItsDefinitionWithoutOverflow() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 100_000; i++) {
            double u = 40 * (2 * random.nextDouble() - 1);
            double expected = 1 / (1 + Math.exp(-u));
            assertTrue(relativeError(Activations.sigmoid(u), expected) < 1e-15, "σ(" + u + ")");
        }
        assertEquals(0.0, Activations.sigmoid(-1000));
        assertEquals(1.0, Activations.sigmoid(1000));
    }

    private static double relativeError(double actual, double expected) {
        return expected == 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
    }
}
