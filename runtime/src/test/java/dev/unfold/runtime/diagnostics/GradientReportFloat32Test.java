package dev.unfold.runtime.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.runtime.Layer;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.Traceable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A report on a float32 network: its float[][] form runs the network's own float backward pass and
 * puts the float32 gradients back as they were, to the bit. The network is a stand-in (the runtime
 * cannot generate one): a simple layer of 2 units over inputs of 3, whose backward adds a known
 * amount to every gradient and whose state-gradient norms are 1, 2, … by step.
 */
class GradientReportFloat32Test {

    private static final class FloatNetwork implements Traceable {
        private final Parameters parameters = new Parameters(List.of(
                Parameter.matrix("rnn.weight_ih", 2, 3, Precision.FLOAT32),
                Parameter.matrix("rnn.weight_hh", 2, 2, Precision.FLOAT32),
                Parameter.vector("rnn.bias", 2, Precision.FLOAT32)));
        private final List<Layer> layers = List.of(
                Layer.of("rnn", 3, 2, Cell.SIMPLE, Activation.TANH, false, parameters));
        private boolean tracing;
        private int tracedSteps;

        @Override
        public double backward(float[][] xs, float[][] targets) {
            for (Parameter parameter : parameters) {
                for (int i = 0; i < parameter.size(); i++) {
                    parameter.floatGradient().data[i] += 0.75f;
                }
            }
            tracedSteps = tracing ? xs.length : 0;
            return 1.25;
        }

        @Override
        public void traceStateGradients(boolean on) {
            tracing = on;
        }

        @Override
        public void stateGradientNorms(int layer, int direction, double[] into) {
            for (int k = 0; k < tracedSteps; k++) {
                into[k] = k + 1;
            }
        }

        @Override
        public void cellStateGradientNorms(int layer, int direction, double[] into) {
            throw new AssertionError("a simple layer has no cell state");
        }

        @Override
        public void forgetGates(int layer, int direction, double[][] into) {
            throw new AssertionError("a simple layer has no forget gate");
        }

        @Override
        public int inputSize() {
            return 3;
        }

        @Override
        public int outputSize() {
            return 2;
        }

        @Override
        public Mapping mapping() {
            return Mapping.MANY_TO_MANY;
        }

        @Override
        public int parameterCount() {
            return parameters.count();
        }

        @Override
        public Parameters parameters() {
            return parameters;
        }

        @Override
        public List<Layer> layers() {
            return layers;
        }

        @Override
        public Precision precision() {
            return Precision.FLOAT32;
        }
    }

    @Test
    void aFloat32NetworksReportRunsItsFloatBackwardAndPutsTheGradientsBackBitForBit() {
        FloatNetwork network = new FloatNetwork();
        float[][] before = new float[network.parameters().size()][];
        for (int p = 0; p < before.length; p++) {
            Parameter parameter = network.parameters().get(p);
            for (int i = 0; i < parameter.size(); i++) {
                parameter.floatGradient().data[i] = 0.1f * (i + 1) - p;   // floats no double sum would give back
                parameter.floatValue().data[i] = 0.3f * i;
            }
            before[p] = parameter.floatGradient().data.clone();
        }
        GradientReport report = GradientReport.of(network, new float[4][3], new float[4][2]);
        assertEquals(1.25, report.loss());
        assertEquals(1, report.directions().size());
        // by distance from where BPTT starts: step T first
        assertArrayEquals(new double[] {4, 3, 2, 1}, report.directions().get(0).norms());
        for (int p = 0; p < before.length; p++) {
            assertArrayEquals(before[p], network.parameters().get(p).floatGradient().data,
                    network.parameters().get(p).name() + ": the accumulated gradient is put back as it was");
        }
    }

    @Test
    void theFloatFormChecksTheArraysBeforeTracing() {
        FloatNetwork network = new FloatNetwork();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientReport.of(network, new float[4][2], new float[4][2]));
        assertEquals("xs[0] has 2 values, expected 3 (the network's input size)", e.getMessage());
    }
}
