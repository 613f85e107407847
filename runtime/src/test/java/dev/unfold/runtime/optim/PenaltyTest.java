package dev.unfold.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The penalties exactly as their formulas: Ω = λ1 Σ|w| + (λ2/2) Σw², ∂Ω/∂w = λ1 sign(w) + λ2 w with
 * sign(0) = 0, over weight matrices and not biases unless asked. The numbers are binary fractions,
 * so the expected values are exact.
 */
class PenaltyTest {

    /** A weight matrix [0.5, −2, 0, 3] with gradient [1, 1, 1, 1] and a bias [4, −4] with gradient [1, 1]. */
    private static Parameters network() {
        Parameter weight = Parameter.matrix("rnn.weight_hh", 2, 2);
        Parameter bias = Parameter.vector("rnn.bias_hh", 2);
        System.arraycopy(new double[] {0.5, -2, 0, 3}, 0, weight.value().data, 0, 4);
        System.arraycopy(new double[] {4, -4}, 0, bias.value().data, 0, 2);
        java.util.Arrays.fill(weight.gradient().data, 1);
        java.util.Arrays.fill(bias.gradient().data, 1);
        return new Parameters(List.of(weight, bias));
    }

    @Test
    void l1AddsStrengthTimesSignAndReturnsStrengthTimesAbsoluteSum() {
        Parameters parameters = network();
        // Ω = 0.25·(0.5 + 2 + 0 + 3) = 1.375;  ∂Ω/∂w = 0.25·[1, −1, 0, 1]
        assertEquals(1.375, Penalty.l1(0.25).addTo(parameters), 0);
        assertArrayEquals(new double[] {1.25, 0.75, 1, 1.25}, parameters.get("rnn.weight_hh").gradient().data, 0);
        assertArrayEquals(new double[] {1, 1}, parameters.get("rnn.bias_hh").gradient().data, 0);
    }

    @Test
    void l2AddsStrengthTimesWeightAndReturnsHalfStrengthTimesSquareSum() {
        Parameters parameters = network();
        // Ω = (0.5/2)·(0.25 + 4 + 0 + 9) = 3.3125;  ∂Ω/∂w = 0.5·[0.5, −2, 0, 3]
        assertEquals(3.3125, Penalty.l2(0.5).addTo(parameters), 0);
        assertArrayEquals(new double[] {1.25, 0, 1, 2.5}, parameters.get("rnn.weight_hh").gradient().data, 0);
        assertArrayEquals(new double[] {1, 1}, parameters.get("rnn.bias_hh").gradient().data, 0);
    }

    @Test
    void bothTogetherAddTheirTerms() {
        Parameters parameters = network();
        // Ω = 1.375 + 3.3125;  ∂Ω/∂w = [0.25 + 0.25, −0.25 − 1, 0 + 0, 0.25 + 1.5]
        assertEquals(4.6875, Penalty.l1AndL2(0.25, 0.5).addTo(parameters), 0);
        assertArrayEquals(new double[] {1.5, -0.25, 1, 2.75}, parameters.get("rnn.weight_hh").gradient().data, 0);
    }

    @Test
    void biasesArePenalisedOnlyWhenAsked() {
        Parameters parameters = network();
        // Ω = 0.25·(5.5 + 4 + 4) = 3.375;  the bias's gradient gains 0.25·[1, −1]
        assertEquals(3.375, Penalty.l1(0.25).includingBiases().addTo(parameters), 0);
        assertArrayEquals(new double[] {1.25, 0.75}, parameters.get("rnn.bias_hh").gradient().data, 0);
        // (0.5/2)·(13.25 + 32) = 11.3125
        assertEquals(11.3125, Penalty.l2(0.5).includingBiases().value(network()), 0);
    }

    @Test
    void valueLeavesTheGradientsAlone() {
        Parameters parameters = network();
        assertEquals(1.375, Penalty.l1(0.25).value(parameters), 0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, parameters.get("rnn.weight_hh").gradient().data, 0);
    }

    @Test
    void l2MovesTheWeightsAsSgdsWeightDecayDoesBitForBit() {
        Random random = new Random(6);
        // the weight alone: SGD's weight decay would reach the bias too, the penalty does not
        Parameters penalisedWeight = network().withPrefix("rnn.weight");
        Parameters decayedWeight = network().withPrefix("rnn.weight");
        Sgd plain = Sgd.withMomentum(penalisedWeight, 0.1, 0.9);
        Sgd withDecay = new Sgd(decayedWeight, 0.1, Sgd.Options.PLAIN.withMomentum(0.9).withWeightDecay(0.01));
        for (int k = 0; k < 10; k++) {
            double[] gradient = random.doubles(4, -1, 1).toArray();
            System.arraycopy(gradient, 0, penalisedWeight.get(0).gradient().data, 0, 4);
            System.arraycopy(gradient, 0, decayedWeight.get(0).gradient().data, 0, 4);
            Penalty.l2(0.01).addTo(penalisedWeight);
            plain.step();
            withDecay.step();
        }
        assertArrayEquals(decayedWeight.get(0).value().data, penalisedWeight.get(0).value().data, 0);
    }

    @Test
    void strengthsMustBeNonNegative() {
        assertEquals("L1 strength must be non-negative and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Penalty.l1(-1)).getMessage());
        assertEquals("L2 strength must be non-negative and finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> Penalty.l1AndL2(0.1, Double.NaN)).getMessage());
    }

    @Test
    void onFloat32WeightsThePenaltyIsTheWidenedWeightsAndItsGradientIsRoundedOnce() {
        Parameters floats = Optimizers.network(3, Precision.FLOAT32);
        Parameters doubles = Optimizers.network(3, Precision.FLOAT64);
        for (int p = 0; p < floats.size(); p++) {
            for (int i = 0; i < floats.get(p).size(); i++) {
                doubles.get(p).setValue(i, floats.get(p).value(i));   // the float32 weights, widened
                float g = 0.1f * (i + 1);
                floats.get(p).setGradient(i, g);
                doubles.get(p).setGradient(i, g);
            }
        }
        Penalty penalty = Penalty.l1AndL2(1e-3, 0.3).includingBiases();
        double omega = penalty.value(doubles);
        assertEquals(omega, penalty.value(floats), 0.0);
        assertEquals(omega, penalty.addTo(floats), 0.0);
        penalty.addTo(doubles);
        for (int p = 0; p < floats.size(); p++) {
            for (int i = 0; i < floats.get(p).size(); i++) {
                assertEquals((float) doubles.get(p).gradient(i), floats.get(p).floatGradient().data[i],
                        floats.get(p).name() + "[" + i + "]");
            }
        }
    }
}
