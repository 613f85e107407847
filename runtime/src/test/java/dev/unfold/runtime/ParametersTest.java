package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
