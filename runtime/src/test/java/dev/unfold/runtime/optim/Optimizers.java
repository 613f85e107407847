package dev.unfold.runtime.optim;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Named;

/**
 * Every optimizer, with every kind of state it can keep, for the tests that treat them alike (public
 * for the checkpoint tests in {@code dev.unfold.runtime.train}).
 */
public final class Optimizers {
    private Optimizers() {}

    public static List<Named<Function<Parameters, Optimizer>>> all() {
        return List.of(
                Named.of("plain SGD", parameters -> new Sgd(parameters, 0.1)),
                Named.of("SGD with momentum", parameters -> Sgd.withMomentum(parameters, 0.1, 0.9)),
                Named.of("SGD with Nesterov momentum and weight decay", parameters -> new Sgd(parameters, 0.1,
                        Sgd.Options.PLAIN.withNesterovMomentum(0.8).withWeightDecay(0.01))),
                Named.of("SGD with dampened momentum", parameters -> new Sgd(parameters, 0.1,
                        Sgd.Options.PLAIN.withMomentum(0.9).withDampening(0.2))),
                Named.of("Adagrad with every option", parameters -> new Adagrad(parameters, 0.1, Adagrad.Options.DEFAULTS
                        .withLearningRateDecay(0.01).withWeightDecay(0.01).withInitialAccumulatorValue(0.1))),
                Named.of("RMSprop", parameters -> new RmsProp(parameters, 0.01)),
                Named.of("centered RMSprop with momentum and weight decay", parameters -> new RmsProp(parameters, 0.01,
                        RmsProp.Options.DEFAULTS.withCentering().withMomentum(0.9).withWeightDecay(0.01))),
                Named.of("Adam with weight decay", parameters -> new Adam(parameters, 0.01,
                        Adam.Options.DEFAULTS.withWeightDecay(0.01))),
                Named.of("AdamW", parameters -> new AdamW(parameters, 0.01)));
    }

    /** A small network's parameters, a weight matrix and a bias, filled from {@code seed}. */
    public static Parameters network(long seed) {
        return network(seed, Precision.FLOAT64);
    }

    /**
     * {@link #network(long)} in {@code precision}: the same doubles drawn, rounded to nearest in a
     * float32 network.
     */
    public static Parameters network(long seed, Precision precision) {
        Parameter weight = Parameter.matrix("rnn.weight_hh", 3, 2, precision);
        Parameter bias = Parameter.vector("rnn.bias_hh", 3, precision);
        Parameters parameters = new Parameters(List.of(weight, bias));
        Random random = new Random(seed);
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setValue(i, random.nextGaussian());
            }
        }
        return parameters;
    }

    /** A copy of {@code parameters}' values, with gradients of zero. */
    static Parameters copy(Parameters parameters) {
        Parameters copy = network(0);
        for (int p = 0; p < parameters.size(); p++) {
            double[] values = parameters.get(p).value().data;
            System.arraycopy(values, 0, copy.get(p).value().data, 0, values.length);
        }
        return copy;
    }

    /** Fills every gradient with values drawn from {@code random}, entries of different scales. */
    public static void randomGradients(Parameters parameters, Random random) {
        for (Parameter parameter : parameters) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.setGradient(i, random.nextGaussian() * (1 + i));
            }
        }
    }
}
