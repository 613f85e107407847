package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private final Parameter weight = Parameter.matrix("rnn.weight_hh", 3, 3);
    private final Parameter bias = Parameter.vector("rnn.bias", 3);
    private final Parameter output = Parameter.matrix("out.weight", 2, 3);
    private final Parameters parameters = new Parameters(List.of(weight, bias, output));

    @Test
    void findsByNameAndCountsScalars() {
        assertSame(bias, parameters.get("rnn.bias"));
        assertEquals(9 + 3 + 6, parameters.count());
        assertEquals(List.of("rnn.weight_hh", "rnn.bias", "out.weight"), parameters.names());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parameters.get("rnn.weight"));
        assertEquals("no parameter named rnn.weight; the names are [rnn.weight_hh, rnn.bias, out.weight]", e.getMessage());
    }

    @Test
    void duplicateNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Parameters(List.of(bias, Parameter.vector("rnn.bias", 1))));
    }

    @Test
    void zeroGradientsClearsEveryGradient() {
        weight.gradient().data[4] = 2;
        output.gradient().data[5] = -1;
        parameters.zeroGradients();
        for (Parameter parameter : parameters) {
            for (double g : parameter.gradient().data) {
                assertEquals(0.0, g);
            }
        }
    }

    @Test
    void prefixSelectsALayersParametersSharingTheMatrices() {
        Parameters layer = parameters.withPrefix("rnn.");
        assertEquals(List.of("rnn.weight_hh", "rnn.bias"), layer.names());
        assertSame(weight.value(), layer.get("rnn.weight_hh").value());
    }

    @Test
    void sgdMovesAgainstTheGradient() {
        weight.value().data[0] = 1.0;
        weight.gradient().data[0] = 4.0;
        new Sgd(parameters, 0.25).step();
        assertEquals(0.0, weight.value().data[0]);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(parameters, -1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(parameters, Double.NaN));
    }

    @Test
    void aFloat32ParametersDoubleMatricesAreRefusedNamingTheFloatOnes() {
        Parameter floats = Parameter.matrix("rnn.weight_ih", 2, 2, Precision.FLOAT32);
        IllegalStateException value = assertThrows(IllegalStateException.class, floats::value);
        assertEquals("parameter rnn.weight_ih holds FLOAT32 values: value() is for FLOAT64 parameters; call floatValue(),"
                + " or value(int) and gradient(int), which serve both", value.getMessage());
        IllegalStateException gradient = assertThrows(IllegalStateException.class, floats::gradient);
        assertTrue(gradient.getMessage().contains("call floatGradient()"), gradient.getMessage());
        IllegalStateException floatValue = assertThrows(IllegalStateException.class, weight::floatValue);
        assertTrue(floatValue.getMessage().contains("call value()"), floatValue.getMessage());
    }

    @Test
    void float32GradientsAreZeroedAndScaledInPlace() {
        Parameter floats = Parameter.matrix("rnn.weight_ih", 2, 2, Precision.FLOAT32);
        Parameter bias = Parameter.vector("rnn.bias", 3, Precision.FLOAT32);
        Parameters both = new Parameters(List.of(floats, bias));
        float[] gradient = floats.floatGradient().data;
        gradient[0] = 0.1f;
        gradient[3] = -3f;
        bias.floatGradient().data[2] = 7f;
        both.scaleGradients(1 / 3.0);
        assertEquals((float) (0.1f / 3.0), gradient[0], "scaled in double, rounded once");
        assertEquals(-1f, gradient[3]);
        assertEquals((float) (7 / 3.0), bias.floatGradient().data[2]);
        both.zeroGradients();
        for (Parameter parameter : both) {
            for (float g : parameter.floatGradient().data) {
                assertEquals(0f, g);
            }
        }
    }
}
