package dev.unfold.runtime.optim;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import java.util.List;

/** A single small weight row for the optimizers' hand-computed tests. */
final class Weights {
    private Weights() {}

    /** One 1 × n matrix parameter "w" holding {@code values}. */
    static Parameters of(double... values) {
        Parameter w = Parameter.matrix("w", 1, values.length);
        System.arraycopy(values, 0, w.value().data, 0, values.length);
        return new Parameters(List.of(w));
    }

    /** Sets the gradient of "w" to {@code gradient}. */
    static void setGradient(Parameters parameters, double... gradient) {
        System.arraycopy(gradient, 0, parameters.get("w").gradient().data, 0, gradient.length);
    }

    /** The values of "w". */
    static double[] values(Parameters parameters) {
        return parameters.get("w").value().data;
    }

    /** Sets the gradient and takes one step. */
    static double[] step(Optimizer optimizer, double... gradient) {
        setGradient(optimizer.parameters(), gradient);
        optimizer.step();
        return values(optimizer.parameters());
    }
}
