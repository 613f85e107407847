package dev.unfold.runtime.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-parameter gradient norms, as the trainer averaged them and before clipping, and the clipping rate. */
class GradientMonitorTest {

    /** Two updates an epoch: gradients (3, 4) and (0, 12) summed over 2 outputs, then (0.3, 0.4) and 0 over 1. */
    private static final class Fixed implements TrainingData {
        private final Parameters parameters;

        Fixed(Parameters parameters) {
            this.parameters = parameters;
        }

        @Override
        public int updates() {
            return 2;
        }

        @Override
        public void startEpoch(long seed) {}

        @Override
        public double backward(int update) {
            Parameter a = parameters.get("a");
            Parameter b = parameters.get("b");
            if (update == 0) {
                a.setGradient(0, 3);
                a.setGradient(1, 4);
                b.setGradient(1, 12);
            } else {
                a.setGradient(0, 0.3);
                a.setGradient(1, 0.4);
            }
            return 1;
        }

        @Override
        public Parameters parameters() {
            return parameters;
        }

        @Override
        public double loss(int update) {
            return 1;
        }

        @Override
        public int outputs(int update) {
            return update == 0 ? 2 : 1;
        }
    }

    @Test
    void normsAreTheAveragedGradientsBeforeClipping() throws IOException {
        Parameters parameters = new Parameters(List.of(Parameter.vector("a", 2), Parameter.matrix("b", 1, 2)));
        GradientMonitor monitor = new GradientMonitor(parameters);
        new Trainer(parameters, new Sgd(parameters, 0.01)).epochs(3).clipNorm(1).listener(monitor)
                .fit(new Fixed(parameters));
        assertArrayEquals(new int[] {1, 2, 3}, monitor.epochs());
        assertEquals(List.of("a", "b"), monitor.names());
        // a: ‖(3, 4)‖ / 2 = 2.5 and ‖(0.3, 0.4)‖ = 0.5; b: 12 / 2 = 6 and 0
        assertArrayEquals(new double[] {1.5, 1.5, 1.5}, monitor.meanNorms(0), 1e-15);
        assertArrayEquals(new double[] {2.5, 2.5, 2.5}, monitor.maxNorms(0), 1e-15);
        assertArrayEquals(new double[] {3, 3, 3}, monitor.meanNorms(1), 1e-15);
        // the first update's norm, √(2.5² + 6²) = 6.5, is clipped; the second's, 0.5, is not
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, monitor.clippingRates(), 0);
        assertEquals("index is 2, expected one of [0, 2) (the parameters watched)",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> monitor.meanNorms(2)).getMessage());
    }

    /**
     * The same run on float32 parameters, which the trainer averages, clips and steps in place: the
     * norms are those of the float gradients, 0.3 and 0.4 being held as the floats nearest them.
     */
    @Test
    void float32GradientsAreWatchedAsTheyAre() throws IOException {
        Parameters parameters = new Parameters(List.of(Parameter.vector("a", 2, Precision.FLOAT32),
                Parameter.matrix("b", 1, 2, Precision.FLOAT32)));
        GradientMonitor monitor = new GradientMonitor(parameters);
        new Trainer(parameters, new Sgd(parameters, 0.01)).epochs(2).clipNorm(1).listener(monitor)
                .fit(new Fixed(parameters));
        double second = Math.sqrt((double) 0.3f * 0.3f + (double) 0.4f * 0.4f);
        assertArrayEquals(new double[] {(2.5 + second) / 2, (2.5 + second) / 2}, monitor.meanNorms(0), 1e-15);
        assertArrayEquals(new double[] {2.5, 2.5}, monitor.maxNorms(0), 0);
        assertArrayEquals(new double[] {3, 3}, monitor.meanNorms(1), 0);
        assertArrayEquals(new double[] {0.5, 0.5}, monitor.clippingRates(), 0);
        // the weights moved, in float32: the first update clipped to norm 1, the second not
        assertTrue(parameters.get("b").floatValue().data[1] < 0, "b[1] moved against its gradient");
    }

    /** The trainer recognises a float32 network's parameters by their arrays, and refuses another instance's. */
    @Test
    void dataBuiltForAnotherFloat32InstanceIsRefused() {
        Parameters parameters = new Parameters(List.of(Parameter.vector("a", 2, Precision.FLOAT32),
                Parameter.matrix("b", 1, 2, Precision.FLOAT32)));
        Parameters other = new Parameters(List.of(Parameter.vector("a", 2, Precision.FLOAT32),
                Parameter.matrix("b", 1, 2, Precision.FLOAT32)));
        Trainer trainer = new Trainer(parameters, new Sgd(parameters, 0.01)).epochs(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(new Fixed(other)));
        assertTrue(e.getMessage().startsWith("the training data was built for another network instance: its passes"
                + " compute no gradient for a,"), e.getMessage());
        Parameters renamed = new Parameters(List.of(parameters.get("a").renamed("x.a"), parameters.get("b").renamed("x.b")));
        assertDoesNotThrow(() -> new Trainer(renamed, new Sgd(renamed, 0.01)).epochs(1).fit(new Fixed(parameters)),
                "renamed parameters share the arrays");
    }
}
